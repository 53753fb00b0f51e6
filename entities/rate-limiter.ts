// Per-entity and fleet-wide posting limits. The limiter keeps recent post times in memory; the store
// persists each post with its reply, and `restore` replays them at start so a restart resets nothing.
import type { Clock } from '../core/clock.js';
import { SlidingWindow } from './sliding-window.js';

export interface PostingLimits {
  /** Minimum gap between two posts, in ms. */
  minGapMs: number;
  maxPerMinute?: number | undefined;
  maxPerHour?: number | undefined;
}

export type RateDecision = { ok: true } | { ok: false; reason: string; retryAfterMs: number };

export interface RateState {
  postsLastMinute: number;
  postsLastHour: number;
  /** When the next post would be allowed (ms since epoch); now or earlier means it may post. */
  nextAllowedAt: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const hasLimits = (l: PostingLimits | undefined): boolean =>
  !!l && (l.minGapMs > 0 || l.maxPerMinute !== undefined || l.maxPerHour !== undefined);

class Bucket {
  readonly window = new SlidingWindow(HOUR);
  constructor(public limits: PostingLimits) {}

  /** When the next post is allowed, or `now` if it may post now. */
  nextAllowed(now: number): number {
    let next = now;
    const last = this.window.nthLatest(now, 1);
    if (last !== undefined) next = Math.max(next, last + this.limits.minGapMs);
    const { maxPerMinute, maxPerHour } = this.limits;
    if (maxPerMinute !== undefined && this.window.countSince(now, MINUTE) >= maxPerMinute) {
      next = Math.max(next, (this.window.nthLatest(now, maxPerMinute) as number) + MINUTE);
    }
    if (maxPerHour !== undefined && this.window.countSince(now, HOUR) >= maxPerHour) {
      next = Math.max(next, (this.window.nthLatest(now, maxPerHour) as number) + HOUR);
    }
    return next;
  }
}

export class RateLimiter {
  readonly #entities = new Map<string, Bucket>();
  readonly #global: Bucket;

  constructor(
    private readonly clock: Clock,
    globalLimits: PostingLimits,
    entityLimits: ReadonlyMap<string, PostingLimits>,
  ) {
    this.#global = new Bucket(globalLimits);
    for (const [id, limits] of entityLimits) this.#entities.set(id, new Bucket(limits));
  }

  /** Replays persisted posts (oldest first), e.g. the last hour's at start. */
  restore(posts: Iterable<{ entityId: string; at: number }>): void {
    for (const post of posts) {
      this.#entities.get(post.entityId)?.window.add(post.at);
      this.#global.window.add(post.at);
    }
  }

  setLimits(entityId: string, limits: PostingLimits): void {
    const bucket = this.#entities.get(entityId);
    if (bucket) bucket.limits = limits;
    else this.#entities.set(entityId, new Bucket(limits));
  }

  check(entityId: string): RateDecision {
    const now = this.clock.now();
    const bucket = this.#entities.get(entityId);
    if (!bucket) return { ok: false, reason: `unknown entity "${entityId}"`, retryAfterMs: Infinity };
    const own = bucket.nextAllowed(now);
    if (own > now) return { ok: false, reason: 'entity rate limit', retryAfterMs: own - now };
    const fleet = this.#global.nextAllowed(now);
    if (fleet > now) return { ok: false, reason: 'global rate limit', retryAfterMs: fleet - now };
    return { ok: true };
  }

  /** Checks and, if allowed, counts a post now. Returns the post time, or undefined when limited. */
  tryAcquire(entityId: string): number | undefined {
    if (!this.check(entityId).ok) return undefined;
    const at = this.clock.now();
    this.#entities.get(entityId)?.window.add(at);
    // Without fleet-wide limits the fleet's window would hold every post of the last hour for nothing.
    if (hasLimits(this.#global.limits)) this.#global.window.add(at);
    return at;
  }

  /** Gives back a post acquired at `at` that was never made. */
  release(entityId: string, at: number): void {
    this.#entities.get(entityId)?.window.remove(at);
    this.#global.window.remove(at);
  }

  /** Whether any limit applies to the entity's posts (if none, they need not be persisted). */
  isLimited(entityId: string): boolean {
    return hasLimits(this.#global.limits) || hasLimits(this.#entities.get(entityId)?.limits);
  }

  state(entityId: string): RateState | undefined {
    const bucket = this.#entities.get(entityId);
    if (!bucket) return undefined;
    const now = this.clock.now();
    return {
      postsLastMinute: bucket.window.countSince(now, MINUTE),
      postsLastHour: bucket.window.countSince(now, HOUR),
      nextAllowedAt: Math.max(bucket.nextAllowed(now), this.#global.nextAllowed(now)),
    };
  }
}
