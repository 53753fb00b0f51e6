// Posts made by entities, kept for an hour so rate limits survive a restart.
import type { Db } from './database.js';

export interface RatePost {
  entityId: string;
  at: number;
}

export class RatePostRepository {
  readonly #insert;
  readonly #since;
  readonly #prune;

  constructor(db: Db) {
    this.#insert = db.prepare('INSERT INTO rate_posts (entity_id, at) VALUES (?, ?)');
    this.#since = db.prepare('SELECT entity_id AS entityId, at FROM rate_posts WHERE at > ? ORDER BY at');
    this.#prune = db.prepare('DELETE FROM rate_posts WHERE at <= ?');
  }

  /** Call inside the transaction that stores the reply. */
  record(entityId: string, at: number): void {
    this.#insert.run(entityId, at);
  }

  since(at: number): RatePost[] {
    return this.#since.all(at) as RatePost[];
  }

  prune(olderThan: number): number {
    return this.#prune.run(olderThan).changes;
  }
}
