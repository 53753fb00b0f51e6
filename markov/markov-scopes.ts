// Markov scopes backed by the store. A loaded scope is its snapshot (the compact model, as of a message sequence
// number and removal) caught up with the messages added and removed since; catching up again later applies only
// what changed, so adding or removing a message never rebuilds. A snapshot is built from the messages only when
// there is none or it is far behind (bulk training); otherwise pending changes are merged into a new snapshot
// (compaction) once they pile up.
import type { Clock } from '../core/clock.js';
import type { MarkovRepository, ScopeRow, ScopeRows, TrainingRow } from '../store/markov-repository.js';
import { ChainBuilder } from './chain-builder.js';
import { ScopeModel } from './scope-model.js';

export { ScopeModel } from './scope-model.js';

export class UnknownScopeError extends Error {
  readonly code = 'CHORUS_UNKNOWN_SCOPE';
  constructor(scope: string, known: readonly string[]) {
    super(`unknown scope "${scope}"; known scopes: ${known.length > 0 ? known.join(', ') : '(none yet)'}`);
  }
}

/** A scope's model and how far it has caught up with the store. */
export interface LoadedScope {
  readonly scope: string;
  model: ScopeModel;
  /** The newest message included in the model's base (everything after it is pending). */
  baseSeq: number;
  /** The newest message applied, and the newest removal applied. */
  seq: number;
  removal: number;
  /** The scope's version as of the last catch-up. */
  version: number;
}

export type Progress = (done: number, total: number) => void;

/** Pending changes merged into a new snapshot once they reach this, or a quarter of the base if more. */
const COMPACT_AFTER = 1_000;

export class MarkovScopes {
  constructor(
    private readonly repo: MarkovRepository,
    private readonly clock: Clock,
  ) {}

  scope(scope: string): ScopeRow | undefined {
    return this.repo.scope(scope);
  }

  require(scope: string): ScopeRow {
    const row = this.repo.scope(scope);
    if (!row)
      throw new UnknownScopeError(
        scope,
        this.repo.scopes().map((s) => s.scope),
      );
    return row;
  }

  /** Creates the scope if needed (returns true when it did); it keeps the state size it is created with. */
  ensure(scope: string, stateSize: number): boolean {
    return this.repo.ensureScope(scope, stateSize, this.clock.now());
  }

  /** Stores training messages (known sources are skipped); returns how many were new. */
  add(scope: string, stateSize: number, rows: readonly TrainingRow[]): number {
    this.ensure(scope, stateSize);
    return this.repo.addMessages(scope, rows, this.clock.now()).length;
  }

  /** The sources of a scope's messages that start with `prefix`. */
  sources(scope: string, prefix: string): string[] {
    return this.repo.sources(scope, prefix);
  }

  /** Stores training messages in scopes that exist, in one transaction; returns how many were new. */
  addToScopes(batches: readonly ScopeRows[]): number {
    return this.repo.addToScopes(batches, this.clock.now());
  }

  /** Removes a training message (a deleted or edited source); returns whether it was there. */
  remove(scope: string, source: string): boolean {
    return this.repo.removeMessage(scope, source, this.clock.now()) !== undefined;
  }

  /**
   * The scope's model: its snapshot caught up with later changes, or a model built from all its messages (and
   * stored as its snapshot) when there is no snapshot or the changes since outnumber what it holds.
   */
  load(scope: string, onProgress?: Progress): LoadedScope {
    const loaded = this.repo.consistent((): LoadedScope | undefined => {
      const row = this.require(scope);
      const behind = row.lastSeq - row.snapshotSeq;
      if (row.snapshotVersion === null || behind > Math.max(COMPACT_AFTER, row.messages - behind))
        return undefined;
      const parts = this.repo.snapshot(scope);
      if (!parts) return undefined;
      const snapshot: LoadedScope = {
        scope,
        model: ScopeModel.decode(parts),
        baseSeq: row.snapshotSeq,
        seq: row.snapshotSeq,
        removal: row.snapshotRemoval,
        version: row.snapshotVersion,
      };
      return this.#catchUp(snapshot, row);
    });
    return loaded ?? this.build(scope, onProgress);
  }

  /** Applies what changed since the model last caught up; returns the scope, reloaded if it had to be. */
  refresh(loaded: LoadedScope): LoadedScope {
    const current = this.repo.consistent(() => {
      const row = this.require(loaded.scope);
      if (row.version === loaded.version) return loaded;
      // A newer snapshot dropped removals from the journal that this model has not applied yet.
      if (row.snapshotVersion !== null && row.snapshotRemoval > loaded.removal) return undefined;
      if (row.lastSeq - loaded.seq > Math.max(COMPACT_AFTER, row.messages)) return undefined;
      return this.#catchUp(loaded, row);
    });
    return current ?? this.load(loaded.scope);
  }

  #catchUp(loaded: LoadedScope, row: ScopeRow): LoadedScope {
    const applied = loaded.seq;
    for (const message of this.repo.messagesAfter(loaded.scope, applied)) {
      loaded.model.learn(message.text);
      loaded.seq = message.seq;
    }
    for (const removal of this.repo.removalsAfter(loaded.scope, loaded.removal)) {
      // A message removed before this model ever read it was never learnt.
      if (removal.seq <= applied) loaded.model.forget(removal.text, removal.seq <= loaded.baseSeq);
      loaded.removal = removal.id;
    }
    loaded.version = row.version;
    return loaded;
  }

  /** Merges pending changes into a new snapshot once they pile up (always with `force`); true when it did. */
  compact(loaded: LoadedScope, force = false): boolean {
    const { model } = loaded;
    if (
      model.pending === 0 ||
      (!force && model.pending < Math.max(COMPACT_AFTER, model.stats.messages / 4))
    ) {
      return false;
    }
    loaded.model = model.compact();
    loaded.baseSeq = loaded.seq;
    this.repo.saveSnapshot(
      loaded.scope,
      { version: loaded.version, seq: loaded.seq, removal: loaded.removal },
      loaded.model.encode(),
    );
    return true;
  }

  /** Builds a scope's model from all its messages and stores it as the snapshot. */
  build(scope: string, onProgress?: Progress): LoadedScope {
    const built = this.repo.consistent(() => {
      const row = this.require(scope);
      const builder = new ChainBuilder(row.stateSize);
      let done = 0;
      for (const message of this.repo.messagesAfter(scope, 0)) {
        builder.add(message.text);
        if (++done % 10_000 === 0) onProgress?.(done, row.messages);
      }
      onProgress?.(done, row.messages);
      const position = { version: row.version, seq: row.lastSeq, removal: this.repo.lastRemoval(scope) };
      return { model: ScopeModel.fromBuilt(builder.build()), position };
    });
    const { model, position } = built;
    this.repo.saveSnapshot(scope, position, model.encode());
    return { scope, model, baseSeq: position.seq, ...position };
  }
}
