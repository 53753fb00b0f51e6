// LayeredChain: a frozen base read with an overlay of added messages and tombstones of removed ones must sample
// exactly from the merged counts, match the base draw for draw while nothing changed, and merge into the counts
// of a chain trained on the resulting messages.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { FrozenChain } from '../../markov/frozen-chain.js';
import { baseVocabulary, LayeredChain } from '../../markov/layered-chain.js';
import { BOUNDARY, MarkovChain } from '../../markov/markov-chain.js';
import { sampleReply, type ReplyCheck } from '../../markov/sampler.js';
import { normalizeWord } from '../../markov/tokenizer.js';

type Counts = Iterable<[number[], number, number]>;

const words = (s: string) => s.split(' ');
const lenient: ReplyCheck = { countWords: (t) => t.length, isVerbatim: () => false };

function train(stateSize: number, lines: readonly string[]): MarkovChain {
  const chain = new MarkovChain(stateSize, normalizeWord);
  for (const line of lines) chain.add(words(line));
  return chain;
}

function freeze(chain: MarkovChain): FrozenChain {
  return FrozenChain.build(chain.stateSize, chain.vocabulary, chain.forwardCounts(), chain.messageCount);
}

/** A layered chain over the base built from `base`, with `added` in the overlay and `removed` tombstoned. */
function layered(
  k: number,
  base: readonly string[],
  added: readonly string[] = [],
  removed: readonly string[] = [],
) {
  const chain = LayeredChain.over(freeze(train(k, base)));
  for (const line of added) chain.overlay.add(words(line));
  for (const line of removed) chain.tombstones.add(words(line));
  return chain;
}

/** Forward counts as a sorted multiset of [state tokens, next token, count], independent of the ids. */
function multiset(counts: Counts, tokenOf: (id: number) => string): string[] {
  return [...counts].map(([state, next, n]) => JSON.stringify([state.map(tokenOf), tokenOf(next), n])).sort();
}

/** Messages of 1 to 7 tokens over a small vocabulary with case variants: repeats exercise the merging. */
function randomCorpus(seed: number, messages: number): string[] {
  const random = seededRandom(seed);
  const alphabet = ['a', 'b', 'c', 'd', 'e', 'B', 'f'];
  return Array.from({ length: messages }, () =>
    Array.from({ length: 1 + Math.floor(random() * 7) }, () => alphabet[Math.floor(random() * 7)]).join(' '),
  );
}

describe('FrozenChain lookups used by layering', () => {
  it('finds ids by token, and totals and counts of rows short and long', () => {
    const lines = ['x a', 'x a', ...Array.from({ length: 40 }, (_, i) => `x w${i}`)];
    const chain = freeze(train(1, lines));
    expect(chain.idOf('')).toBe(BOUNDARY);
    expect(chain.idOf('nope')).toBeUndefined();
    const x = chain.idOf('x')!;
    const a = chain.idOf('a')!;
    expect(chain.tokenOf(x)).toBe('x');
    expect(chain.vocabularySize).toBe(1 + 1 + 1 + 40);
    for (let i = 0; i < 3; i++) expect(chain.total('forward', [x])).toBe(42);
    expect(chain.count('forward', [x], a)).toBe(2);
    expect(chain.count('forward', [a], x)).toBe(0);
    expect(chain.total('backward', [a])).toBe(2);
    expect(chain.total('forward', [999])).toBe(0);
    expect(chain.total('forward', [BOUNDARY])).toBe(42);
  });
});

