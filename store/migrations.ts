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
];
