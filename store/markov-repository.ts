// Markov scopes in SQLite: their training messages (numbered in arrival order within the scope), the journal of
// removed ones, and snapshots of the compact model built from them. A snapshot records the last message and
// removal it includes, so a reader catches up from there: adding or removing a message never rebuilds anything.
import type { Db } from './database.js';

export interface ScopeRow {
  scope: string;
  stateSize: number;
  /** Bumped by every change to the scope's messages. */
  version: number;
  messages: number;
  /** The sequence number of the newest message ever added. */
  lastSeq: number;
  /** The version the stored snapshot was built at; null when there is none. */
  snapshotVersion: number | null;
  /** The newest message (sequence number) and removal (journal id) the snapshot includes. */
  snapshotSeq: number;
  snapshotRemoval: number;
  updatedAt: number;
}

export interface TrainingRow {
  source: string;
  text: string;
}

/** Training messages for one scope. */
export interface ScopeRows {
  scope: string;
  rows: readonly TrainingRow[];
}

/** A stored training message with its sequence number. */
export interface SequencedRow {
  seq: number;
  text: string;
}

/** A journaled removal: the removed message's sequence number and text, for untraining it. */
export interface RemovalRow {
  id: number;
  seq: number;
  text: string;
}

/** Where a snapshot stands: the scope's version, newest message and newest removal it includes. */
export interface SnapshotPosition {
  version: number;
  seq: number;
  removal: number;
}

export class MarkovRepository {
  readonly #scope;
  readonly #scopes;
  readonly #createScope;
  readonly #insertMessage;
  readonly #deleteMessage;
  readonly #findMessage;
  readonly #journalRemoval;
  readonly #bump;
  readonly #pageAfter;
  readonly #removalsAfter;
  readonly #lastRemoval;
  readonly #snapshotParts;
  readonly #saveSnapshot;
  readonly #clearSnapshot;
  readonly #markSnapshot;
  readonly #dropRemovals;
  readonly #sourcesFrom;

