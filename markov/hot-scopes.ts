// The hot scopes of one thread: loaded models kept in an LRU cache under a memory cap (each sized by its model's
// estimate of the bytes it holds), caught up with the store on every use; a scope that is not hot, or too big
// for the cap, loads from SQLite.
import { LRUCache } from 'lru-cache';
import type { LoadedScope, MarkovScopes } from './markov-scopes.js';

export interface HotScope {
  loaded: LoadedScope;
  /** Milliseconds spent loading it now; 0 when it was hot. */
  loadMs: number;
}

export class HotScopes {
  readonly #cache: LRUCache<string, LoadedScope>;

  constructor(
    private readonly scopes: MarkovScopes,
    maxBytes: number,
  ) {
    this.#cache = new LRUCache<string, LoadedScope>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (loaded) => Math.max(1, loaded.model.bytes),
    });
  }

  /** The scope caught up with the store: from the cache, or loaded (throws UnknownScopeError). */
  get(scope: string): HotScope {
    const hot = this.#cache.get(scope);
    if (hot) {
      const loaded = this.scopes.refresh(hot);
      this.#cache.set(scope, loaded);
      return { loaded, loadMs: 0 };
    }
    const started = performance.now();
    const loaded = this.scopes.load(scope);
    this.#cache.set(scope, loaded);
    return { loaded, loadMs: performance.now() - started };
  }

  /** Merges a scope's pending changes into its snapshot once they pile up (always with `force`). */
  compact(loaded: LoadedScope, force = false): void {
    if (this.scopes.compact(loaded, force) && this.#cache.peek(loaded.scope) === loaded) {
      this.#cache.set(loaded.scope, loaded);
    }
  }

  /** Bytes held by the hot scopes, by their estimates. */
  get bytes(): number {
    return this.#cache.calculatedSize;
  }

  has(scope: string): boolean {
    return this.#cache.has(scope);
  }
}
