// FrozenChain: the compact chain must hold exactly the MarkovChain's forward and backward counts (boundaries
// included), survive encode/decode byte for byte, and serve sampleReply like the MarkovChain.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { FrozenChain, type FrozenChainParts } from '../../markov/frozen-chain.js';
import { BOUNDARY, MarkovChain } from '../../markov/markov-chain.js';
import { sampleReply, type ReplyCheck, type SampleOutcome } from '../../markov/sampler.js';

type Direction = 'forward' | 'backward';

const words = (s: string) => s.split(' ');
const lenient: ReplyCheck = { countWords: (t) => t.length, isVerbatim: () => false };

function freeze(chain: MarkovChain): FrozenChain {
  return FrozenChain.build(chain.stateSize, chain.vocabulary, chain.forwardCounts(), chain.messageCount);
}

function train(stateSize: number, lines: readonly string[]): MarkovChain {
  const chain = new MarkovChain(stateSize);
  for (const line of lines) chain.add(words(line));
  return chain;
}

/** Messages of 1 to 7 tokens over a 5-word vocabulary: short ones exercise the padding, repeats the merging. */
function randomCorpus(seed: number, messages: number): string[] {
  const random = seededRandom(seed);
  const alphabet = ['a', 'b', 'c', 'd', 'e'];
  return Array.from({ length: messages }, () =>
    Array.from({ length: 1 + Math.floor(random() * 7) }, () => alphabet[Math.floor(random() * 5)]).join(' '),
  );
}

/** Every state of k ids over the vocabulary (including the boundary marker). */
function allStates(k: number, vocabularySize: number): number[][] {
  let states: number[][] = [[]];
  for (let j = 0; j < k; j++) {
    states = states.flatMap((s) => Array.from({ length: vocabularySize }, (_, id) => [...s, id]));
  }
  return states;
}

const sorted = (table: Array<[number, number]>) => [...table].sort((x, y) => x[0] - y[0]);

/**
 * The MarkovChain's exact count table for a state, read through `step` alone: with m columns and random numbers
 * on an even grid of m·M points, each token's share is within 0.5/M of its probability, so for M > 2·total the
 * count (share × total) rounds exactly. `m` and `total` come from the FrozenChain; a mismatch shows up as a
 * token or count that differs.
 */
function markovTable(chain: MarkovChain, direction: Direction, state: number[], m: number, total: number) {
  const M = 4 * total + 1;
  const N = m * M;
  const hits = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const token = chain.step(direction, state, () => (i + 0.5) / N);
    if (token === undefined) throw new Error(`state ${state.join(' ')} vanished`);
    hits.set(token, (hits.get(token) ?? 0) + 1);
  }
  return sorted([...hits].map(([token, n]): [number, number] => [token, Math.round((n / N) * total)]));
}

