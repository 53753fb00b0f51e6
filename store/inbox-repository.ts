// The inbox: every message of every channel (human posts and sent replies), deduplicated by platform id.
import type { InboundMessage, Platform, ReplySource, StoredMessage } from '../core/message.js';
import type { Db } from './database.js';

/** A row as an array in COLUMNS order: raw rows map faster than objects on the engine's hot path. */
type MessageRow = [
  id: number,
  platform: string,
  channel: string,
  platformId: string,
  author: string,
  authorId: string,
  isBot: number,
  entityId: string | null,
  source: string | null,
  replyTo: number | null,
  mentions: string,
  text: string,
  createdAt: number,
];

const COLUMNS =
  'id, platform, channel, platform_id, author, author_id, is_bot, entity_id, source, reply_to, mentions, text, created_at';

function toMessage(row: MessageRow): StoredMessage {
  const [
    id,
    platform,
    channel,
    platformId,
    author,
    authorId,
    isBot,
    entityId,
    source,
    replyTo,
    mentions,
    text,
    createdAt,
  ] = row;
  return {
    id,
    platform: platform as Platform,
    channel,
    platformId,
    author,
    authorId,
    isBot: isBot === 1,
    entityId: entityId ?? undefined,
    source: (source as ReplySource | null) ?? undefined,
    replyTo: replyTo ?? undefined,
    mentions: mentions === '[]' ? [] : (JSON.parse(mentions) as string[]),
    text,
    createdAt,
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
  readonly #humanMessages;
  readonly #byPlatformId;
  readonly #updateText;

  constructor(private readonly db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO messages (platform, channel, platform_id, author, author_id, is_bot, entity_id, source, reply_to, mentions, text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, platform_id) DO NOTHING`,
    );
    this.#findId = db.prepare('SELECT id FROM messages WHERE platform = ? AND platform_id = ?').pluck();
    this.#unprocessed = db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE processed_at IS NULL AND id > ? ORDER BY id LIMIT ?`)
      .raw();
    this.#before = db
      .prepare(
        `SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      )
      .raw();
    this.#after = db
      .prepare(
        `SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .raw();
    this.#latest = db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE platform = ? AND channel = ? ORDER BY id DESC LIMIT ?`)
      .raw();
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`).raw();
    this.#humanMessages = db.prepare(
      'SELECT id, text FROM messages WHERE platform = ? AND channel = ? AND is_bot = 0 AND id < ? ORDER BY id DESC LIMIT ?',
    );
    this.#byPlatformId = db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE platform = ? AND platform_id = ?`)
      .raw();
    this.#updateText = db.prepare('UPDATE messages SET text = ? WHERE id = ?');
    this.#markProcessed = db.prepare(
      'UPDATE messages SET processed_at = ? WHERE id = ? AND processed_at IS NULL',
    );
  }

  /** Stores a message unless its (platform, platformId) is already there. */
  insert(message: InboundMessage): InsertResult {
    const result = this.#insert.run(
      message.platform,
      message.channel,
      message.platformId,
      message.author,
      message.authorId,
      message.isBot ? 1 : 0,
      message.entityId ?? null,
      message.source ?? null,
      message.replyTo ?? null,
      message.mentions.length === 0 ? '[]' : JSON.stringify(message.mentions),
      message.text,
      message.createdAt,
    );
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

  /** The message a platform knows by `platformId` (edits, deletions and replies refer to it). */
  byPlatformId(platform: Platform, platformId: string): StoredMessage | undefined {
    const row = this.#byPlatformId.get(platform, platformId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  /** Replaces a message's text (the author edited it); returns whether the message exists. */
  updateText(id: number, text: string): boolean {
    return this.#updateText.run(text, id).changes === 1;
  }

  /** Ids and texts of the last `limit` human messages of a channel before `beforeId`, oldest first. */
  humanMessages(
    platform: Platform,
    channel: string,
    beforeId: number,
    limit: number,
  ): { id: number; text: string }[] {
    return (
      this.#humanMessages.all(platform, channel, beforeId, limit) as { id: number; text: string }[]
    ).reverse();
  }

  /** Marks a message processed; call inside the transaction that stores its replies. */
  markProcessed(id: number, at: number): void {
    this.#markProcessed.run(at, id);
  }
}
