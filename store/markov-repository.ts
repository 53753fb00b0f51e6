// Markov scopes in SQLite: their training messages, and snapshots of the compact chain built from them.
import type { Db } from './database.js';

export interface ScopeRow {
  scope: string;
  stateSize: number;
  /** Bumped by every change to the scope's messages. */
  version: number;
  messages: number;
  /** The version the stored snapshot was built from; null when there is none. */
  snapshotVersion: number | null;
  updatedAt: number;
}

export interface TrainingRow {
  source: string;
  text: string;
}

export class MarkovRepository {
  readonly #scope;
  readonly #scopes;
  readonly #createScope;
  readonly #insertMessage;
  readonly #deleteMessage;
  readonly #messageText;
  readonly #bump;
  readonly #page;
  readonly #snapshotParts;
  readonly #saveSnapshot;
  readonly #clearSnapshot;
  readonly #markSnapshot;

  constructor(private readonly db: Db) {
    const columns =
      'scope, state_size AS stateSize, version, messages, snapshot_version AS snapshotVersion, updated_at AS updatedAt';
    this.#scope = db.prepare(`SELECT ${columns} FROM markov_scopes WHERE scope = ?`);
    this.#scopes = db.prepare(`SELECT ${columns} FROM markov_scopes ORDER BY scope`);
    this.#createScope = db.prepare(
      'INSERT INTO markov_scopes (scope, state_size, updated_at) VALUES (?, ?, ?) ON CONFLICT (scope) DO NOTHING',
    );
    this.#insertMessage = db.prepare(
      'INSERT INTO markov_messages (scope, source, text) VALUES (?, ?, ?) ON CONFLICT (scope, source) DO NOTHING',
    );
    this.#deleteMessage = db.prepare('DELETE FROM markov_messages WHERE scope = ? AND source = ?');
    this.#messageText = db.prepare('SELECT text FROM markov_messages WHERE scope = ? AND source = ?').pluck();
    this.#bump = db.prepare(
      'UPDATE markov_scopes SET version = version + 1, messages = messages + ?, updated_at = ? WHERE scope = ?',
    );
    this.#page = db.prepare(
      'SELECT source, text FROM markov_messages WHERE scope = ? AND source > ? ORDER BY source LIMIT ?',
    );
    this.#snapshotParts = db.prepare('SELECT name, data FROM markov_snapshots WHERE scope = ?');
    this.#clearSnapshot = db.prepare('DELETE FROM markov_snapshots WHERE scope = ?');
    this.#markSnapshot = db.prepare('UPDATE markov_scopes SET snapshot_version = ? WHERE scope = ?');
    this.#saveSnapshot = db.prepare(
      'INSERT INTO markov_snapshots (scope, name, data) VALUES (?, ?, ?) ON CONFLICT (scope, name) DO UPDATE SET data = excluded.data',
    );
  }

  scope(scope: string): ScopeRow | undefined {
    return this.#scope.get(scope) as ScopeRow | undefined;
  }

  scopes(): ScopeRow[] {
    return this.#scopes.all() as ScopeRow[];
  }

  /** Creates the scope if needed. A scope keeps the state size it was created with. */
  ensureScope(scope: string, stateSize: number, at: number): ScopeRow {
    this.#createScope.run(scope, stateSize, at);
    return this.scope(scope) as ScopeRow;
  }

  /** Stores training messages in one transaction; returns those that were new (a known source is skipped). */
  addMessages(scope: string, rows: readonly TrainingRow[], at: number): TrainingRow[] {
    return this.db.transaction(() => {
      const added = rows.filter((row) => this.#insertMessage.run(scope, row.source, row.text).changes === 1);
      if (added.length > 0) this.#bump.run(added.length, at, scope);
      return added;
    })();
  }

  /** Removes a training message; returns its text (to untrain it), or undefined if it was not there. */
  removeMessage(scope: string, source: string, at: number): string | undefined {
    return this.db.transaction(() => {
      const text = this.#messageText.get(scope, source) as string | undefined;
      if (text === undefined) return undefined;
      this.#deleteMessage.run(scope, source);
      this.#bump.run(-1, at, scope);
      return text;
    })();
  }

  /** Every training message of a scope, in pages (a stable order, not arrival order). */
  *messages(scope: string, pageSize = 10_000): Generator<TrainingRow> {
    let after = '';
    for (;;) {
      const page = this.#page.all(scope, after, pageSize) as TrainingRow[];
      if (page.length === 0) return;
      yield* page;
      after = (page.at(-1) as TrainingRow).source;
    }
  }

  /** The snapshot's named blobs, when one exists for the scope's current version. */
  snapshot(scope: string): Map<string, Buffer> | undefined {
    const row = this.scope(scope);
    if (!row || row.snapshotVersion === null || row.snapshotVersion !== row.version) return undefined;
    const parts = this.#snapshotParts.all(scope) as { name: string; data: Buffer }[];
    return new Map(parts.map((p) => [p.name, p.data]));
  }

  /** Replaces the snapshot, recording the version it was built from (a newer change makes it stale). */
  saveSnapshot(scope: string, version: number, parts: ReadonlyMap<string, Buffer>): void {
    this.db.transaction(() => {
      this.#clearSnapshot.run(scope);
      for (const [name, data] of parts) this.#saveSnapshot.run(scope, name, data);
      this.#markSnapshot.run(version, scope);
    })();
  }
}