  constructor(private readonly db: Db) {
    const columns =
      'scope, state_size AS stateSize, version, messages, last_seq AS lastSeq, snapshot_version AS snapshotVersion, ' +
      'snapshot_seq AS snapshotSeq, snapshot_removal AS snapshotRemoval, updated_at AS updatedAt';
    this.#scope = db.prepare(`SELECT ${columns} FROM markov_scopes WHERE scope = ?`);
    this.#scopes = db.prepare(`SELECT ${columns} FROM markov_scopes ORDER BY scope`);
    this.#createScope = db.prepare(
      'INSERT INTO markov_scopes (scope, state_size, updated_at) VALUES (?, ?, ?) ON CONFLICT (scope) DO NOTHING',
    );
    this.#insertMessage = db.prepare(
      'INSERT INTO markov_messages (scope, seq, source, text) VALUES (?, ?, ?, ?) ON CONFLICT (scope, source) DO NOTHING',
    );
    this.#findMessage = db.prepare('SELECT seq, text FROM markov_messages WHERE scope = ? AND source = ?');
    this.#deleteMessage = db.prepare('DELETE FROM markov_messages WHERE scope = ? AND seq = ?');
    this.#journalRemoval = db.prepare('INSERT INTO markov_removals (scope, seq, text) VALUES (?, ?, ?)');
    this.#bump = db.prepare(
      'UPDATE markov_scopes SET version = version + 1, messages = messages + ?, last_seq = max(last_seq, ?), ' +
        'updated_at = ? WHERE scope = ?',
    );
    this.#pageAfter = db.prepare(
      'SELECT seq, text FROM markov_messages WHERE scope = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#removalsAfter = db.prepare(
      'SELECT id, seq, text FROM markov_removals WHERE scope = ? AND id > ? ORDER BY id',
    );
    this.#lastRemoval = db
      .prepare('SELECT coalesce(max(id), 0) FROM markov_removals WHERE scope = ?')
      .pluck();
    this.#snapshotParts = db.prepare('SELECT name, data FROM markov_snapshots WHERE scope = ?');
    this.#clearSnapshot = db.prepare('DELETE FROM markov_snapshots WHERE scope = ?');
    this.#markSnapshot = db.prepare(
      'UPDATE markov_scopes SET snapshot_version = ?, snapshot_seq = ?, snapshot_removal = ? WHERE scope = ?',
    );
    this.#saveSnapshot = db.prepare('INSERT INTO markov_snapshots (scope, name, data) VALUES (?, ?, ?)');
    this.#dropRemovals = db.prepare('DELETE FROM markov_removals WHERE scope = ? AND id <= ?');
    this.#sourcesFrom = db
      .prepare(
        'SELECT source FROM markov_messages WHERE scope = ? AND source >= ? AND source < ? ORDER BY source',
      )
      .pluck();
  }

  scope(scope: string): ScopeRow | undefined {
    return this.#scope.get(scope) as ScopeRow | undefined;
  }

  scopes(): ScopeRow[] {
    return this.#scopes.all() as ScopeRow[];
  }

  /** Creates the scope if needed; returns true when it did. A scope keeps the state size it was created with. */
  ensureScope(scope: string, stateSize: number, at: number): boolean {
    return this.#createScope.run(scope, stateSize, at).changes === 1;
  }

  /**
   * Stores training messages in one transaction, numbering them after the scope's newest; returns those that were
   * new (a known source is skipped). The scope must exist.
   */
  addMessages(scope: string, rows: readonly TrainingRow[], at: number): TrainingRow[] {
    return this.#write(() => this.#add(scope, rows, at));
  }

  /**
   * Stores batches of training messages, all in one transaction (batches for one scope are merged); returns how
   * many were new.
   */
  addToScopes(batches: readonly ScopeRows[], at: number): number {
    const byScope = new Map<string, TrainingRow[]>();
    for (const { scope, rows } of batches) {
      const merged = byScope.get(scope);
      if (merged) merged.push(...rows);
      else byScope.set(scope, [...rows]);
    }
    return this.#write(() => {
      let added = 0;
      for (const [scope, rows] of byScope) added += this.#add(scope, rows, at).length;
      return added;
    });
  }

  #add(scope: string, rows: readonly TrainingRow[], at: number): TrainingRow[] {
    const row = this.scope(scope);
    if (!row) throw new Error(`unknown Markov scope "${scope}"`);
    let seq = row.lastSeq;
    const added: TrainingRow[] = [];
    for (const r of rows) {
      if (this.#insertMessage.run(scope, seq + 1, r.source, r.text).changes === 0) continue;
      seq++;
      added.push(r);
    }
    if (added.length > 0) this.#bump.run(added.length, seq, at, scope);
    return added;
  }

  /**
   * Removes a training message and journals the removal (so loaded models untrain it); returns its text, or
   * undefined if it was not there.
   */
  removeMessage(scope: string, source: string, at: number): string | undefined {
    return this.#write(() => {
      const found = this.#findMessage.get(scope, source) as SequencedRow | undefined;
      if (!found) return undefined;
      this.#deleteMessage.run(scope, found.seq);
      this.#journalRemoval.run(scope, found.seq, found.text);
      this.#bump.run(-1, 0, at, scope);
      return found.text;
    });
  }

  /** The sources of a scope's messages that start with `prefix`. */
  sources(scope: string, prefix: string): string[] {
    return this.#sourcesFrom.all(scope, prefix, `${prefix}\u{10FFFF}`) as string[];
  }

  /** The scope's messages newer than `afterSeq`, oldest first, in pages. */
  *messagesAfter(scope: string, afterSeq = 0, pageSize = 10_000): Generator<SequencedRow> {
    let after = afterSeq;
    for (;;) {
      const page = this.#pageAfter.all(scope, after, pageSize) as SequencedRow[];
      if (page.length === 0) return;
      yield* page;
      after = (page.at(-1) as SequencedRow).seq;
    }
  }

  /** Removals journaled after `afterId`, oldest first. */
  removalsAfter(scope: string, afterId: number): RemovalRow[] {
    return this.#removalsAfter.all(scope, afterId) as RemovalRow[];
  }

  /** The newest removal journaled for the scope (0 when none). */
  lastRemoval(scope: string): number {
    return this.#lastRemoval.get(scope) as number;
  }

  /**
   * Runs a transaction that reads before it writes as BEGIN IMMEDIATE: it takes the write lock first (waiting
   * for it like any writer), where a deferred one would fail at once with SQLITE_BUSY if another connection (the
   * main thread, a worker) committed between its first read and its first write.
   */
  #write<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  /** Runs `read` in one transaction, so everything it reads belongs to one state of the database. */
  consistent<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  /** The snapshot's named blobs, or undefined when there is none (see ScopeRow.snapshotVersion). */
  snapshot(scope: string): Map<string, Buffer> | undefined {
    const parts = this.#snapshotParts.all(scope) as { name: string; data: Buffer }[];
    return parts.length > 0 ? new Map(parts.map((p) => [p.name, p.data])) : undefined;
  }

  /**
   * Replaces the snapshot with one built at `position`, and drops the removals it includes. A snapshot older than
   * the stored one (another worker got there first) is not saved; returns whether this one was.
   */
  saveSnapshot(scope: string, position: SnapshotPosition, parts: ReadonlyMap<string, Buffer>): boolean {
    return this.#write(() => {
      const row = this.scope(scope);
      if (!row) return false;
      const newer =
        row.snapshotVersion === null ||
        position.seq > row.snapshotSeq ||
        (position.seq === row.snapshotSeq && position.removal >= row.snapshotRemoval);
      if (!newer) return false;
      this.#clearSnapshot.run(scope);
      for (const [name, data] of parts) this.#saveSnapshot.run(scope, name, data);
      this.#markSnapshot.run(position.version, position.seq, position.removal, scope);
      this.#dropRemovals.run(scope, position.removal);
      return true;
    });
  }
}
