// Spaces briefings out: jobs run one at a time with `spacingMs` between the starts of two jobs, so a morning
// with many subscribers due at 07:00 does not hit Signal's per-account rate limit at once. Bounded; a job
// already queued under the same key is not queued twice.

export interface SendQueueOptions {
  spacingMs: number;
  /** Jobs waiting at most; more are refused (and logged by the caller). */
  limit?: number;
  /** Waits `ms` or until `signal` aborts (tests and shutdown). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onError?: (key: string, error: unknown) => void;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class SendQueue {
  readonly #jobs: { key: string; run: () => Promise<void> }[] = [];
  readonly #keys = new Set<string>();
  readonly #stop = new AbortController();
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  #draining: Promise<void> | undefined;
  #lastStart: number | undefined;

  constructor(private readonly options: SendQueueOptions) {
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#jobs.length;
  }

  /** True when queued (or already waiting under `key`); false when the queue is full or stopped. */
  push(key: string, run: () => Promise<void>): boolean {
    if (this.#stop.signal.aborted) return false;
    if (this.#keys.has(key)) return true;
    if (this.#jobs.length >= (this.options.limit ?? 10_000)) return false;
    this.#keys.add(key);
    this.#jobs.push({ key, run });
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
    return true;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Resolves when every queued job has run. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    for (let job = this.#jobs.shift(); job; job = this.#jobs.shift()) {
      if (this.#lastStart !== undefined && this.options.spacingMs > 0) {
        const wait = this.#lastStart + this.options.spacingMs - this.#now();
        if (wait > 0) await this.#sleep(wait, this.#stop.signal);
      }
      if (this.#stop.signal.aborted) break;
      this.#lastStart = this.#now();
      try {
        await job.run();
      } catch (error) {
        this.options.onError?.(job.key, error);
      } finally {
        this.#keys.delete(job.key);
      }
    }
    if (this.#stop.signal.aborted) {
      this.#jobs.length = 0;
      this.#keys.clear();
    }
  }

  /** Drops waiting jobs and waits for the running one. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#draining;
  }
}
