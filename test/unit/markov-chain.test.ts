import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { BOUNDARY, MarkovChain } from '../../markov/markov-chain.js';
import { sampleReply, type ReplyCheck } from '../../markov/sampler.js';

const words = (s: string) => s.split(' ');
const lenient: ReplyCheck = { countWords: (t) => t.length, isVerbatim: () => false };
const options = { keywords: [] as string[], minWords: 1, maxWords: 40, maxTries: 20 };

describe('MarkovChain', () => {
  it('counts transitions incrementally, forward and backward', () => {
    const chain = new MarkovChain(2);
    chain.add(words('the cat sat'));
    chain.add(words('the cat ran'));
    // States: (^ ^) (^ the) (the cat) (cat sat) (cat ran); 4 transitions per message.
    expect(chain.stats).toEqual({
      stateSize: 2,
      vocabulary: 4,
      forwardStates: 5,
      transitions: 8,
      messages: 2,
    });
    const the = chain.idOf('the')!;
    const cat = chain.idOf('cat')!;
    const random = seededRandom(1);
    const next = new Set(
      Array.from({ length: 50 }, () => chain.tokenOf(chain.step('forward', [the, cat], random)!)),
    );
    expect(next).toEqual(new Set(['sat', 'ran']));
    expect(chain.step('backward', [the, cat], random)).toBe(BOUNDARY);
  });

  it('weights successors by frequency (markov-strings ignores frequency)', () => {
    const chain = new MarkovChain(1);
    for (let i = 0; i < 9; i++) chain.add(words('go left'));
    chain.add(words('go right'));
    const go = chain.idOf('go')!;
    const random = seededRandom(7);
    let left = 0;
    for (let i = 0; i < 10_000; i++)
      if (chain.tokenOf(chain.step('forward', [go], random)!) === 'left') left++;
    expect(left / 10_000).toBeCloseTo(0.9, 1);
  });

  it('removes a message exactly, leaving the chain as if it was never added', () => {
    const chain = new MarkovChain(2);
    chain.add(words('a b c'));
    const before = chain.stats;
    chain.add(words('a b d e'));
    chain.remove(words('a b d e'));
    // The vocabulary keeps the words it has seen; every count is back where it was.
    expect({ ...chain.stats, vocabulary: before.vocabulary }).toEqual(before);
    const random = seededRandom(3);
    const [a, b] = [chain.idOf('a')!, chain.idOf('b')!];
    for (let i = 0; i < 20; i++) expect(chain.tokenOf(chain.step('forward', [a, b], random)!)).toBe('c');
  });

  it('ignores the removal of a message it never saw', () => {
    const chain = new MarkovChain(2);
    chain.add(words('a b c'));
    chain.remove(words('x y z'));
    expect(chain.stats.messages).toBe(1);
  });

  it('refuses a state size outside 1..4 with a clear message', () => {
    expect(() => new MarkovChain(0)).toThrow('MarkovChain: stateSize must be an integer from 1 to 4, got 0');
  });
});

describe('sampleReply', () => {
  const chain = new MarkovChain(1);
  for (const line of ['i like green tea', 'you like black coffee', 'we drink green tea at night'])
    chain.add(words(line));

  it('GIVEN a keyword the chain knows THEN the reply contains it, grown in both directions', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 20; i++) {
      const outcome = sampleReply(chain, lenient, { ...options, keywords: ['coffee'], random });
      expect(outcome.ok && outcome.seeded).toBe(true);
      if (outcome.ok) {
        expect(outcome.tokens).toContain('coffee');
        expect(outcome.tokens.at(-1)).toBe('coffee');
      }
    }
  });

  it('GIVEN no known keyword THEN it starts from the start marker', () => {
    const outcome = sampleReply(chain, lenient, { ...options, keywords: ['pizza'], random: seededRandom(2) });
    expect(outcome).toMatchObject({ ok: true, seeded: false });
  });

  it('reports failure instead of emitting a reply that breaks the rules', () => {
    const outcome = sampleReply(
      chain,
      { countWords: (t) => t.length, isVerbatim: () => true },
      { ...options, random: seededRandom(5) },
    );
    expect(outcome).toEqual({ ok: false, reason: 'no acceptable reply', tries: 20, seeded: false });
    expect(sampleReply(new MarkovChain(2), lenient, { ...options, random: seededRandom(5) })).toMatchObject({
      ok: false,
      reason: 'empty chain',
    });
  });

  it('honours the word bounds', () => {
    const random = seededRandom(9);
    for (let i = 0; i < 30; i++) {
      const outcome = sampleReply(chain, lenient, { ...options, minWords: 4, maxWords: 5, random });
      if (outcome.ok) expect(outcome.tokens.length).toBeGreaterThanOrEqual(4);
      if (outcome.ok) expect(outcome.tokens.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('MarkovChain removal edge cases', () => {
  it('ignores a message that was never added even when all its words are known', () => {
    const chain = new MarkovChain(2);
    chain.add(words('a b c'));
    chain.add(words('c b a'));
    const before = chain.stats;
    chain.remove(words('a b a'));
    expect(chain.stats).toEqual(before);
  });

  it('keeps one seed entry per state across remove and re-add', () => {
    const chain = new MarkovChain(2);
    chain.add(words('x y z'));
    chain.remove(words('x y z'));
    chain.add(words('x y z'));
    expect(chain.seedStates([chain.idOf('x')!])).toEqual([
      MarkovChain.key([chain.idOf('x')!, chain.idOf('y')!]),
    ]);
  });
});