describe('LayeredChain', () => {
  it('samples exactly as its base, draw for draw, while the overlay and tombstones are empty', () => {
    const base = freeze(train(2, randomCorpus(1, 300)));
    const chain = LayeredChain.over(base);
    const options = { minWords: 1, maxWords: 40, maxTries: 5 };
    for (const keyword of ['a', 'b', 'f', 'zzz']) {
      const r1 = seededRandom(42);
      const r2 = seededRandom(42);
      for (let i = 0; i < 20; i++) {
        const one = sampleReply(base, lenient, { ...options, keywords: [keyword], random: r1 });
        const two = sampleReply(chain, lenient, { ...options, keywords: [keyword], random: r2 });
        expect(two).toEqual(one);
      }
      expect(r2()).toBe(r1());
    }
  });

  it('merges base and overlay counts into those of a chain trained on all the messages', () => {
    for (const k of [1, 2, 3]) {
      const first = randomCorpus(2 + k, 200);
      const second = [...randomCorpus(9 + k, 100), 'g new tokens g', 'B new'];
      const chain = layered(k, first, second);
      const all = train(k, [...first, ...second]);
      expect(chain.messageCount).toBe(300 + 2);
      expect(multiset(chain.forwardCounts(), (id) => chain.tokenOf(id))).toEqual(
        multiset(all.forwardCounts(), (id) => all.tokenOf(id)),
      );
    }
  });

  it('takes away exactly the counts of tombstoned messages', () => {
    for (const k of [1, 2]) {
      const base = randomCorpus(20 + k, 200);
      const removed = base.filter((_, i) => i % 3 === 0);
      const kept = base.filter((_, i) => i % 3 !== 0);
      const added = randomCorpus(30 + k, 50);
      const chain = layered(k, base, added, removed);
      for (const line of removed)
        expect(chain.tombstonesWithinBase(words(line).map((t) => chain.base.idOf(t)!))).toBe(true);
      const expected = train(k, [...kept, ...added]);
      expect(chain.messageCount).toBe(expected.messageCount);
      expect(multiset(chain.forwardCounts(), (id) => chain.tokenOf(id))).toEqual(
        multiset(expected.forwardCounts(), (id) => expected.tokenOf(id)),
      );
    }
  });

  it('notices a tombstone the base cannot hold', () => {
    const chain = layered(1, ['a b']);
    chain.tombstones.add(words('a b'));
    chain.tombstones.add(words('a b'));
    const ids = words('a b').map((t) => chain.base.idOf(t)!);
    expect(chain.tombstonesWithinBase(ids)).toBe(false);
    chain.tombstones.remove(words('a b'));
    expect(chain.tombstonesWithinBase(ids)).toBe(true);
  });

  it('samples each successor as often as its merged count says', () => {
    // After "a": base b×3 c×1, overlay d×2 b×1, tombstones b×1: merged b×3, c×1, d×2.
    const chain = layered(1, ['a b', 'a b', 'a b', 'a c'], ['a d', 'a d', 'a b'], ['a b']);
    const a = chain.base.idOf('a')!;
    const random = seededRandom(5);
    const hits = new Map<string, number>();
    const N = 60_000;
    for (let i = 0; i < N; i++) {
      const token = chain.tokenOf(chain.step('forward', [a], random)!);
      hits.set(token, (hits.get(token) ?? 0) + 1);
    }
    expect(hits.get('b')! / N).toBeCloseTo(3 / 6, 2);
    expect(hits.get('c')! / N).toBeCloseTo(1 / 6, 2);
    expect(hits.get('d')! / N).toBeCloseTo(2 / 6, 2);
    // Backward from "d" reaches only "a".
    const d = chain.overlay.idOf('d')!;
    expect(chain.tokenOf(chain.step('backward', [d], random)!)).toBe('a');
  });

  it('stays exact when nearly everything is tombstoned (the row scan after rejections)', () => {
    const chain = layered(
      1,
      [...new Array<string>(400).fill('a b'), 'a c'],
      [],
      new Array<string>(399).fill('a b'),
    );
    const a = chain.base.idOf('a')!;
    const random = seededRandom(8);
    let b = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) if (chain.tokenOf(chain.step('forward', [a], random)!) === 'b') b++;
    expect(b / N).toBeCloseTo(0.5, 1);
  });

  it('gives undefined for a state whose every count is tombstoned, and no message', () => {
    const chain = layered(1, ['x y'], [], ['x y']);
    const x = chain.base.idOf('x')!;
    const random = seededRandom(1);
    expect(chain.messageCount).toBe(0);
    expect(chain.step('forward', [x], random)).toBeUndefined();
    expect(chain.step('forward', [BOUNDARY], random)).toBeUndefined();
    expect(chain.step('backward', [BOUNDARY], random)).toBeUndefined();
    expect([...chain.forwardCounts()]).toEqual([]);
    expect(
      sampleReply(chain, lenient, { keywords: ['x'], random, minWords: 1, maxWords: 5, maxTries: 3 }).ok,
    ).toBe(false);
  });

  it('shares ids across the layers: base tokens keep theirs, new ones follow, idsMatching lists both', () => {
    const chain = layered(2, ['Hello there', 'hello world']);
    const base = chain.base;
    const size = base.vocabularySize;
    chain.overlay.add(words('HELLO there friend'));
    expect(chain.overlay.idOf('there')).toBe(base.idOf('there'));
    const upper = chain.overlay.idOf('HELLO')!;
    const friend = chain.overlay.idOf('friend')!;
    expect(upper).toBeGreaterThanOrEqual(size);
    expect(friend).toBeGreaterThanOrEqual(size);
    expect(chain.overlay.idsMatching('hello')).toEqual([upper]);
    expect(chain.idsMatching('hello')).toEqual([base.idOf('Hello'), base.idOf('hello'), upper]);
    expect(chain.idsMatching('friend')).toEqual([friend]);
    expect(chain.idsMatching('there')).toEqual([base.idOf('there')]);
    expect(chain.idsMatching('nothing')).toEqual([]);
    for (const token of ['Hello', 'hello', 'HELLO', 'there', 'friend']) {
      expect(chain.tokenOf(chain.overlay.idOf(token)!)).toBe(token);
      expect(chain.overlay.tokenOf(chain.overlay.idOf(token)!)).toBe(token);
    }
    expect(chain.overlay.vocabulary).toEqual(['', 'Hello', 'there', 'hello', 'world', 'HELLO', 'friend']);
    // "there" begins a forward state only in the overlay ("there friend"): the seed comes from there.
    for (let seed = 0; seed < 10; seed++) {
      const state = chain.pickSeed(chain.idsMatching('there'), seededRandom(seed));
      expect(state?.map((id) => chain.tokenOf(id))).toEqual(['there', 'friend']);
    }
    expect(chain.pickSeed(chain.idsMatching('friend'), seededRandom(1))).toBeUndefined();
  });

  it('keeps a MarkovChain without a base as before', () => {
    const plain = new MarkovChain(2);
    plain.add(words('a b'));
    const over = new MarkovChain(2, normalizeWord, { base: baseVocabulary(freeze(plain)) });
    over.add(words('a c'));
    expect(plain.vocabulary).toEqual(['', 'a', 'b']);
    expect(over.idOf('a')).toBe(1);
    expect(over.idOf('c')).toBe(3);
    expect(over.stats.vocabulary).toBe(3);
  });
});
