// Versioned schema migrations; index i brings the database from version i to i + 1. Never edit a shipped one.

export const MIGRATIONS: readonly string[] = [
  // 1: inbox (the channel history, including sent replies), outbox, rate-limit posts.
  `
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    author TEXT NOT NULL,
    author_id TEXT NOT NULL,
    is_bot INTEGER NOT NULL,
    entity_id TEXT,
    source TEXT,
    reply_to INTEGER,
    mentions TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    processed_at INTEGER,
    UNIQUE (platform, platform_id)
  );
  CREATE INDEX messages_unprocessed ON messages (id) WHERE processed_at IS NULL;
  CREATE INDEX messages_by_channel ON messages (platform, channel, id);

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    entity_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at INTEGER,
    failed_at INTEGER,
    platform_message_id TEXT,
    UNIQUE (message_id, entity_id, part)
  );
  CREATE INDEX outbox_pending ON outbox (platform, id) WHERE sent_at IS NULL AND failed_at IS NULL;

  CREATE TABLE rate_posts (
    entity_id TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX rate_posts_by_time ON rate_posts (at);
  `,
  // 2: Markov scopes. A scope's training messages are the source of truth (keyed per source, so training is
  // idempotent and resumable, and a deleted or edited message can be untrained); the snapshot blobs are the
  // compact chain and verbatim guard built from them, valid while their version matches the scope's.
  `
  CREATE TABLE markov_scopes (
    scope TEXT PRIMARY KEY,
    state_size INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    messages INTEGER NOT NULL DEFAULT 0,
    snapshot_version INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE markov_messages (
    scope TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (scope, source)
  ) WITHOUT ROWID;
  CREATE TABLE markov_snapshots (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (scope, name)
  ) WITHOUT ROWID;
  `,
  // 3: Markov scopes change incrementally. Each training message gets a sequence number within its scope, and
  // removals are journaled, so a snapshot (recording the sequence and removal it includes) catches up with what
  // changed since it was taken instead of being rebuilt. Snapshots from before are dropped and rebuilt once.
  `
  CREATE TABLE markov_messages_v3 (
    scope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (scope, seq)
  ) WITHOUT ROWID;
  INSERT INTO markov_messages_v3 (scope, seq, source, text)
    SELECT scope, ROW_NUMBER() OVER (PARTITION BY scope ORDER BY source), source, text FROM markov_messages;
  DROP TABLE markov_messages;
  ALTER TABLE markov_messages_v3 RENAME TO markov_messages;
  CREATE UNIQUE INDEX markov_messages_by_source ON markov_messages (scope, source);

  CREATE TABLE markov_removals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX markov_removals_by_scope ON markov_removals (scope, id);

  ALTER TABLE markov_scopes ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE markov_scopes ADD COLUMN snapshot_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE markov_scopes ADD COLUMN snapshot_removal INTEGER NOT NULL DEFAULT 0;
  UPDATE markov_scopes SET last_seq = messages, snapshot_version = NULL;
  DELETE FROM markov_snapshots;
  `,
  // 4: Signal. Briefing subscriptions and one claim row per (person, local date), so exactly one briefing goes
  // out per morning whatever restarts or second processes do; people's reminders and habits, which briefings
  // read. A person is their Signal recipient: the UUID, or the number when no UUID is known.
  `
  CREATE TABLE briefing_subscriptions (
    person TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    local_time TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    weekdays TEXT NOT NULL DEFAULT '*',
    location TEXT,
    latitude REAL,
    longitude REAL,
    calendars TEXT NOT NULL DEFAULT '[]',
    feeds TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE briefing_runs (
    person TEXT NOT NULL,
    local_date TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    error TEXT,
    PRIMARY KEY (person, local_date)
  ) WITHOUT ROWID;

  CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    text TEXT NOT NULL,
    due_at INTEGER,
    created_at INTEGER NOT NULL,
    notified_at INTEGER,
    done_at INTEGER
  );
  CREATE INDEX reminders_by_person ON reminders (person, id) WHERE done_at IS NULL;
  CREATE INDEX reminders_due ON reminders (due_at) WHERE done_at IS NULL AND notified_at IS NULL;

  CREATE TABLE habits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (person, name)
  );
  CREATE TABLE habit_checks (
    habit_id INTEGER NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    PRIMARY KEY (habit_id, local_date)
  ) WITHOUT ROWID;
  `,
  // 5: Signal state. The entity a person chose to talk with in DMs (/persona); the Signal timestamp of each
  // chunk of an outbox row already accepted (a resend after a crash skips them; quotes of our messages resolve
  // through it); commands already answered, so a redelivered envelope is not answered twice.
  `
  CREATE TABLE signal_personas (
    person TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE signal_deliveries (
    outbox_id INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    sent_timestamp INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, chunk)
  ) WITHOUT ROWID;
  CREATE INDEX signal_deliveries_by_timestamp ON signal_deliveries (sent_timestamp);
  CREATE TABLE signal_commands_seen (
    platform_id TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX signal_commands_seen_by_time ON signal_commands_seen (seen_at);
  `,
];
