// The outbox: replies waiting to be sent, one row per (inbound message, entity, part).
import type { Platform, ReplySource } from '../core/message.js';
import type { Db } from './database.js';

export interface NewOutboxRow {
  messageId: number;
  entityId: string;
  part: number;
  platform: Platform;
  channel: string;
  text: string;
  source: ReplySource;
  createdAt: number;
}

export interface OutboxRow extends NewOutboxRow {
  id: number;
  attempts: number;
}

interface Row {
  id: number;
  message_id: number;
  entity_id: string;
  part: number;
  platform: string;
  channel: string;
  text: string;
  source: string;
  created_at: number;
  attempts: number;
}

interface RecentColumns {
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export interface RecentReply extends OutboxRow {
  state: 'sent' | 'pending' | 'failed';
  sentAt: number | null;
  lastError: string | null;
}

const toOutboxRow = (r: Row): OutboxRow => ({
  id: r.id,
  messageId: r.message_id,
  entityId: r.entity_id,
  part: r.part,
  platform: r.platform as Platform,
  channel: r.channel,
  text: r.text,
  source: r.source as ReplySource,
  createdAt: r.created_at,
  attempts: r.attempts,
});

export class OutboxRepository {
  readonly #insert;
  readonly #pending;
  readonly #markSent;
  readonly #markAttempt;
  readonly #markFailed;
  readonly #counts;
  readonly #recent;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO outbox (message_id, entity_id, part, platform, channel, text, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (message_id, entity_id, part) DO NOTHING`,
    );
    this.#pending = db.prepare(
      `SELECT id, message_id, entity_id, part, platform, channel, text, source, created_at, attempts
       FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND platform = ? AND id > ? ORDER BY id LIMIT ?`,
    );
    this.#markSent = db.prepare('UPDATE outbox SET sent_at = ?, platform_message_id = ? WHERE id = ?');
    this.#markAttempt = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.#markFailed = db.prepare('UPDATE outbox SET failed_at = ?, last_error = ? WHERE id = ?');
    this.#recent = db.prepare(
      `SELECT id, message_id, entity_id, part, platform, channel, text, source, created_at, attempts,
              sent_at, failed_at, last_error
       FROM outbox ORDER BY id DESC LIMIT ?`,
    );
    this.#counts = db.prepare(
      `SELECT SUM(sent_at IS NULL AND failed_at IS NULL) AS pending, SUM(sent_at IS NOT NULL) AS sent,
              SUM(failed_at IS NOT NULL) AS failed FROM outbox`,
    );
  }

  /** Adds a reply; a second insert with the same (message, entity, part) is ignored. Call inside a transaction. */
  insert(row: NewOutboxRow): void {
    this.#insert.run(
      row.messageId,
      row.entityId,
      row.part,
      row.platform,
      row.channel,
      row.text,
      row.source,
      row.createdAt,
    );
  }

  /** A platform's rows not yet sent nor given up on, oldest first. */
  pending(platform: Platform, afterId: number, limit: number): OutboxRow[] {
    return (this.#pending.all(platform, afterId, limit) as Row[]).map(toOutboxRow);
  }

  markSent(id: number, at: number, platformMessageId: string | null): void {
    this.#markSent.run(at, platformMessageId, id);
  }

  recordFailure(id: number, error: string): void {
    this.#markAttempt.run(error, id);
  }

  markFailed(id: number, at: number, error: string): void {
    this.#markFailed.run(at, error, id);
  }

  /** The newest replies, newest first, with their delivery state (the dashboard). */
  recent(limit: number): RecentReply[] {
    return (this.#recent.all(limit) as (Row & RecentColumns)[]).map((r) => ({
      ...toOutboxRow(r),
      state: r.sent_at !== null ? 'sent' : r.failed_at !== null ? 'failed' : 'pending',
      sentAt: r.sent_at,
      lastError: r.last_error,
    }));
  }

  counts(): { pending: number; sent: number; failed: number } {
    const r = this.#counts.get() as { pending: number | null; sent: number | null; failed: number | null };
    return { pending: r.pending ?? 0, sent: r.sent ?? 0, failed: r.failed ?? 0 };
  }
}
