// Per-entity and fleet-wide posting limits, driven by a FakeClock: time only moves when the test says so.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { RateLimiter, type PostingLimits } from '../../entities/rate-limiter.js';
import { SlidingWindow } from '../../entities/sliding-window.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NO_LIMITS: PostingLimits = { minGapMs: 0 };

function limiter(
  entities: Record<string, PostingLimits>,
  global: PostingLimits = NO_LIMITS,
): { clock: FakeClock; limiter: RateLimiter } {
  const clock = new FakeClock();
  return { clock, limiter: new RateLimiter(clock, global, new Map(Object.entries(entities))) };
}

describe('SlidingWindow', () => {
  it('counts events in (now - window, now], the oldest boundary excluded', () => {
    const window = new SlidingWindow(HOUR);
    for (const at of [1000, 2000, 3000]) window.add(at);
    expect(window.countSince(3000, 2000)).toBe(2);
    expect(window.countSince(3000, 2001)).toBe(3);
    expect(window.countSince(61_000, MINUTE)).toBe(2);
  });

  it('finds the n-th latest event', () => {
    const window = new SlidingWindow(HOUR);
    for (const at of [10, 20, 30]) window.add(at);
    expect(window.nthLatest(30, 1)).toBe(30);
    expect(window.nthLatest(30, 3)).toBe(10);
    expect(window.nthLatest(30, 4)).toBeUndefined();
  });

  it('forgets events older than its retention', () => {
    const window = new SlidingWindow(1000);
    for (const at of [0, 500, 1000]) window.add(at);
    expect(window.countSince(1500, 10_000)).toBe(1);
    expect(window.nthLatest(1500, 1)).toBe(1000);
    expect(window.nthLatest(1500, 2)).toBeUndefined();
    expect(window.size).toBe(1);
  });

  it('removes the most recent event at a time, once', () => {
    const window = new SlidingWindow(HOUR);
    for (const at of [100, 200, 200]) window.add(at);
    window.remove(200);
    expect(window.size).toBe(2);
    window.remove(999);
    expect(window.size).toBe(2);
    expect(window.nthLatest(300, 1)).toBe(200);
  });

  it('keeps counting right after dropping thousands of old events', () => {
    const window = new SlidingWindow(1000);
    for (let at = 0; at < 3000; at++) window.add(at);
    expect(window.countSince(2999, 1000)).toBe(1000);
    expect(window.nthLatest(2999, 1000)).toBe(2000);
    expect(window.size).toBe(1000);
    window.add(3000);
    expect(window.countSince(3500, 1000)).toBe(500);
  });
});

describe('RateLimiter: per-entity limits', () => {
  it('keeps minGapMs between two posts', () => {
    const { clock, limiter: rl } = limiter({ a: { minGapMs: 5 * SECOND } });
    const t0 = clock.now();
    expect(rl.tryAcquire('a')).toBe(t0);
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 5 * SECOND });
    clock.advance(5 * SECOND - 1);
    expect(rl.tryAcquire('a')).toBeUndefined();
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 1 });
    clock.advance(1);
    expect(rl.check('a')).toEqual({ ok: true });
    expect(rl.tryAcquire('a')).toBe(t0 + 5 * SECOND);
  });

  it('allows maxPerMinute posts, then refuses until the oldest leaves the 60 s window', () => {
    const { clock, limiter: rl } = limiter({ a: { minGapMs: 0, maxPerMinute: 3 } });
    const t0 = clock.now();
    expect(rl.tryAcquire('a')).toBe(t0);
    clock.advance(SECOND);
    expect(rl.tryAcquire('a')).toBeDefined();
    clock.advance(SECOND);
    expect(rl.tryAcquire('a')).toBeDefined();
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 58 * SECOND });

    clock.set(t0 + MINUTE - 1);
    expect(rl.tryAcquire('a')).toBeUndefined();
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 1 });

    clock.set(t0 + MINUTE);
    expect(rl.tryAcquire('a')).toBe(t0 + MINUTE);
    // The window now holds t0+1s, t0+2s, t0+60s: the next slot opens when t0+1s leaves.
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: SECOND });
  });

  it('allows maxPerHour posts, then refuses until the oldest is an hour old', () => {
    const { clock, limiter: rl } = limiter({ a: { minGapMs: 0, maxPerMinute: 10, maxPerHour: 5 } });
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) {
      expect(rl.tryAcquire('a')).toBe(t0 + i * MINUTE);
      clock.advance(MINUTE);
    }
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 55 * MINUTE });
    clock.set(t0 + HOUR - 1);
    expect(rl.tryAcquire('a')).toBeUndefined();
    clock.set(t0 + HOUR);
    expect(rl.tryAcquire('a')).toBe(t0 + HOUR);
  });

  it('keeps each entity in its own bucket', () => {
    const { limiter: rl } = limiter({ a: { minGapMs: MINUTE }, b: { minGapMs: MINUTE } });
    expect(rl.tryAcquire('a')).toBeDefined();
    expect(rl.tryAcquire('a')).toBeUndefined();
    expect(rl.tryAcquire('b')).toBeDefined();
  });

  it('takes new limits without a restart', () => {
    const { limiter: rl } = limiter({ a: NO_LIMITS });
    expect(rl.tryAcquire('a')).toBeDefined();
    rl.setLimits('a', { minGapMs: 10 * SECOND });
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 10 * SECOND });
    rl.setLimits('new', NO_LIMITS);
    expect(rl.check('new')).toEqual({ ok: true });
  });
});

