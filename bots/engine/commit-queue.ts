// Group commit: results finished in the same turn of the event loop are written in one transaction,
// which is what lets the engine keep up with tens of thousands of messages a second on SQLite.
import type { Clock } from '../../core/clock.js';
import type { ChorusStore, ProcessedMessage } from '../../store/chorus-store.js';

interface Pending {
  item: ProcessedMessage;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class CommitQueue {
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(
    private readonly store: ChorusStore,
    private readonly clock: Clock,
    private readonly onCommitted: (batch: readonly ProcessedMessage[]) => void = () => undefined,
  ) {}

  /** Resolves once the message and its replies are durably stored. */
  commit(item: ProcessedMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued now. */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    try {
      this.store.commitProcessed(
        batch.map((p) => p.item),
        this.clock.now(),
      );
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) p.resolve();
    this.onCommitted(batch.map((p) => p.item));
  }
}
