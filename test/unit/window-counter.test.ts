import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { MarkovChain } from '../../markov/markov-chain.js';
import { WindowCounter } from '../../markov/window-counter.js';

const normalized = (counts: Iterable<[number[], number, number]>) =>
  [...counts].map(([state, next, count]) => `${state.join(' ')} > ${next} x${count}`).sort();

describe('WindowCounter', () => {
  it.each([1, 2, 3])(
    'GIVEN random messages THEN it counts exactly what MarkovChain counts (state size %i)',
    (k) => {
      const random = seededRandom(100 + k);
      const chain = new MarkovChain(k);
      const counter = new WindowCounter(k);
      for (let m = 0; m < 400; m++) {
        const length = 1 + Math.floor(random() * 8);
        const tokens = Array.from({ length }, () => `w${Math.floor(random() * 12)}`);
        chain.add(tokens);
        counter.add(tokens.map((t) => chain.idOf(t)!));
      }
      expect(normalized(counter.counts())).toEqual(normalized(chain.forwardCounts()));
    },
  );

  it('yields each state’s successors together, states in sorted order', () => {
    const counter = new WindowCounter(1);
    counter.add([3, 2]);
    counter.add([2, 3]);
    counter.add([3, 2]);
    expect([...counter.counts()]).toEqual([
      [[0], 2, 1],
      [[0], 3, 2],
      [[2], 0, 2],
      [[2], 3, 1],
      [[3], 0, 1],
      [[3], 2, 2],
    ]);
  });

  it('grows past its initial buffers', () => {
    const counter = new WindowCounter(2);
    const ids = Array.from({ length: 70_000 }, (_, i) => 1 + (i % 5));
    counter.add(ids);
    const total = [...counter.counts()].reduce((n, [, , count]) => n + count, 0);
    expect(total).toBe(ids.length + 1);
  });
});
