// Markov scopes backed by the store: training messages in, compact snapshot models out. A snapshot is rebuilt
// from the messages whenever a change has made it stale, so an interrupted training run is simply resumed.
import type { Clock } from '../core/clock.js';
import type { MarkovRepository, ScopeRow, TrainingRow } from '../store/markov-repository.js';
import { ChainBuilder } from './chain-builder.js';
import { FrozenChain } from './frozen-chain.js';
import { replyFrom, type ReplyOptions, type ReplyOutcome } from './reply.js';
import { VerbatimGuard } from './verbatim-guard.js';
import { WordIds } from './word-ids.js';

export class UnknownScopeError extends Error {
  readonly code = 'CHORUS_UNKNOWN_SCOPE';
  constructor(scope: string, known: readonly string[]) {
    super(`unknown scope "${scope}"; known scopes: ${known.length > 0 ? known.join(', ') : '(none yet)'}`);
  }
}

export class ScopeModel {
  constructor(
    readonly chain: FrozenChain,
    readonly guard: VerbatimGuard,
    readonly words: WordIds,
  ) {}

  reply(options: ReplyOptions): ReplyOutcome {
    return replyFrom(this.chain, this.guard, this.words, options);
  }
}

const SEPARATOR = '/';

function encodeSnapshot(model: ScopeModel): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const chain = FrozenChain.encode(model.chain.toParts());
  parts.set('chain', Buffer.from(chain.header, 'utf8'));
  for (const [name, blob] of Object.entries(chain.blobs)) parts.set(`chain${SEPARATOR}${name}`, blob);
  const guard = VerbatimGuard.encode(model.guard.toParts());
  parts.set('guard', Buffer.from(guard.header, 'utf8'));
  for (const [name, blob] of Object.entries(guard.blobs)) parts.set(`guard${SEPARATOR}${name}`, blob);
  parts.set('words', model.words.encode());
  return parts;
}

function decodeSnapshot(parts: ReadonlyMap<string, Buffer>): ScopeModel {
  const group = (prefix: string) => {
    const blobs: Record<string, Buffer> = {};
    for (const [name, data] of parts)
      if (name.startsWith(`${prefix}${SEPARATOR}`)) blobs[name.slice(prefix.length + 1)] = data;
    const header = parts.get(prefix);
    if (!header) throw new Error(`the ${prefix} snapshot is incomplete`);
    return { header: header.toString('utf8'), blobs };
  };
  const chain = group('chain');
  const guard = group('guard');
  return new ScopeModel(
    FrozenChain.fromParts(FrozenChain.decode(chain.header, chain.blobs)),
    VerbatimGuard.fromParts(VerbatimGuard.decode(guard.header, guard.blobs)),
    WordIds.decode(parts.get('words') ?? Buffer.alloc(0)),
  );
}

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

  /** Stores training messages (known sources are skipped); returns how many were new. */
  add(scope: string, stateSize: number, rows: readonly TrainingRow[]): number {
    this.repo.ensureScope(scope, stateSize, this.clock.now());
    return this.repo.addMessages(scope, rows, this.clock.now()).length;
  }

  /** The scope's model from its snapshot, rebuilt first when the snapshot is missing or stale. */
  load(scope: string, onProgress?: (done: number, total: number) => void): ScopeModel {
    const row = this.require(scope);
    const snapshot = this.repo.snapshot(scope);
    if (snapshot) return decodeSnapshot(snapshot);
    return this.rebuild(row, onProgress);
  }

  /** Rebuilds a scope's snapshot from all its training messages and stores it. */
  rebuild(row: ScopeRow, onProgress?: (done: number, total: number) => void): ScopeModel {
    const builder = new ChainBuilder(row.stateSize);
    let done = 0;
    for (const message of this.repo.messages(row.scope)) {
      builder.add(message.text);
      if (++done % 10_000 === 0) onProgress?.(done, row.messages);
    }
    onProgress?.(done, row.messages);
    const built = builder.build();
    const model = new ScopeModel(built.chain, built.guard, built.words);
    this.repo.saveSnapshot(row.scope, row.version, encodeSnapshot(model));
    return model;
  }
}