describe('RateLimiter: global limits', () => {
  it('caps the whole fleet per minute, across entities', () => {
    const { clock, limiter: rl } = limiter(
      { a: NO_LIMITS, b: NO_LIMITS, c: NO_LIMITS },
      {
        minGapMs: 0,
        maxPerMinute: 2,
      },
    );
    const t0 = clock.now();
    expect(rl.tryAcquire('a')).toBeDefined();
    expect(rl.tryAcquire('b')).toBeDefined();
    expect(rl.check('c')).toEqual({ ok: false, reason: 'global rate limit', retryAfterMs: MINUTE });
    expect(rl.tryAcquire('c')).toBeUndefined();
    clock.set(t0 + MINUTE);
    expect(rl.tryAcquire('c')).toBe(t0 + MINUTE);
  });

  it('caps the whole fleet per hour', () => {
    const { clock, limiter: rl } = limiter({ a: NO_LIMITS, b: NO_LIMITS }, { minGapMs: 0, maxPerHour: 3 });
    const t0 = clock.now();
    rl.tryAcquire('a');
    clock.advance(10 * MINUTE);
    rl.tryAcquire('b');
    clock.advance(10 * MINUTE);
    rl.tryAcquire('a');
    expect(rl.check('b')).toEqual({ ok: false, reason: 'global rate limit', retryAfterMs: 40 * MINUTE });
    clock.set(t0 + HOUR);
    expect(rl.check('b')).toEqual({ ok: true });
  });

  it('keeps the fleet-wide minimum gap between posts by different entities', () => {
    const { clock, limiter: rl } = limiter({ a: NO_LIMITS, b: NO_LIMITS }, { minGapMs: 2 * SECOND });
    expect(rl.tryAcquire('a')).toBeDefined();
    expect(rl.check('b')).toEqual({ ok: false, reason: 'global rate limit', retryAfterMs: 2 * SECOND });
    clock.advance(2 * SECOND);
    expect(rl.tryAcquire('b')).toBeDefined();
  });

  it("reports the entity's own limit first when both apply", () => {
    const { limiter: rl } = limiter({ a: { minGapMs: 5 * SECOND } }, { minGapMs: 10 * SECOND });
    rl.tryAcquire('a');
    expect(rl.check('a')).toEqual({ ok: false, reason: 'entity rate limit', retryAfterMs: 5 * SECOND });
  });
});

