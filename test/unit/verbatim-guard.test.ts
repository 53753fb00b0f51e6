// The verbatim guard against its rule: no training message verbatim, no run of forbiddenRun(L) words of one
// message; checked by hand-built cases and against a brute-force reference over random corpora.
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../core/random.js';
import { referenceIsVerbatim } from '../support/verbatim-reference.js';
import { VerbatimGuard } from '../../markov/verbatim-guard.js';

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => from + k);
}

function guardOf(...messages: number[][]): VerbatimGuard {
  const guard = new VerbatimGuard();
  for (const message of messages) guard.add(message);
  return guard;
}

function int(random: Random, below: number): number {
  return Math.floor(random() * below);
}

describe('VerbatimGuard.forbiddenRun', () => {
  it('is min(15, round(0.7·L)) + 1 for L = 1..40, halves rounding up', () => {
    const expected = [2, 2, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11, 12, 12, 13, 14, 14, 15];
    for (let length = 21; length <= 40; length++) expected.push(16);
    expect(range(1, 40).map((length) => VerbatimGuard.forbiddenRun(length))).toEqual(expected);
    expect(VerbatimGuard.forbiddenRun(3)).toBe(3);
    expect(VerbatimGuard.forbiddenRun(5)).toBe(5);
    expect(VerbatimGuard.forbiddenRun(10)).toBe(8);
    expect(VerbatimGuard.forbiddenRun(15)).toBe(12);
    expect(VerbatimGuard.forbiddenRun(20)).toBe(15);
    expect(VerbatimGuard.forbiddenRun(21)).toBe(16);
    expect(VerbatimGuard.forbiddenRun(40)).toBe(16);
  });
});

