// The inbox: every message of every channel (human posts and sent replies), deduplicated by platform id.
import type { InboundMessage, Platform, ReplySource, StoredMessage } from '../core/message.js';
import type { Db } from './database.js';

interface MessageRow {
  id: number;
  platform: string;
  channel: string;
  platform_id: string;
  author: string;
  author_id: string;
  is_bot: number;
  entity_id: string | null;
  source: string | null;
  reply_to: number | null;
  mentions: string;
  text: string;
  created_at: number;
}

const COLUMNS =
  'id, platform, channel, platform_id, author, author_id, is_bot, entity_id, source, reply_to, mentions, text, created_at';

function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    platform: row.platform as Platform,
    channel: row.channel,
    platformId: row.platform_id,
    author: row.author,
    authorId: row.author_id,
    isBot: row.is_bot === 1,
    entityId: row.entity_id ?? undefined,
    source: (row.source as ReplySource | null) ?? undefined,
    replyTo: row.reply_to ?? undefined,
    mentions: row.mentions === '[]' ? [] : (JSON.parse(row.mentions) as string[]),
    text: row.text,
    createdAt: row.created_at,
  };
}

export interface InsertResult {
  id: number;
  /** False when the platform message was already in the inbox. */
  inserted: boolean;
}

export class InboxRepository {
  readonly #insert;
  readonly #findId;
  readonly #unprocessed;
  readonly #before;
  readonly #after;
  readonly #latest;
  readonly #byId;
  readonly #markProcessed;

  constructor(private readonly db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO messages (platform, channel, platform_id, author, author_id, is_bot, entity_id, source, reply_to, mentions, text, created_at)
       VALUES (@platform, @channel, @platformId, @author, @authorId, @isBot, @entityId, @source, @replyTo, @mentions, @text, @createdAt)
       ON CONFLICT (platform, platform_id) DO NOTHING`,
    );
    this.#findId = db.prepare('SELECT id FROM messages WHERE platform = ? AND platform_id = ?').pluck();
    this.#unprocessed = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE processed_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
    );
    this.#before = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    );
    this.#after = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? AND id > ? ORDER BY id LIMIT ?`,
    );
    this.#latest = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? ORDER BY id DESC LIMIT ?`,
    );
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
    this.#markProcessed = db.prepare(
      'UPDATE messages SET processed_at = ? WHERE id = ? AND processed_at IS NULL',
    );
  }

  /** Stores a message unless its (platform, platformId) is already there. */
  insert(message: InboundMessage): InsertResult {
    const result = this.#insert.run({
      platform: message.platform,
      channel: message.channel,
      platformId: message.platformId,
      author: message.author,
      authorId: message.authorId,
      isBot: message.isBot ? 1 : 0,
      entityId: message.entityId ?? null,
      source: message.source ?? null,
      replyTo: message.replyTo ?? null,
      mentions: JSON.stringify(message.mentions),
      text: message.text,
      createdAt: message.createdAt,
    });
    if (result.changes === 1) return { id: Number(result.lastInsertRowid), inserted: true };
    return { id: this.#findId.get(message.platform, message.platformId) as number, inserted: false };
  }

  /** Inserts many messages in one transaction. */
  insertMany(messages: readonly InboundMessage[]): InsertResult[] {
    return this.db.transaction(() => messages.map((m) => this.insert(m)))();
  }

  /** Unprocessed messages with an id above `afterId`, oldest first. */
  unprocessed(afterId: number, limit: number): StoredMessage[] {
    return (this.#unprocessed.all(afterId, limit) as MessageRow[]).map(toMessage);
  }

  /** Up to `limit` messages of a channel before `beforeId`, oldest first. */
  before(platform: Platform, channel: string, beforeId: number, limit: number): StoredMessage[] {
    return (this.#before.all(platform, channel, beforeId, limit) as MessageRow[]).map(toMessage).reverse();
  }

  /** Up to `limit` messages of a channel after `afterId`, oldest first. */
  after(platform: Platform, channel: string, afterId: number, limit: number): StoredMessage[] {
    return (this.#after.all(platform, channel, afterId, limit) as MessageRow[]).map(toMessage);
  }

  /** The latest `limit` messages of a channel, oldest first. */
  latest(platform: Platform, channel: string, limit: number): StoredMessage[] {
    return (this.#latest.all(platform, channel, limit) as MessageRow[]).map(toMessage).reverse();
  }

  get(id: number): StoredMessage | undefined {
    const row = this.#byId.get(id) as MessageRow | undefined;
    return row && toMessage(row);
  }

  /** Marks a message processed; call inside the transaction that stores its replies. */
  markProcessed(id: number, at: number): void {
    this.#markProcessed.run(at, id);
  }
}
