// Signal's own small state (migration 5): the entity each person chose for DMs, the Signal timestamps of
// the chunks of outbox rows already accepted, and the commands already answered.
import type { Db } from './database.js';

export class SignalStateRepository {
  readonly #getPersona;
  readonly #setPersona;
  readonly #deliveries;
  readonly #recordDelivery;
  readonly #byTimestamp;
  readonly #markSeen;
  readonly #pruneSeen;

  constructor(db: Db) {
    this.#getPersona = db.prepare('SELECT entity_id FROM signal_personas WHERE person = ?').pluck();
    this.#setPersona = db.prepare(
      `INSERT INTO signal_personas (person, entity_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (person) DO UPDATE SET entity_id = excluded.entity_id, updated_at = excluded.updated_at`,
    );
    this.#deliveries = db.prepare(
      'SELECT chunk, sent_timestamp AS timestamp FROM signal_deliveries WHERE outbox_id = ? ORDER BY chunk',
    );
    this.#recordDelivery = db.prepare(
      'INSERT OR IGNORE INTO signal_deliveries (outbox_id, chunk, sent_timestamp) VALUES (?, ?, ?)',
    );
    this.#byTimestamp = db
      .prepare('SELECT outbox_id FROM signal_deliveries WHERE sent_timestamp = ? LIMIT 1')
      .pluck();
    this.#markSeen = db.prepare(
      'INSERT INTO signal_commands_seen (platform_id, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#pruneSeen = db.prepare('DELETE FROM signal_commands_seen WHERE seen_at < ?');
  }

  persona(person: string): string | undefined {
    return (this.#getPersona.get(person) as string | undefined) ?? undefined;
  }

  setPersona(person: string, entityId: string, at: number): void {
    this.#setPersona.run(person, entityId, at);
  }

  /** The chunks of an outbox row Signal already accepted, by chunk index. */
  deliveries(outboxId: number): Map<number, number> {
    const rows = this.#deliveries.all(outboxId) as { chunk: number; timestamp: number }[];
    return new Map(rows.map((r) => [r.chunk, r.timestamp]));
  }

  recordDelivery(outboxId: number, chunk: number, timestamp: number): void {
    this.#recordDelivery.run(outboxId, chunk, timestamp);
  }

  /** The outbox row one of our sent messages belongs to, by its Signal timestamp. */
  outboxIdOf(timestamp: number): number | undefined {
    return (this.#byTimestamp.get(timestamp) as number | undefined) ?? undefined;
  }

  /** Records a command envelope; false when it was already seen (a redelivery). */
  markCommandSeen(platformId: string, at: number): boolean {
    return this.#markSeen.run(platformId, at).changes === 1;
  }

  pruneCommandsSeen(before: number): void {
    this.#pruneSeen.run(before);
  }
}
