// normal/native mode's receive side: a loop of GET /v1/receive/{number} calls with the same surface as
// SignalReceiver (start, stop, connected, onItem), so a platform picks one by about().mode. A failed poll backs
// off with jitter; an empty answer that came back early waits out minIntervalMs so the loop never spins.
// Do not combine with the server's AUTO_RECEIVE_SCHEDULE: it would consume the messages (reference §1.2).
import type { Logger } from '../../../core/logger.js';
import { backoffDelay, checkBackoff, type BackoffOptions } from './backoff.js';
import type { ReceiveOptions } from './signal-client.js';

export interface SignalPollerOptions {
  client: { receive(options?: ReceiveOptions): Promise<unknown[]> };
  logger: Logger;
  onItem: (item: unknown) => void;
  /** The server's receive timeout per poll, in seconds (default 10). */
  timeoutSeconds?: number;
  /** Shortest time between the starts of two polls that brought nothing (default 1000 ms). */
  minIntervalMs?: number;
  /** Delays after failed polls (default 1 s … 60 s). */
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export class SignalPoller {
  private readonly logger: Logger;
  private readonly timeoutSeconds: number;
  private readonly minIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private healthy = false;

  constructor(private readonly options: SignalPollerOptions) {
    this.logger = options.logger.child({ component: 'signal-poller' });
    this.timeoutSeconds = options.timeoutSeconds ?? 10;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    checkBackoff('SignalPoller', this.backoff);
    if (!Number.isInteger(this.timeoutSeconds) || this.timeoutSeconds < 0) {
      throw new Error(`SignalPoller: timeoutSeconds must be a whole number >= 0, got ${this.timeoutSeconds}`);
    }
  }

  /** Whether the last poll succeeded. */
  get connected(): boolean {
    return this.healthy;
  }

  /** Failed polls since the last successful one. */
  get failedAttempts(): number {
    return this.failures;
  }

  start(): void {
    if (this.loop !== undefined) return;
    const controller = new AbortController();
    this.controller = controller;
    this.loop = this.run(controller.signal);
  }

  /** Aborts the poll under way (its messages stay on the server unless it already answered) and waits for the loop. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = undefined;
    this.controller = undefined;
    this.healthy = false;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.now();
      let items: unknown[];
      try {
        items = await this.options.client.receive({ timeoutSeconds: this.timeoutSeconds, signal });
      } catch (error) {
        if (signal.aborted) return;
        this.healthy = false;
        const delay = backoffDelay(this.failures, this.backoff, this.random);
        this.failures += 1;
        const log = this.failures === 1 || this.failures % 10 === 0 ? 'warn' : 'debug';
        this.logger[log]('signal receive failed; retrying', {
          error: error instanceof Error ? error.message : String(error),
          attempt: this.failures,
          delayMs: delay,
        });
        await this.sleep(delay, signal);
        continue;
      }
      if (this.failures > 0) this.logger.info('signal receive works again', { after: this.failures });
      this.failures = 0;
      this.healthy = true;
      for (const item of items) this.deliver(item);
      const left = this.minIntervalMs - (this.now() - started);
      if (items.length === 0 && left > 0) await this.sleep(left, signal);
    }
  }

  private deliver(item: unknown): void {
    try {
      this.options.onItem(item);
    } catch (error) {
      this.logger.error('signal poller: onItem threw', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
