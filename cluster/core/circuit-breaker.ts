// A per-server circuit breaker: closed until `failureThreshold` consecutive failures (or one fatal failure, such as
// a refused connection), then open for a cooldown, then half-open with exactly one probe request allowed through.
// Time is passed in (`now`, ms), so the breaker holds no timers and tests drive it with a FakeClock.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before one probe may go through, in ms. */
  cooldownMs?: number;
  /** Each failed probe multiplies the cooldown by this (1 keeps it fixed); a success resets it. */
  backoffFactor?: number;
  /** The cooldown never grows beyond this, in ms. */
  maxCooldownMs?: number;
}

export const DefaultCircuitBreakerOptions = {
  failureThreshold: 3,
  cooldownMs: 5000,
  backoffFactor: 2,
  maxCooldownMs: 60_000,
} as const satisfies Required<CircuitBreakerOptions>;

export interface FailureOptions {
  /** The server cannot be reached at all (connection refused, DNS, reset): open at once. */
  fatal?: boolean;
  /** Kept for status output as the last error. */
  error?: string;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** When the breaker last opened (ms), or null while closed. */
  openedAt: number | null;
  /** When the next probe may go through (ms), or null while closed. */
  probeAt: number | null;
  /** The cooldown now in force, in ms (grows with failed probes). */
  cooldownMs: number;
  probeInFlight: boolean;
  lastError: string | null;
  lastFailureAt: number | null;
}

type Settings = Required<CircuitBreakerOptions>;

function checkOptions(options: CircuitBreakerOptions): Settings {
  const settings: Settings = { ...DefaultCircuitBreakerOptions, ...options };
  const { failureThreshold, cooldownMs, backoffFactor, maxCooldownMs } = settings;
  if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
    throw new RangeError('options.failureThreshold must be a positive integer');
  }
  if (!Number.isFinite(cooldownMs) || cooldownMs < 0) {
    throw new RangeError('options.cooldownMs must be a number of ms, 0 or more');
  }
  if (!Number.isFinite(backoffFactor) || backoffFactor < 1) {
    throw new RangeError('options.backoffFactor must be a number, 1 or more');
  }
  if (!Number.isFinite(maxCooldownMs) || maxCooldownMs < cooldownMs) {
    throw new RangeError('options.maxCooldownMs must be a number of ms, at least options.cooldownMs');
  }
  return settings;
}

export class CircuitBreaker {
  readonly #settings: Settings;
  #failures = 0;
  /** Set while open or half-open. */
  #openedAt: number | null = null;
  #cooldownMs: number;
  #probeInFlight = false;
  #lastError: string | null = null;
  #lastFailureAt: number | null = null;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#settings = checkOptions(options);
    this.#cooldownMs = this.#settings.cooldownMs;
  }

  state(now: number): BreakerState {
    if (this.#openedAt === null) return 'closed';
    return now >= this.#openedAt + this.#cooldownMs ? 'half-open' : 'open';
  }

  /** Whether `tryAcquire(now)` would let a request through, without taking the probe. */
  canAcquire(now: number): boolean {
    const state = this.state(now);
    return state === 'closed' || (state === 'half-open' && !this.#probeInFlight);
  }

  /**
   * Lets a request through, or not. Always true while closed; false while open; while half-open, true exactly once
   * (the probe) until the probe's outcome is reported or it is released.
   */
  tryAcquire(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /**
   * A request succeeded. Closes the breaker if a probe is out (its success is taken to be the probe's). A success
   * while open with no probe out comes from a request let through before the breaker opened; it proves little about
   * the server now, so the cooldown runs on and the probe decides.
   */
  onSuccess(): void {
    if (this.#openedAt !== null && !this.#probeInFlight) return;
    this.#close();
  }

  /**
   * A request failed. While closed, counts towards the threshold (or opens at once if fatal). A failed probe
   * re-opens the breaker from `now` with the cooldown multiplied by `backoffFactor`, up to `maxCooldownMs`.
   * Failures of requests let through before the breaker opened are recorded but move nothing.
   */
  onFailure(now: number, options: FailureOptions = {}): void {
    this.#failures++;
    this.#lastFailureAt = now;
    if (options.error !== undefined) this.#lastError = options.error;
    if (this.#openedAt === null) {
      if (options.fatal === true || this.#failures >= this.#settings.failureThreshold) this.#openedAt = now;
      return;
    }
    if (!this.#probeInFlight) return;
    this.#probeInFlight = false;
    this.#openedAt = now;
    this.#cooldownMs = Math.min(
      this.#cooldownMs * this.#settings.backoffFactor,
      this.#settings.maxCooldownMs,
    );
  }

  /**
   * A request let through ended without a verdict on the server (the caller cancelled it, or it failed for a
   * reason that is not the server's). Gives the probe back so another request can probe.
   */
  release(): void {
    this.#probeInFlight = false;
  }

  /** Forces the breaker closed, e.g. when an active health check succeeds or an admin resets it. */
  reset(): void {
    this.#close();
  }

  #close(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#probeInFlight = false;
    this.#cooldownMs = this.#settings.cooldownMs;
  }

  snapshot(now: number): BreakerSnapshot {
    return {
      state: this.state(now),
      consecutiveFailures: this.#failures,
      openedAt: this.#openedAt,
      probeAt: this.#openedAt === null ? null : this.#openedAt + this.#cooldownMs,
      cooldownMs: this.#cooldownMs,
      probeInFlight: this.#probeInFlight,
      lastError: this.#lastError,
      lastFailureAt: this.#lastFailureAt,
    };
  }
}
