// Group commit: results finished in the same turn of the event loop are written in one transaction,
// which is what lets the engine keep up with tens of thousands of messages a second on SQLite.
import type { Clock } from '../../core/clock.js';
import type { ChorusStore, ProcessedMessage } from '../../store/chorus-store.js';

/** Called once the item is durably stored, or with the error that stopped it. */
export type CommitCallback = (error?: unknown) => void;

export class CommitQueue {
  #items: ProcessedMessage[] = [];
  #callbacks: CommitCallback[] = [];
  #scheduled = false;

  constructor(
    private readonly store: ChorusStore,
    private readonly clock: Clock,
    private readonly onCommitted: (batch: readonly ProcessedMessage[]) => void = () => undefined,
  ) {}

  commit(item: ProcessedMessage, done: CommitCallback): void {
    this.#items.push(item);
    this.#callbacks.push(done);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** The promise form, for callers off the hot path. */
  commitAsync(item: ProcessedMessage): Promise<void> {
    return new Promise((resolve, reject) =>
      this.commit(item, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Writes everything queued now. */
  flush(): void {
    this.#scheduled = false;
    const items = this.#items;
    const callbacks = this.#callbacks;
    if (items.length === 0) return;
    this.#items = [];
    this.#callbacks = [];
    let failure: unknown;
    try {
      this.store.commitProcessed(items, this.clock.now());
    } catch (error) {
      failure = error ?? new Error('commit failed');
    }
    for (const done of callbacks) done(failure);
    if (failure === undefined) this.onCommitted(items);
  }
}