/** Forward transitions by state (states sorted), successors in their stored order. */
function byState(counts: Iterable<[number[], number, number]>): Array<[string, Array<[number, number]>]> {
  const rows = new Map<string, Array<[number, number]>>();
  for (const [state, next, count] of counts) {
    const key = state.join(' ');
    const row = rows.get(key) ?? [];
    row.push([next, count]);
    rows.set(key, row);
  }
  return [...rows].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/**
 * Compares both directions of every possible state: forward exactly (successors in the same order, so the
 * forward alias tables are the same), backward via markovTable.
 */
function expectSameCounts(markov: MarkovChain, frozen: FrozenChain): number {
  expect(byState(frozen.forwardCounts())).toEqual(byState(markov.forwardCounts()));
  let compared = 0;
  for (const state of allStates(markov.stateSize, markov.vocabulary.length)) {
    for (const direction of ['forward', 'backward'] as const) {
      const table = frozen.successors(direction, state);
      const known = markov.step(direction, state, () => 0.5) !== undefined;
      expect(known, `${direction} ${state.join(' ')}`).toBe(table.length > 0);
      if (!known) continue;
      const total = table.reduce((sum, [, count]) => sum + count, 0);
      expect(
        markovTable(markov, direction, state, table.length, total),
        `${direction} ${state.join(' ')}`,
      ).toEqual(sorted(table));
      compared++;
    }
  }
  return compared;
}

/** A state's table as tokens, for readable expectations. */
function tokensTable(chain: FrozenChain, direction: Direction, vocabulary: readonly string[], state: string) {
  const ids = state.split(' ').map((t) => (t === '^' ? BOUNDARY : vocabulary.indexOf(t)));
  return Object.fromEntries(
    chain.successors(direction, ids).map(([id, count]) => [id === BOUNDARY ? '^' : chain.tokenOf(id), count]),
  );
}

function misaligned(blobs: Record<string, Buffer>): Record<string, Buffer> {
  return Object.fromEntries(
    Object.entries(blobs).map(([name, b]) => [name, Buffer.concat([Buffer.alloc(1), b]).subarray(1)]),
  );
}

describe('FrozenChain: counts', () => {
  it('holds the forward and backward counts of a few sentences, boundaries included (stateSize 2)', () => {
    const markov = train(2, ['the cat sat', 'the cat ran', 'a cat sat']);
    const frozen = freeze(markov);
    const table = (direction: Direction, state: string) =>
      tokensTable(frozen, direction, markov.vocabulary, state);
    expect(table('forward', '^ ^')).toEqual({ the: 2, a: 1 });
    expect(table('forward', 'the cat')).toEqual({ sat: 1, ran: 1 });
    expect(table('forward', 'cat sat')).toEqual({ '^': 2 });
    expect(table('backward', 'the cat')).toEqual({ '^': 2 });
    expect(table('backward', 'cat sat')).toEqual({ the: 1, a: 1 });
    // The padding after a message: (sat ^) exists only backward, and (^ ^) leads back to the last tokens.
    expect(table('backward', 'sat ^')).toEqual({ cat: 2 });
    expect(table('backward', '^ ^')).toEqual({ sat: 2, ran: 1 });
    // Forward-only: a state after two start markers has no backward transition, as in the MarkovChain.
    expect(table('backward', '^ the')).toEqual({});
    expect(markov.step('backward', [BOUNDARY, markov.idOf('the')!], () => 0.5)).toBeUndefined();
    expect(expectSameCounts(markov, frozen)).toBeGreaterThan(10);
  });

  it('merges the backward-only windows that several messages share (stateSize 3, messages shorter than k)', () => {
    const markov = train(3, ['x y', 'z y', 'y', 'w x y']);
    const frozen = freeze(markov);
    const table = (direction: Direction, state: string) =>
      tokensTable(frozen, direction, markov.vocabulary, state);
    expect(table('backward', '^ ^ ^')).toEqual({ y: 4 });
    expect(table('backward', 'y ^ ^')).toEqual({ x: 2, z: 1, '^': 1 });
    expect(table('backward', 'x y ^')).toEqual({ '^': 1, w: 1 });
    expect(table('forward', '^ ^ ^')).toEqual({ x: 1, z: 1, y: 1, w: 1 });
    expectSameCounts(markov, frozen);
  });

  for (const stateSize of [1, 2, 3]) {
    it(`matches the MarkovChain on random corpora, every state and both directions (stateSize ${stateSize})`, () => {
      for (const seed of [1, 2, 3]) {
        const markov = train(stateSize, randomCorpus(seed * 10 + stateSize, 40));
        const frozen = freeze(markov);
        expect(expectSameCounts(markov, frozen)).toBeGreaterThan(5 * stateSize);
        const { bytes, ...stats } = frozen.stats;
        expect(stats).toEqual(markov.stats);
        expect(bytes).toBeGreaterThan(0);
      }
    });
  }

  it('matches the MarkovChain after messages were removed again', () => {
    const lines = randomCorpus(99, 50);
    for (const stateSize of [2, 3]) {
      const markov = train(stateSize, lines);
      for (const line of lines.slice(10, 30)) markov.remove(words(line));
      expectSameCounts(markov, freeze(markov));
    }
  });

  it('steps forward exactly like the MarkovChain: same successor order, same alias tables, same draws', () => {
    const markov = train(2, randomCorpus(5, 60));
    const frozen = freeze(markov);
    for (const [state] of markov.forwardCounts()) {
      const a = seededRandom(state[0]! * 31 + state[1]!);
      const b = seededRandom(state[0]! * 31 + state[1]!);
      for (let i = 0; i < 10; i++)
        expect(frozen.step('forward', state, b)).toBe(markov.step('forward', state, a));
    }
  });

  it('sums a (state, next) pair given twice and keeps successors in first-appearance order', () => {
    const frozen = FrozenChain.build(
      1,
      ['', 'a', 'b'],
      [
        [[1], 2, 1],
        [[0], 1, 2],
        [[1], 0, 1],
        [[1], 2, 3],
        [[2], 0, 4],
      ],
      2,
    );
    expect(byState(frozen.forwardCounts())).toEqual([
      ['0', [[1, 2]]],
      [
        '1',
        [
          [2, 4],
          [0, 1],
        ],
      ],
      ['2', [[0, 4]]],
    ]);
  });

  it('derives a backward state that has no forward state (counts that are not from whole messages)', () => {
    const frozen = FrozenChain.build(1, ['', 'a', 'b'], [[[1], 2, 3]], 1);
    expect(frozen.successors('backward', [2])).toEqual([[1, 3]]);
    expect(frozen.step('forward', [2], () => 0.5)).toBeUndefined();
    expect(frozen.step('backward', [2], () => 0.5)).toBe(1);
  });
});

describe('FrozenChain: persistence', () => {
  const markov = train(2, [...randomCorpus(7, 30), 'Don’t stop', "don't panic", 'naïve café ☕ 日本語']);
  const frozen = freeze(markov);

  function expectSameChain(a: FrozenChain, b: FrozenChain): void {
    expect(b.stats).toEqual(a.stats);
    expect([...b.forwardCounts()]).toEqual([...a.forwardCounts()]);
    for (const state of allStates(2, a.stats.vocabulary + 1)) {
      expect(b.successors('backward', state)).toEqual(a.successors('backward', state));
    }
  }

  it('round-trips parts exactly through encode and decode', () => {
    const parts = frozen.toParts();
    const { header, blobs } = FrozenChain.encode(parts);
    expect(JSON.parse(header)).toMatchObject({ vocabularyEncoding: 'nul', stateSize: 2 });
    const decoded = FrozenChain.decode(header, blobs);
    expect(decoded).toEqual(parts);
    expectSameChain(frozen, FrozenChain.fromParts(decoded));
  });

  it('copes with Buffers that are not 4-byte aligned', () => {
    const { header, blobs } = FrozenChain.encode(frozen.toParts());
    const shifted = misaligned(blobs);
    expect(shifted['forwardNext']!.byteOffset % 4).not.toBe(0);
    const decoded = FrozenChain.decode(header, shifted);
    expect(decoded).toEqual(frozen.toParts());
    expectSameChain(frozen, FrozenChain.fromParts(decoded));
  });

  it('keeps tokens holding U+0000 or a lone surrogate (a JSON vocabulary)', () => {
    const odd = train(1, ['a \u0000b \uD800', 'c\uDC00 a']);
    const parts = freeze(odd).toParts();
    const { header, blobs } = FrozenChain.encode(parts);
    expect(JSON.parse(header)).toMatchObject({ vocabularyEncoding: 'json' });
    expect(FrozenChain.decode(header, misaligned(blobs)).vocabulary).toEqual([
      '',
      'a',
      '\u0000b',
      '\uD800',
      'c\uDC00',
    ]);
  });

  it('refuses a damaged header or blob with a clear message', () => {
    const { header, blobs } = FrozenChain.encode(frozen.toParts());
    expect(() => FrozenChain.decode('{}', blobs)).toThrow('not a frozen chain header');
    expect(() => FrozenChain.decode('nope', blobs)).toThrow('the header is not JSON');
    expect(() =>
      FrozenChain.decode(header, { ...blobs, forwardNext: blobs['forwardNext']!.subarray(4) }),
    ).toThrow('the forwardNext blob holds');
    const { forwardCounts: _dropped, ...missing } = blobs;
    expect(() => FrozenChain.decode(header, missing)).toThrow('the forwardCounts blob is missing');
    const parts = frozen.toParts();
    expect(() =>
      FrozenChain.fromParts({ ...parts, forwardOffsets: parts.forwardOffsets.subarray(1) }),
    ).toThrow('inconsistent parts');
    expect(() => FrozenChain.fromParts({ ...parts, backwardOnlyStates: Int32Array.from([1]) })).toThrow(
      'backwardOnlyStates does not hold whole states',
    );
    const tiny = {
      stateSize: 2,
      messageCount: 1,
      vocabulary: ['', 'a'],
      forwardOffsets: Int32Array.from([0, 1, 2]),
      forwardNext: Int32Array.from([1, 1]),
      forwardCounts: Int32Array.from([1, 1]),
      backwardOnlyStates: new Int32Array(0),
      backwardOffsets: new Int32Array(3),
      backwardPrev: new Int32Array(0),
      backwardCounts: new Int32Array(0),
    };
    expect(() => FrozenChain.fromParts({ ...tiny, forwardStates: Int32Array.from([0, 0, 0, 0]) })).toThrow(
      'state 1 repeats state 0',
    );
    expect(() => FrozenChain.fromParts({ ...tiny, forwardStates: Int32Array.from([0, 0, 0, 5]) })).toThrow(
      'state token id 5',
    );
  });

  it('checks a row (offsets, ids, counts) when it is used, not at load', () => {
    const parts = frozen.toParts();
    const [first] = frozen.forwardCounts();
    const badNext = parts.forwardNext.slice();
    badNext[0] = 10_000;
    const corrupt = FrozenChain.fromParts({ ...parts, forwardNext: badNext });
    expect(() => corrupt.step('forward', first![0], () => 0.5)).toThrow('corrupt chain');
    expect(() => corrupt.successors('forward', first![0])).toThrow('corrupt chain');
    const badOffsets = parts.forwardOffsets.slice();
    badOffsets[1] = parts.forwardNext.length + 5;
    const misplaced = FrozenChain.fromParts({ ...parts, forwardOffsets: badOffsets });
    expect(() => misplaced.step('forward', first![0], () => 0.5)).toThrow('corrupt chain: a row spans');
    const badCounts = parts.forwardCounts.slice();
    badCounts[0] = 0;
    expect(() =>
      FrozenChain.fromParts({ ...parts, forwardCounts: badCounts }).step('forward', first![0], () => 0.5),
    ).toThrow('corrupt chain');
  });

  it('rebuilding from its own forward counts gives the same chain', () => {
    const again = FrozenChain.build(
      2,
      frozen.toParts().vocabulary,
      frozen.forwardCounts(),
      frozen.messageCount,
    );
    const forwardOf = ({
      vocabulary,
      forwardStates,
      forwardOffsets,
      forwardNext,
      forwardCounts,
    }: FrozenChainParts) => ({
      vocabulary,
      forwardStates,
      forwardOffsets,
      forwardNext,
      forwardCounts,
    });
    expect(forwardOf(again.toParts())).toEqual(forwardOf(frozen.toParts()));
    // The backward rows hold the same counts; backward-only states and predecessors may come in another order.
    for (const state of allStates(2, frozen.stats.vocabulary + 1)) {
      expect(sorted(again.successors('backward', state))).toEqual(
        sorted(frozen.successors('backward', state)),
      );
    }
  });

  it('loads parts whose states are in any order (a general table build)', () => {
    const parts = {
      stateSize: 1,
      messageCount: 1,
      vocabulary: ['', 'a', 'b', 'c'],
      forwardOffsets: Int32Array.from([0, 1, 2, 3, 4]),
      forwardNext: Int32Array.from([1, 2, 3, 0]),
      forwardCounts: Int32Array.from([1, 1, 1, 1]),
      backwardOnlyStates: new Int32Array(0),
      backwardOffsets: Int32Array.from([0, 1, 2, 3, 4]),
      backwardPrev: Int32Array.from([3, 0, 1, 2]),
      backwardCounts: Int32Array.from([1, 1, 1, 1]),
    };
    for (const order of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ]) {
      const chain = FrozenChain.fromParts({ ...parts, forwardStates: Int32Array.from(order) });
      order.forEach((state, index) => {
        expect(chain.successors('forward', [state])).toEqual([[parts.forwardNext[index], 1]]);
        expect(chain.successors('backward', [state])).toEqual([[parts.backwardPrev[index], 1]]);
      });
    }
  });

  it('finds every state of many small chains (tables of a few slots, probing past the end)', () => {
    for (let seed = 0; seed < 300; seed++) {
      const markov = train(1 + (seed % 3), randomCorpus(1000 + seed, 1 + (seed % 4)));
      const frozen = freeze(markov);
      const { header, blobs } = FrozenChain.encode(frozen.toParts());
      const loaded = FrozenChain.fromParts(FrozenChain.decode(header, blobs));
      for (const [state, next, count] of markov.forwardCounts()) {
        expect(loaded.successors('forward', state)).toContainEqual([next, count]);
      }
      for (const state of allStates(markov.stateSize, markov.vocabulary.length)) {
        expect(loaded.successors('backward', state)).toEqual(frozen.successors('backward', state));
      }
    }
  });
});

