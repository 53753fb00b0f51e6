// normal/native mode's receive side: one GET /v1/receive at a time (never overlapping: each call runs
// signal-cli, which holds the account's lock), then a pause of pollIntervalMs. A server that is down is
// retried with exponential backoff and logged once when it goes away and once when it is back.
import type { Logger } from '../../core/logger.js';
import type { SignalClient } from './client/index.js';
import { Reachability } from './reachability.js';

export interface PollingReceiverOptions {
  client: Pick<SignalClient, 'receive'>;
  onItem(item: unknown): void;
  logger: Logger;
  /** Pause between two receives, in ms. */
  intervalMs: number;
  /** The server collects messages this long per receive (its `timeout`), in seconds. */
  receiveTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export class PollingReceiver {
  readonly #abort = new AbortController();
  readonly #reachability: Reachability;
  #loop: Promise<void> | undefined;

  constructor(private readonly o: PollingReceiverOptions) {
    this.#reachability = new Reachability(o.logger, 'receive', o.backoff);
  }

  get connected(): boolean {
    return this.#loop !== undefined && this.#reachability.up;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopping'));
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      let wait = this.o.intervalMs;
      try {
        const items = await this.o.client.receive({
          timeoutSeconds: this.o.receiveTimeoutSeconds ?? 1,
          signal,
        });
        this.#reachability.succeeded();
        for (const item of items) this.o.onItem(item);
      } catch (error) {
        if (signal.aborted) break;
        wait = this.#reachability.failed(error);
      }
      await sleep(wait, signal);
    }
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
