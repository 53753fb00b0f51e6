// The polling engine: drains the inbox every pollingInterval (and as soon as it is woken), in batches,
// keeping order within a channel while channels run concurrently.
import type { Logger } from '../../core/logger.js';
import { channelKey, type StoredMessage } from '../../core/message.js';
import type { InboxRepository } from '../../store/index.js';
import type { CommitCallback, CommitQueue } from './commit-queue.js';

export interface PollingEngineOptions {
  inbox: InboxRepository;
  commits: CommitQueue;
  /** Handles one message and calls `done` after its commit; returns a promise while it generates. */
  handle: (message: StoredMessage, done: CommitCallback) => Promise<void> | undefined;
  logger: Logger;
  pollingIntervalMs: number;
  batchSize: number;
  /** Stop fetching while this many messages are in flight. */
  maxInFlight?: number;
}

interface Lane {
  queue: StoredMessage[];
  running: boolean;
}

export class PollingEngine {
  #cursor = 0;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #wakePending = false;
  #stopped = true;
  readonly #lanes = new Map<string, Lane>();
  readonly #running = new Set<Promise<void>>();
  readonly #maxInFlight: number;
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly o: PollingEngineOptions) {
    this.#maxInFlight = o.maxInFlight ?? o.batchSize * 20;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.#drain(), this.o.pollingIntervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Drains soon: call when a message has arrived. Coalesced. */
  wake(): void {
    if (this.#stopped || this.#wakePending) return;
    this.#wakePending = true;
    setImmediate(() => {
      this.#wakePending = false;
      this.#drain();
    });
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #drain(): void {
    while (!this.#stopped && this.#inFlight < this.#maxInFlight) {
      let batch: StoredMessage[];
      try {
        batch = this.o.inbox.unprocessed(this.#cursor, this.o.batchSize);
      } catch (error) {
        this.o.logger.error('could not read the inbox', { error: String(error) });
        return;
      }
      if (batch.length === 0) return;
      this.#cursor = (batch.at(-1) as StoredMessage).id;
      for (const message of batch) this.#enqueue(message);
      if (batch.length < this.o.batchSize) return;
    }
  }

  #enqueue(message: StoredMessage): void {
    const key = channelKey(message);
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { queue: [], running: false };
      this.#lanes.set(key, lane);
    }
    lane.queue.push(message);
    this.#inFlight++;
    if (!lane.running) {
      lane.running = true;
      const run = this.#runLane(key, lane).finally(() => this.#running.delete(run));
      this.#running.add(run);
    }
  }

  async #runLane(key: string, lane: Lane): Promise<void> {
    for (let message = lane.queue.shift(); message; message = lane.queue.shift()) {
      const id = message.id;
      const done: CommitCallback = (error) => {
        // Not committed: it stays unprocessed in the inbox and is handled again after a restart.
        if (error) this.o.logger.error('commit failed', { message: id, error: String(error) });
        this.#settled();
      };
      try {
        const pending = this.o.handle(message, done);
        if (pending) await pending;
      } catch (error) {
        // A message that cannot be handled is skipped (marked processed with no reply), never retried forever.
        this.o.logger.error('message skipped: handling failed', { message: id, error: String(error) });
        this.o.commits.commit({ messageId: id, replies: [], posts: [] }, done);
      }
    }
    lane.running = false;
    this.#lanes.delete(key);
  }

  #settled(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) this.#notifyIdle();
    else if (this.#inFlight < this.#maxInFlight / 2) this.wake();
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when nothing is in flight (tests and shutdown). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops fetching and waits for the messages in flight to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await Promise.allSettled([...this.#running]);
    this.o.commits.flush();
  }
}