describe('FrozenChain: reading', () => {
  const lines = ['i like green tea', 'you like black coffee', 'we drink green tea at night', 'Green is nice'];

  it('finds the case variants of a word, normalized as the tokenizer does', () => {
    const frozen = freeze(train(2, ['Don’t stop', "don't panic", 'DON’T go']));
    expect(frozen.idsMatching("don't").map((id) => frozen.tokenOf(id))).toEqual(['Don’t', "don't", 'DON’T']);
    expect(frozen.idsMatching('nothing')).toEqual([]);
    expect(frozen.tokenOf(0)).toBe('');
    expect(frozen.tokenOf(999)).toBe('');
  });

  it('picks seeds among all the states that start with the ids, and only those, one draw per call', () => {
    const markov = train(2, randomCorpus(11, 40));
    const frozen = freeze(markov);
    const a = markov.idOf('a')!;
    const c = markov.idOf('c')!;
    const expected = (ids: number[]) =>
      new Set(
        [...markov.forwardCounts()]
          .map(([s]) => s)
          .filter((s) => ids.includes(s[0]!))
          .map((s) => s.join(' ')),
      );
    for (const ids of [[a], [a, c]]) {
      const picked = new Map<string, number>();
      const random = seededRandom(4);
      for (let i = 0; i < 3000; i++) {
        const key = frozen.pickSeed(ids, random)!.join(' ');
        picked.set(key, (picked.get(key) ?? 0) + 1);
      }
      expect(new Set(picked.keys())).toEqual(expected(ids));
      // Uniform over the states, as MarkovChain picks.
      for (const n of picked.values()) expect(n / 3000).toBeCloseTo(1 / picked.size, 1);
    }
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    for (const ids of [[], [BOUNDARY], [999], [-1], [1.5]])
      expect(frozen.pickSeed(ids, counting)).toBeUndefined();
    expect(draws).toBe(5);
  });

  it('gives undefined for unknown states without drawing a number', () => {
    const frozen = freeze(train(2, lines));
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    for (const state of [[], [1], [1, 2, 3], [999, 1], [-1, 1], [1.5, 2], [NaN, 1], [4, 4]]) {
      expect(frozen.step('forward', state, counting)).toBeUndefined();
      expect(frozen.step('backward', state, counting)).toBeUndefined();
      expect(frozen.successors('forward', state)).toEqual([]);
    }
    expect(draws).toBe(0);
  });

  it('is empty when built from nothing, and survives encode/decode so', () => {
    const empty = FrozenChain.build(2, [''], [], 0);
    expect(empty.stats).toMatchObject({ vocabulary: 0, forwardStates: 0, transitions: 0, messages: 0 });
    expect(empty.step('forward', [0, 0], () => 0.5)).toBeUndefined();
    expect(empty.pickSeed([1], () => 0.5)).toBeUndefined();
    const { header, blobs } = FrozenChain.encode(empty.toParts());
    const loaded = FrozenChain.fromParts(FrozenChain.decode(header, blobs));
    expect(loaded.toParts()).toEqual(empty.toParts());
    const options = { keywords: [], random: seededRandom(1), minWords: 1, maxWords: 10, maxTries: 5 };
    expect(sampleReply(loaded, lenient, options)).toMatchObject({ ok: false, reason: 'empty chain' });
  });

  it('refuses bad input to build with a clear message', () => {
    expect(() => FrozenChain.build(2, ['x'], [], 0)).toThrow("must start with the boundary marker ''");
    expect(() => FrozenChain.build(5, [''], [], 0)).toThrow('stateSize must be an integer from 1 to 4');
    expect(() => FrozenChain.build(2, ['', 'a'], [[[0], 1, 1]], 1)).toThrow(
      'a state has 1 tokens, expected 2',
    );
    expect(() => FrozenChain.build(1, ['', 'a'], [[[0], 2, 1]], 1)).toThrow(
      'token id 2 outside the vocabulary',
    );
    expect(() => FrozenChain.build(1, ['', 'a'], [[[0], 1, 0]], 1)).toThrow('count 0 is not a positive');
  });

  for (const stateSize of [1, 2]) {
    it(`replies like the MarkovChain: identical unseeded replies, same distribution when seeded (k=${stateSize})`, () => {
      const markov = train(stateSize, lines);
      const frozen = freeze(markov);
      const options = { minWords: 1, maxWords: 12, maxTries: 5 };
      // Unseeded replies only step forward, where both chains build the same alias tables.
      for (let seed = 0; seed < 200; seed++) {
        const run = (chain: MarkovChain | FrozenChain) =>
          sampleReply(chain, lenient, { ...options, keywords: ['pizza'], random: seededRandom(seed) });
        expect(run(frozen)).toEqual(run(markov));
      }
      // Seeded replies also step backward, whose rows list predecessors in another order: compare distributions.
      const histogram = (chain: MarkovChain | FrozenChain) => {
        const random = seededRandom(123);
        const counts = new Map<string, number>();
        for (let i = 0; i < 4000; i++) {
          const outcome: SampleOutcome = sampleReply(chain, lenient, {
            ...options,
            keywords: ['green'],
            random,
          });
          expect(outcome.ok && outcome.seeded).toBe(true);
          const text = outcome.ok ? outcome.tokens.join(' ') : '';
          counts.set(text, (counts.get(text) ?? 0) + 1);
        }
        return counts;
      };
      const p = histogram(markov);
      const q = histogram(frozen);
      expect(new Set(q.keys())).toEqual(new Set(p.keys()));
      let distance = 0;
      for (const key of new Set([...p.keys(), ...q.keys()]))
        distance += Math.abs((p.get(key) ?? 0) - (q.get(key) ?? 0));
      expect(distance / 2 / 4000).toBeLessThan(0.05);
    });
  }
});
