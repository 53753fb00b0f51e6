// Vose's alias table: draws follow the weights (checked statistically with a seeded PRNG and exactly with an
// even sweep of the unit interval), zero weights are never drawn, and bad weights fail with exact messages.
import { describe, expect, it } from 'vitest';
import { AliasTable } from '../../markov/alias-table.js';
import { seededRandom } from '../../core/random.js';

function frequencies(table: AliasTable, draws: number, random: () => number): number[] {
  const counts = new Array<number>(table.size).fill(0);
  for (let i = 0; i < draws; i++) {
    const index = table.sample(random);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count) => count / draws);
}

function drawnIndices(table: AliasTable, draws: number, random: () => number): Set<number> {
  const seen = new Set<number>();
  for (let i = 0; i < draws; i++) seen.add(table.sample(random));
  return seen;
}

/** Counts over `points` evenly spaced values of u: with exact arithmetic each index gets weight/sum of them. */
function sweepCounts(table: AliasTable, points: number): number[] {
  const counts = new Array<number>(table.size).fill(0);
  for (let k = 0; k < points; k++) {
    const u = (k + 0.5) / points;
    const index = table.sample(() => u);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

describe('AliasTable sampling', () => {
  it('follows weights [1, 2, 3, 4] within ±0.01 over 200,000 seeded draws', () => {
    const table = AliasTable.build([1, 2, 3, 4]);
    const observed = frequencies(table, 200_000, seededRandom(42));
    [0.1, 0.2, 0.3, 0.4].forEach((expected, i) => {
      expect(Math.abs((observed[i] ?? 0) - expected)).toBeLessThan(0.01);
    });
  });

  it('is exactly proportional over an even sweep of the unit interval', () => {
    const counts = sweepCounts(AliasTable.build([1, 2, 3, 4]), 10_000);
    [1000, 2000, 3000, 4000].forEach((expected, i) => {
      expect(Math.abs((counts[i] ?? 0) - expected)).toBeLessThanOrEqual(1);
    });
  });

  it('never draws a zero weight', () => {
    const table = AliasTable.build([0, 5, 0, 1, 0, 0, 2]);
    expect([...drawnIndices(table, 100_000, seededRandom(7))].sort((a, b) => a - b)).toEqual([1, 3, 6]);
    const counts = sweepCounts(table, 8_000);
    expect(counts).toEqual([0, 5000, 0, 1000, 0, 0, 2000]);
  });

  it('always draws the only entry of a single weight', () => {
    const table = AliasTable.build([3]);
    expect(table.size).toBe(1);
    expect([...drawnIndices(table, 1000, seededRandom(1))]).toEqual([0]);
  });

  it('always draws the only positive weight among zeros', () => {
    const table = AliasTable.build([0, 0, 7, 0]);
    expect([...drawnIndices(table, 10_000, seededRandom(2))]).toEqual([2]);
    expect(table.sample(() => 0)).toBe(2);
    expect(table.sample(() => 0.9999999999999999)).toBe(2);
  });

  it('returns an index in range for u at both ends of [0, 1)', () => {
    const table = AliasTable.build([5, 1, 1]);
    for (const u of [0, Number.EPSILON, 0.5, 1 - Number.EPSILON, 0.9999999999999999]) {
      const index = table.sample(() => u);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(3);
    }
  });

  it('keeps proportions for weights near the limits of floating point', () => {
    expect(sweepCounts(AliasTable.build([1e308, 1e308]), 1000)).toEqual([500, 500]);
    expect(sweepCounts(AliasTable.build([5e-324, 1.5e-323]), 1000)).toEqual([250, 750]);
  });

  it('accepts typed arrays and reports its size', () => {
    const table = AliasTable.build(new Float64Array([2, 2, 4]));
    expect(table.size).toBe(3);
    expect(sweepCounts(table, 4000)).toEqual([1000, 1000, 2000]);
  });

  it('follows 10,000 random weights: bucket frequencies pass a chi-square test', () => {
    const weightRandom = seededRandom(2024);
    const weights = Array.from({ length: 10_000 }, () => Math.floor(weightRandom() * 1000));
    weights[1234] = 250_000; // one heavy entry, about a third of the mass
    const table = AliasTable.build(weights);
    const total = weights.reduce((sum, w) => sum + w, 0);

    const buckets = 20;
    const perBucket = weights.length / buckets;
    const expected = new Array<number>(buckets).fill(0);
    weights.forEach((w, i) => {
      const b = Math.floor(i / perBucket);
      expected[b] = (expected[b] ?? 0) + w / total;
    });

    const draws = 500_000;
    const observed = new Array<number>(buckets).fill(0);
    const random = seededRandom(99);
    let heavy = 0;
    for (let i = 0; i < draws; i++) {
      const index = table.sample(random);
      if (weights[index] === 0) throw new Error(`drew zero-weight index ${index}`);
      if (index === 1234) heavy++;
      const b = Math.floor(index / perBucket);
      observed[b] = (observed[b] ?? 0) + 1;
    }

    let chiSquare = 0;
    expected.forEach((p, b) => {
      const e = p * draws;
      chiSquare += ((observed[b] ?? 0) - e) ** 2 / e;
    });
    // 19 degrees of freedom: P(χ² > 43.8) = 0.001.
    expect(chiSquare).toBeLessThan(43.8);
    expect(Math.abs(heavy / draws - 250_000 / total)).toBeLessThan(0.005);
  });
});

describe('AliasTable.build errors', () => {
  it.each([[[]], [[0]], [[0, 0, 0]]])('rejects %j: no positive weight', (weights) => {
    expect(() => AliasTable.build(weights)).toThrow(
      new Error('AliasTable.build: needs at least one positive weight'),
    );
  });

  it.each([
    [[1, -1], 'got -1 at index 1'],
    [[Number.NaN], 'got NaN at index 0'],
    [[1, 2, Number.POSITIVE_INFINITY], 'got Infinity at index 2'],
    [[-0.5, 1], 'got -0.5 at index 0'],
  ])('rejects %j', (weights, detail) => {
    expect(() => AliasTable.build(weights)).toThrow(
      new Error(`AliasTable.build: weights must be finite and ≥ 0, ${detail}`),
    );
  });
});
