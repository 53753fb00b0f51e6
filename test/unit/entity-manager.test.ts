// Choosing who answers: certain candidates first, chance rolls from a seeded Random, the rate limiter
// and the per-message cap.
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../bots/analyzer/index.js';
import { FakeClock } from '../../core/clock.js';
import { seededRandom, type Random } from '../../core/random.js';
import { selectResponders } from '../../entities/entity-manager.js';
import { RateLimiter, type PostingLimits } from '../../entities/rate-limiter.js';

const FREE: PostingLimits = { minGapMs: 0 };

function limiterFor(ids: readonly string[], limits: PostingLimits = FREE, clock = new FakeClock()) {
  return new RateLimiter(clock, FREE, new Map(ids.map((id) => [id, limits])));
}

const certain = (entityId: string): Candidate => ({ entityId, reason: 'mentioned', probability: 1 });
const chance = (entityId: string, probability: number): Candidate => ({
  entityId,
  reason: 'chance',
  probability,
});

/** A Random that always returns the same number. */
const always =
  (value: number): Random =>
  () =>
    value;

describe('selectResponders', () => {
  it('puts certain candidates first, whatever their order in the list', () => {
    const candidates = [chance('x', 0.9), chance('y', 0.9), certain('m')];
    const { selected } = selectResponders(candidates, always(0), limiterFor(['x', 'y', 'm']), 1);
    expect(selected).toEqual([{ entityId: 'm', reason: 'mentioned', postAt: new FakeClock().now() }]);
  });

  it('never selects more than the per-message cap', () => {
    const candidates = [certain('a'), certain('b'), certain('c'), chance('d', 0.9)];
    const { selected, limited } = selectResponders(
      candidates,
      always(0),
      limiterFor(['a', 'b', 'c', 'd']),
      2,
    );
    expect(selected.map((s) => s.entityId)).toEqual(['a', 'b']);
    expect(limited).toEqual([]);
  });

  it('counts each selected post against the rate limiter', () => {
    const clock = new FakeClock();
    const limiter = limiterFor(['a'], { minGapMs: 60_000 }, clock);
    const { selected } = selectResponders([certain('a')], always(0), limiter, 2);
    expect(selected).toEqual([{ entityId: 'a', reason: 'mentioned', postAt: clock.now() }]);
    expect(limiter.state('a')?.postsLastMinute).toBe(1);
  });

  it('reports rate-limited candidates in `limited` and lets the next one take the slot', () => {
    const limiter = limiterFor(['a', 'b', 'c'], { minGapMs: 60_000 });
    limiter.tryAcquire('a');
    const { selected, limited } = selectResponders(
      [certain('a'), certain('b'), certain('c')],
      always(0),
      limiter,
      1,
    );
    expect(limited).toEqual(['a']);
    expect(selected.map((s) => s.entityId)).toEqual(['b']);
  });

  it('reports a lucky candidate held back by a limit, but not one that lost its roll', () => {
    const limiter = limiterFor(['won', 'lost'], { minGapMs: 60_000 });
    limiter.tryAcquire('won');
    limiter.tryAcquire('lost');
    const { selected, limited } = selectResponders(
      [chance('won', 0.6), chance('lost', 0.4)],
      always(0.5),
      limiter,
      2,
    );
    expect(selected).toEqual([]);
    expect(limited).toEqual(['won']);
  });

  it('selects a chance candidate only when the roll is below its probability', () => {
    const pick = (roll: number) =>
      selectResponders([chance('a', 0.3)], always(roll), limiterFor(['a']), 2).selected.map(
        (s) => s.entityId,
      );
    expect(pick(0.29)).toEqual(['a']);
    expect(pick(0.3)).toEqual([]);
    expect(pick(0.99)).toEqual([]);
  });

  it('gives the same choice for the same seed', () => {
    const candidates = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => chance(id, 0.5));
    const choose = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () =>
        selectResponders(candidates, random, limiterFor(candidates.map((c) => c.entityId)), 2).selected.map(
          (s) => s.entityId,
        ),
      );
    };
    expect(choose(42)).toEqual(choose(42));
    expect(choose(42)).not.toEqual(choose(7));
  });

  it('spreads the cap over the lucky candidates rather than always the first listed', () => {
    const candidates = ['a', 'b', 'c', 'd'].map((id) => chance(id, 0.99));
    const random = seededRandom(1);
    const firstPicks = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { selected } = selectResponders(candidates, random, limiterFor(['a', 'b', 'c', 'd']), 1);
      firstPicks.add((selected[0] as { entityId: string }).entityId);
    }
    expect([...firstPicks].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('selects a p=0.3 candidate in 30% ± 2% of 10,000 rolls', () => {
    const random = seededRandom(2026);
    const limiter = limiterFor(['a']);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) {
      const { selected } = selectResponders([chance('a', 0.3)], random, limiter, 1);
      for (const s of selected) {
        hits++;
        limiter.release(s.entityId, s.postAt);
      }
    }
    expect(Math.abs(hits / 10_000 - 0.3)).toBeLessThanOrEqual(0.02);
  });

  it('returns nothing for no candidates', () => {
    expect(selectResponders([], always(0), limiterFor([]), 2)).toEqual({
      selected: [],
      deferred: [],
      limited: [],
    });
  });

  it('GIVEN a mentioned entity held back briefly THEN it is deferred with its wait, not dropped', () => {
    const clock = new FakeClock();
    const limiter = limiterFor(['m', 'c'], { minGapMs: 2000 }, clock);
    limiter.tryAcquire('m');
    limiter.tryAcquire('c');
    clock.advance(500);
    const outcome = selectResponders([certain('m'), chance('c', 0.9)], always(0), limiter, 2, 10_000);
    expect(outcome).toEqual({
      selected: [],
      deferred: [{ entityId: 'm', reason: 'mentioned', waitMs: 1500 }],
      limited: ['c'],
    });
  });

  it('GIVEN a mentioned entity held back longer than maxWaitMs THEN it is dropped as limited', () => {
    const clock = new FakeClock();
    const limiter = limiterFor(['m'], { minGapMs: 0, maxPerMinute: 1 }, clock);
    limiter.tryAcquire('m');
    const outcome = selectResponders([certain('m')], always(0), limiter, 2, 10_000);
    expect(outcome).toEqual({ selected: [], deferred: [], limited: ['m'] });
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});
