// The one gate every Signal send passes: a rate limit (Signal's captcha challenge) closes it for all sends,
// for the server's retry-after or an exponential backoff, capped; nothing is sent while it is closed, so a
// limit never turns into a retry storm. An episode runs from the first limit until a send succeeds again or
// an admin solves the challenge; admins are told once per episode, by the first send after the pause.
import type { Clock } from '../../core/clock.js';

export interface SendGateOptions {
  clock: Clock;
  /** The first pause when the server gives no retry-after, in ms. */
  initialBackoffMs?: number;
  /** The longest pause, in ms: even a 24-hour retry-after is probed this often (one send). */
  maxBackoffMs?: number;
}

export const DefaultSendGateOptions = {
  initialBackoffMs: 60_000,
  maxBackoffMs: 3_600_000,
} satisfies Omit<Required<SendGateOptions>, 'clock'>;

export interface RateLimitEpisode {
  startedAt: number;
  /** The latest challenge tokens Signal gave (the admin solves one with a captcha). */
  challengeTokens: string[];
  /** Limits hit in this episode. */
  hits: number;
  /** Admins were told about this episode. */
  reported: boolean;
}

export class SendGate {
  readonly #o: Required<SendGateOptions>;
  #closedUntil = 0;
  #episode: RateLimitEpisode | undefined;
  #waiters = new Set<() => void>();

  constructor(options: SendGateOptions) {
    this.#o = { ...DefaultSendGateOptions, ...options };
  }

  /** True while sends must wait. */
  get closed(): boolean {
    return this.#o.clock.now() < this.#closedUntil;
  }

  /** When the gate opens again (ms since the epoch); 0 when open. */
  get closedUntil(): number {
    return this.closed ? this.#closedUntil : 0;
  }

  /** The rate-limit episode under way, if any (it lasts until a send succeeds). */
  get episode(): Readonly<RateLimitEpisode> | undefined {
    return this.#episode;
  }

  /** A send hit the rate limit: closes the gate. Returns true when this starts a new episode. */
  rateLimited(challengeTokens: readonly string[], retryAfterSeconds?: number): boolean {
    const now = this.#o.clock.now();
    const fresh = this.#episode === undefined;
    const episode = (this.#episode ??= { startedAt: now, challengeTokens: [], hits: 0, reported: false });
    episode.hits += 1;
    const tokens = challengeTokens.filter((t) => t.length > 0);
    if (tokens.length > 0) episode.challengeTokens = tokens;
    const backoff = Math.min(
      this.#o.maxBackoffMs,
      this.#o.initialBackoffMs * 2 ** Math.min(episode.hits - 1, 20),
    );
    const pause =
      retryAfterSeconds !== undefined && retryAfterSeconds > 0
        ? Math.min(this.#o.maxBackoffMs, retryAfterSeconds * 1000)
        : backoff;
    this.#closedUntil = Math.max(this.#closedUntil, now + pause);
    return fresh;
  }

  /** A send went through: the episode (if any) is over. */
  succeeded(): void {
    this.#episode = undefined;
  }

  markReported(): void {
    if (this.#episode) this.#episode.reported = true;
  }

  /** An admin solved the challenge: opens the gate now and ends the episode. */
  reopen(): void {
    this.#closedUntil = 0;
    this.#episode = undefined;
    this.#wake();
  }

  /** Resolves once the gate is open (checking every `checkMs`, or at once on reopen); rejects when `signal` aborts. */
  async whenOpen(signal: AbortSignal, checkMs = 1000): Promise<void> {
    while (this.closed) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(
          done,
          Math.max(1, Math.min(checkMs, this.#closedUntil - this.#o.clock.now())),
        );
        this.#waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    signal.throwIfAborted();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