describe('VerbatimGuard', () => {
  it('flags an exact training message of any length', () => {
    const messages = [[7], [8, 9], [1, 2, 3], range(100, 40), []];
    const guard = guardOf(...messages);
    for (const message of messages) expect(guard.isVerbatim(message)).toBe(true);
    expect(guard.isVerbatim([9])).toBe(false);
    expect(guard.isVerbatim([9, 8])).toBe(false);
  });

  it('compares replies under 3 words with whole messages only', () => {
    const guard = guardOf([1, 2, 3, 4], [5]);
    expect(guard.isVerbatim([5])).toBe(true);
    expect(guard.isVerbatim([1])).toBe(false);
    expect(guard.isVerbatim([2, 3])).toBe(false);
    expect(guard.isVerbatim([2, 3, 4])).toBe(true);
    expect(guard.isVerbatim([])).toBe(false);
  });

  it('flags a shared run of exactly forbiddenRun words and passes one word fewer, for L = 3..40', () => {
    const training = range(1, 60);
    const guard = guardOf(training);
    for (let length = 3; length <= 40; length++) {
      const run = VerbatimGuard.forbiddenRun(length);
      for (const shared of [run, run - 1]) {
        const fresh = length - shared;
        for (const before of new Set([0, Math.floor(fresh / 2), fresh])) {
          const reply = [
            ...range(1000, before),
            ...training.slice(7, 7 + shared),
            ...range(2000, fresh - before),
          ];
          expect(reply).toHaveLength(length);
          expect(guard.isVerbatim(reply), `L=${length} shared=${shared} before=${before}`).toBe(
            shared === run,
          );
        }
      }
    }
  });

  it('does not count runs that span two training messages', () => {
    const guard = guardOf(range(1, 10), range(11, 10));
    // 10 words, forbidden run 8: six from the first message and four from the next.
    expect(guard.isVerbatim(range(5, 10))).toBe(false);
    expect(guard.isVerbatim(range(1, 20))).toBe(false);
    expect(guard.isVerbatim(range(3, 10))).toBe(true);
    expect(guard.isVerbatim(range(11, 10))).toBe(true);
  });

  it('never matches ids that are not words, not even against separators', () => {
    const guard = guardOf([1, 2, 3], [4, 5, 6]);
    expect(guard.isVerbatim([2, 3, -1, 4, 5])).toBe(false);
    expect(guard.isVerbatim([1, 2, 3, -1])).toBe(false);
    expect(guard.isVerbatim([-1, 4, 5, 6])).toBe(false);
    expect(guard.isVerbatim([1, -1, 3])).toBe(false);
    expect(guard.isVerbatim([1, 2, 3])).toBe(true);
  });

  it('does not let an unknown word stand in for the end of a message while growing a run', () => {
    // The window before (or after) the unknown word is made of known trigrams, so it is examined, and its
    // rarest trigram sits at the edge of a message; 13 words, forbidden run 10.
    const rightward = guardOf([1, 2, 3, 4, 5, 6, 7, 8], [15, 16, 17], [40, 41, 1, 2], [40, 41, 1, 2]);
    expect(rightward.isVerbatim([40, 41, 1, 2, 3, 4, 5, 6, 7, 8, -1, 15, 16])).toBe(false);
    const leftward = guardOf([20, 21], [1, 2, 3, 4, 5, 6, 7, 8], [7, 8, 41, 40], [7, 8, 41, 40]);
    expect(leftward.isVerbatim([20, 21, -1, 1, 2, 3, 4, 5, 6, 7, 8, 41, 40])).toBe(false);
  });

  it('rejects training messages with invalid word ids', () => {
    const guard = new VerbatimGuard();
    expect(() => guard.add([1, -1])).toThrow(RangeError);
    expect(() => guard.add([1.5])).toThrow(RangeError);
    expect(() => guard.add([2 ** 31])).toThrow(RangeError);
    expect(guard.messages).toBe(0);
  });

  it('forgets a removed message, as a whole and as a source of runs', () => {
    const message = range(1, 12);
    const guard = guardOf(message, [50, 51]);
    expect(guard.isVerbatim(message)).toBe(true);
    expect(guard.isVerbatim([...range(2, 10), 99])).toBe(true);
    guard.remove(message);
    expect(guard.isVerbatim(message)).toBe(false);
    expect(guard.isVerbatim([...range(2, 10), 99])).toBe(false);
    expect(guard.isVerbatim([50, 51])).toBe(true);
    guard.remove([50, 51]);
    expect(guard.isVerbatim([50, 51])).toBe(false);
    expect(guard.messages).toBe(0);
  });

  it('keeps a message added twice until both copies are removed', () => {
    const guard = guardOf([1, 2, 3, 4, 5], [9], [1, 2, 3, 4, 5], [9]);
    guard.remove([1, 2, 3, 4, 5]);
    guard.remove([9]);
    expect(guard.isVerbatim([1, 2, 3, 4, 5])).toBe(true);
    expect(guard.isVerbatim([9])).toBe(true);
    guard.remove([1, 2, 3, 4, 5]);
    guard.remove([9]);
    expect(guard.isVerbatim([1, 2, 3, 4, 5])).toBe(false);
    expect(guard.isVerbatim([9])).toBe(false);
  });

  it('ignores the removal of a message it never held', () => {
    const guard = guardOf([1, 2, 3, 4]);
    guard.remove([1, 2, 3]);
    guard.remove([2, 3, 4]);
    guard.remove([]);
    expect(guard.messages).toBe(1);
    expect(guard.isVerbatim([1, 2, 3, 4])).toBe(true);
    expect(guard.isVerbatim([2, 3, 4])).toBe(true);
  });

  it('answers correctly when every trigram of a reply has thousands of positions', () => {
    const common = range(1, 10);
    const copies = 3000;
    const tail = (i: number): number => 10_000 + i;
    const guard = new VerbatimGuard();
    const messages: number[][] = [];
    for (let i = 0; i < copies; i++) messages.push([...common, tail(i)]);
    for (const message of messages) guard.add(message);

    // 12 words, forbidden run 9.
    expect(guard.isVerbatim([...common, 90_001, 90_002])).toBe(true);
    expect(guard.isVerbatim([...common.slice(0, 8), 90_001, 90_002, 90_003, 90_004])).toBe(false);
    expect(guard.isVerbatim([90_001, 90_002, 90_003, ...common.slice(2), tail(1234)])).toBe(true);
    expect(guard.isVerbatim([90_001, 90_002, 90_003, 90_004, ...common.slice(3), tail(1234)])).toBe(false);
    // 10 words, forbidden run 8: seven from one message, three from the next.
    expect(guard.isVerbatim([...common.slice(4), tail(7), ...common.slice(0, 3)])).toBe(false);

    for (let i = 0; i < copies - 1; i++) guard.remove(messages[i]!);
    const replies = [
      [...common, 90_001, 90_002],
      [90_001, 90_002, 90_003, ...common.slice(2), tail(1234)],
      [90_001, 90_002, 90_003, ...common.slice(2), tail(copies - 1)],
      messages[0]!,
      messages[copies - 1]!,
    ];
    const remaining = messages.slice(copies - 1);
    for (const reply of replies) expect(guard.isVerbatim(reply)).toBe(referenceIsVerbatim(remaining, reply));
    expect(guard.isVerbatim(messages[copies - 1]!)).toBe(true);
  });

  it('agrees with a brute-force reference on random corpora, before and after removals', () => {
    const random = seededRandom(20260101);
    const vocabulary = 30;
    const words = (count: number): number[] => Array.from({ length: count }, () => int(random, vocabulary));
    const guard = new VerbatimGuard();
    const held: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const message = i % 25 === 24 ? [...held[int(random, held.length)]!] : words(1 + int(random, 30));
      held.push(message);
      guard.add(message);
    }

    const makeReply = (): number[] => {
      const message = held[int(random, held.length)]!;
      const length = 1 + int(random, 25);
      switch (int(random, 4)) {
        case 0:
          return words(length);
        case 1: {
          // A stretch of one message, perhaps with one word changed, between random words.
          const from = int(random, message.length);
          const stretch = message.slice(from, from + 1 + int(random, message.length - from));
          if (stretch.length > 3 && random() < 0.3)
            stretch[int(random, stretch.length)] = int(random, vocabulary);
          const before = words(int(random, 4));
          return [...before, ...stretch, ...words(int(random, 4))].slice(0, 25);
        }
        case 2: {
          // The end of one message followed by the start of the message stored after it.
          const index = int(random, held.length - 1);
          const first = held[index]!;
          const second = held[index + 1]!;
          const reply = [...first.slice(int(random, first.length)), ...second.slice(0, 1 + int(random, 20))];
          return reply.slice(0, 25);
        }
        default:
          return message.length <= 25 ? [...message] : message.slice(0, length);
      }
    };

    const crossCheck = (): number => {
      let flagged = 0;
      for (let r = 0; r < 2000; r++) {
        const reply = makeReply();
        const expected = referenceIsVerbatim(held, reply);
        expect(guard.isVerbatim(reply), JSON.stringify(reply)).toBe(expected);
        if (expected) flagged++;
      }
      return flagged;
    };

    const flaggedBefore = crossCheck();
    expect(flaggedBefore).toBeGreaterThan(200);
    expect(flaggedBefore).toBeLessThan(1800);

    const bytesBefore = guard.bytes;
    for (let i = 0; i < 220; i++) {
      const [message] = held.splice(int(random, held.length), 1);
      guard.remove(message!);
    }
    expect(guard.messages).toBe(held.length);
    // Most of the text is gone, so the stream was compacted and the index shrunk with it.
    expect(guard.bytes).toBeLessThan(bytesBefore / 2);
    crossCheck();

    for (let i = 0; i < 100; i++) {
      const message = words(1 + int(random, 30));
      held.push(message);
      guard.add(message);
    }
    crossCheck();
  });

  it('counts messages and grows its byte estimate with the text held', () => {
    const guard = new VerbatimGuard();
    expect(guard.messages).toBe(0);
    const empty = guard.bytes;
    expect(empty).toBeGreaterThan(0);
    for (let i = 0; i < 5000; i++) guard.add(range(i, 20));
    expect(guard.messages).toBe(5000);
    // At least the 4-byte id of every word held.
    expect(guard.bytes).toBeGreaterThan(empty + 5000 * 20 * 4);
    for (let i = 0; i < 5000; i++) guard.remove(range(i, 20));
    expect(guard.messages).toBe(0);
    expect(guard.bytes).toBeLessThan(empty * 2);
    guard.add([1, 2, 3]);
    expect(guard.isVerbatim([1, 2, 3])).toBe(true);
  });
});