describe('RateLimiter: release, restore, state', () => {
  it('gives a slot back on release, to the entity and to the fleet', () => {
    const { limiter: rl } = limiter(
      { a: { minGapMs: 0, maxPerMinute: 1 }, b: NO_LIMITS },
      { minGapMs: 0, maxPerMinute: 1 },
    );
    const at = rl.tryAcquire('a') as number;
    expect(rl.check('a').ok).toBe(false);
    expect(rl.check('b')).toMatchObject({ ok: false, reason: 'global rate limit' });
    rl.release('a', at);
    expect(rl.check('a')).toEqual({ ok: true });
    expect(rl.check('b')).toEqual({ ok: true });
    expect(rl.state('a')).toMatchObject({ postsLastMinute: 0, postsLastHour: 0 });
  });

  it('holds the limits after a restart once the persisted posts are restored', () => {
    const limits = { a: { minGapMs: 0, maxPerMinute: 2, maxPerHour: 3 } };
    const before = limiter(limits);
    const posts: { entityId: string; at: number }[] = [];
    const t0 = before.clock.now();
    for (const offset of [0, 30 * MINUTE, 59 * MINUTE + 30 * SECOND]) {
      before.clock.set(t0 + offset);
      posts.push({ entityId: 'a', at: before.limiter.tryAcquire('a') as number });
    }

    // A fresh limiter knows nothing until the store replays the last hour.
    const after = limiter(limits);
    after.clock.set(t0 + 59 * MINUTE + 40 * SECOND);
    expect(after.limiter.check('a')).toEqual({ ok: true });
    after.limiter.restore(posts);
    expect(after.limiter.check('a')).toEqual({
      ok: false,
      reason: 'entity rate limit',
      retryAfterMs: 20 * SECOND,
    });
    expect(after.limiter.state('a')).toEqual({
      postsLastMinute: 1,
      postsLastHour: 3,
      nextAllowedAt: t0 + HOUR,
    });
    after.clock.set(t0 + HOUR);
    expect(after.limiter.tryAcquire('a')).toBe(t0 + HOUR);
  });

  it('counts restored posts of unknown entities against the fleet only, and ignores posts older than an hour', () => {
    const { clock, limiter: rl } = limiter({ a: NO_LIMITS }, { minGapMs: 0, maxPerHour: 2 });
    const now = clock.now();
    rl.restore([
      { entityId: 'a', at: now - 2 * HOUR },
      { entityId: 'gone', at: now - 30 * MINUTE },
      { entityId: 'a', at: now - 10 * MINUTE },
    ]);
    expect(rl.state('a')).toEqual({ postsLastMinute: 0, postsLastHour: 1, nextAllowedAt: now + 30 * MINUTE });
    expect(rl.check('a')).toEqual({ ok: false, reason: 'global rate limit', retryAfterMs: 30 * MINUTE });
  });

  it('reports postsLastMinute, postsLastHour and nextAllowedAt', () => {
    const { clock, limiter: rl } = limiter({ a: { minGapMs: 10 * SECOND, maxPerMinute: 5 } });
    const t0 = clock.now();
    expect(rl.state('a')).toEqual({ postsLastMinute: 0, postsLastHour: 0, nextAllowedAt: t0 });
    rl.tryAcquire('a');
    clock.advance(30 * SECOND);
    rl.tryAcquire('a');
    expect(rl.state('a')).toEqual({
      postsLastMinute: 2,
      postsLastHour: 2,
      nextAllowedAt: t0 + 40 * SECOND,
    });
    clock.advance(45 * SECOND);
    expect(rl.state('a')).toEqual({
      postsLastMinute: 1,
      postsLastHour: 2,
      nextAllowedAt: t0 + 75 * SECOND,
    });
  });

  it('includes the global limit in nextAllowedAt', () => {
    const { clock, limiter: rl } = limiter({ a: NO_LIMITS, b: NO_LIMITS }, { minGapMs: 20 * SECOND });
    rl.tryAcquire('b');
    expect(rl.state('a')).toEqual({
      postsLastMinute: 0,
      postsLastHour: 0,
      nextAllowedAt: clock.now() + 20 * SECOND,
    });
  });

  it('refuses an unknown entity without counting anything', () => {
    const { limiter: rl } = limiter({ a: NO_LIMITS }, { minGapMs: 0, maxPerMinute: 1 });
    expect(rl.check('nobody')).toEqual({
      ok: false,
      reason: 'unknown entity "nobody"',
      retryAfterMs: Infinity,
    });
    expect(rl.tryAcquire('nobody')).toBeUndefined();
    expect(rl.state('nobody')).toBeUndefined();
    expect(rl.tryAcquire('a')).toBeDefined();
  });
});
