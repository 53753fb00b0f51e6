// Whether signal-cli-rest-api answers: the backoff after consecutive failures, and one log line per
// transition (down, then up again) instead of one per failed call.
import type { Logger } from '../../core/logger.js';

export class Reachability {
  #failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly backoff = { initialMs: 1000, maxMs: 60_000 },
  ) {}

  get up(): boolean {
    return this.#failures === 0;
  }

  succeeded(): void {
    if (this.#failures > 0) this.logger.info(`signal-cli-rest-api is reachable again (${this.what})`);
    this.#failures = 0;
  }

  /** Records a failure; returns how long to wait before the next try, in ms. */
  failed(error: unknown): number {
    this.#failures += 1;
    if (this.#failures === 1) {
      this.logger.warn(`signal-cli-rest-api is unreachable (${this.what}); retrying with backoff`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.#failures - 1, 20));
  }
}
