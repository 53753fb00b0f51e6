// The verbatim guard stored and loaded back: toParts/encode/decode/fromParts must give a guard that answers,
// adds and removes exactly as the original, stores nothing removed, and never writes to what it loaded from.
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../core/random.js';
import { referenceIsVerbatim } from '../support/verbatim-reference.js';
import { VerbatimGuard, type VerbatimGuardParts } from '../../markov/verbatim-guard.js';

function int(random: Random, below: number): number {
  return Math.floor(random() * below);
}

type Encoded = ReturnType<typeof VerbatimGuard.encode>;

function encoded(guard: VerbatimGuard): Encoded {
  const { header, blobs } = VerbatimGuard.encode(guard.toParts());
  // Own copies, as a database read would give.
  return {
    header,
    blobs: Object.fromEntries(Object.entries(blobs).map(([name, b]) => [name, Buffer.from(b)])),
  };
}

function loaded({ header, blobs }: Encoded): VerbatimGuard {
  return VerbatimGuard.fromParts(VerbatimGuard.decode(header, blobs));
}

function storedBytes({ blobs }: Encoded): number {
  return Object.values(blobs).reduce((sum, b) => sum + b.byteLength, 0);
}

function misaligned(blobs: Record<string, Buffer>): Record<string, Buffer> {
  return Object.fromEntries(
    Object.entries(blobs).map(([name, b]) => [name, Buffer.concat([Buffer.alloc(1), b]).subarray(1)]),
  );
}

/** A random corpus over a small vocabulary (so replies share runs with it), with some duplicate messages. */
function corpus(random: Random, count: number, vocabulary: number): number[][] {
  const held: number[][] = [];
  for (let i = 0; i < count; i++) {
    held.push(
      i % 25 === 24
        ? [...held[int(random, held.length)]!]
        : Array.from({ length: 1 + int(random, 30) }, () => int(random, vocabulary)),
    );
  }
  return held;
}

/** Replies that hit and miss: random words, stretches of held messages, message boundaries, whole messages. */
function replyMaker(
  random: Random,
  held: readonly (readonly number[])[],
  vocabulary: number,
): () => number[] {
  const words = (count: number): number[] => Array.from({ length: count }, () => int(random, vocabulary));
  return () => {
    const message = held[int(random, held.length)]!;
    switch (int(random, 4)) {
      case 0:
        return words(1 + int(random, 25));
      case 1: {
        const from = int(random, message.length);
        const stretch = message.slice(from, from + 1 + int(random, message.length - from));
        if (stretch.length > 3 && random() < 0.3)
          stretch[int(random, stretch.length)] = int(random, vocabulary);
        return [...words(int(random, 4)), ...stretch, ...words(int(random, 4))].slice(0, 25);
      }
      case 2: {
        const index = int(random, held.length - 1);
        const first = held[index]!;
        const second = held[index + 1]!;
        return [...first.slice(int(random, first.length)), ...second.slice(0, 1 + int(random, 20))].slice(
          0,
          25,
        );
      }
      default:
        return message.slice(0, 25);
    }
  };
}

/** 2,000 replies: every guard agrees with the reference over `held`; returns how many were flagged. */
function crossCheck(
  guards: readonly VerbatimGuard[],
  held: readonly (readonly number[])[],
  makeReply: () => number[],
): number {
  let flagged = 0;
  for (let r = 0; r < 2000; r++) {
    const reply = makeReply();
    const expected = referenceIsVerbatim(held, reply);
    for (const guard of guards) expect(guard.isVerbatim(reply), JSON.stringify(reply)).toBe(expected);
    if (expected) flagged++;
  }
  return flagged;
}

describe('VerbatimGuard persistence', () => {
  it('round-trips a random corpus: same answers as the original and the reference, same bytes again', () => {
    const random = seededRandom(7);
    const held = corpus(random, 300, 30);
    const original = new VerbatimGuard();
    for (const message of held) original.add(message);

    const stored = encoded(original);
    expect(JSON.parse(stored.header)).toMatchObject({ version: 1, messages: 300 });
    const copy = loaded(stored);
    expect(copy.messages).toBe(300);
    const flagged = crossCheck([original, copy], held, replyMaker(random, held, 30));
    expect(flagged).toBeGreaterThan(200);
    expect(flagged).toBeLessThan(1800);
    for (const message of held) expect(copy.isVerbatim(message)).toBe(true);

    // Stored again, the loaded guard gives the very same bytes.
    const again = encoded(copy);
    expect(again.header).toBe(stored.header);
    for (const [name, blob] of Object.entries(stored.blobs))
      expect(again.blobs[name]!.equals(blob)).toBe(true);
  });

  it('round-trips a corpus large enough to re-chain and grow its tables, answering as the original', () => {
    const random = seededRandom(11);
    const held = corpus(random, 20_000, 400);
    const original = new VerbatimGuard();
    for (const message of held) original.add(message);
    const copy = loaded(encoded(original));
    expect(copy.messages).toBe(original.messages);
    const makeReply = replyMaker(random, held, 400);
    let flagged = 0;
    for (let r = 0; r < 2000; r++) {
      const reply = makeReply();
      const expected = original.isVerbatim(reply);
      expect(copy.isVerbatim(reply), JSON.stringify(reply)).toBe(expected);
      if (expected) flagged++;
    }
    expect(flagged).toBeGreaterThan(200);
    expect(flagged).toBeLessThan(1800);
    for (let i = 0; i < held.length; i += 97) expect(copy.isVerbatim(held[i]!)).toBe(true);
  });

  it('stores no removed message: fewer bytes, no tombstones, removed text not flagged', () => {
    const random = seededRandom(21);
    const held = corpus(random, 300, 30);
    const original = new VerbatimGuard();
    for (const message of held) original.add(message);
    const before = encoded(original);

    // Few enough removals that the guard has not compacted by itself: tombstones are in its stream.
    const removed: number[][] = [];
    for (let i = 0; i < 30; i++) {
      const [message] = held.splice(int(random, held.length), 1);
      removed.push(message!);
      original.remove(message!);
    }
    const after = encoded(original);
    expect(storedBytes(after)).toBeLessThan(storedBytes(before));
    const parts = VerbatimGuard.decode(after.header, after.blobs);
    const liveWords = held.reduce((sum, message) => sum + message.length + 1, 0);
    expect(parts.stream.length).toBe(liveWords);
    expect(parts.stream.every((word) => word >= -1)).toBe(true);
    expect(parts.messages).toBe(held.length);

    const copy = VerbatimGuard.fromParts(parts);
    crossCheck([original, copy], held, replyMaker(random, held, 30));
    // Removed messages are flagged only where the remaining text still holds them (a duplicate, a long run).
    for (const message of removed) expect(copy.isVerbatim(message)).toBe(referenceIsVerbatim(held, message));
    expect(removed.some((message) => !referenceIsVerbatim(held, message))).toBe(true);
  });

  it('adds and removes after loading, without writing to the loaded Buffers', () => {
    const random = seededRandom(31);
    const held = corpus(random, 300, 30);
    const original = new VerbatimGuard();
    for (const message of held) original.add(message);
    const stored = encoded(original);
    const pristine = Object.fromEntries(Object.entries(stored.blobs).map(([n, b]) => [n, Buffer.from(b)]));
    const copy = loaded(stored);

    // Removals first (copies of duplicated messages included), then enough to force a compaction, then adds.
    const apply = (guard: VerbatimGuard, action: 'add' | 'remove', message: number[]): void =>
      guard[action](message);
    const log: ['add' | 'remove', number[]][] = [];
    for (let i = 0; i < 260; i++) {
      const [message] = held.splice(int(random, held.length), 1);
      log.push(['remove', message!]);
    }
    log.push(['remove', [999, 998, 997]]); // never held: ignored
    for (let i = 0; i < 150; i++) {
      const message = Array.from({ length: 1 + int(random, 30) }, () => int(random, 30));
      held.push(message);
      log.push(['add', message]);
    }
    for (const [action, message] of log) {
      apply(original, action, message);
      apply(copy, action, message);
    }
    expect(copy.messages).toBe(held.length);
    expect(original.messages).toBe(held.length);
    crossCheck([original, copy], held, replyMaker(random, held, 30));
    for (const [name, blob] of Object.entries(pristine)) expect(stored.blobs[name]!.equals(blob)).toBe(true);

    // A second guard from the same (untouched) Buffers is the guard as it was stored.
    const second = loaded(stored);
    expect(second.messages).toBe(300);
  });

  it('decodes Buffers that are not 4-byte aligned', () => {
    const random = seededRandom(41);
    const held = corpus(random, 300, 30);
    const original = new VerbatimGuard();
    for (const message of held) original.add(message);
    const { header, blobs } = encoded(original);
    const odd = misaligned(blobs);
    for (const blob of Object.values(odd)) expect(blob.byteOffset % 4).not.toBe(0);
    const parts = VerbatimGuard.decode(header, odd);
    const aligned = VerbatimGuard.decode(header, blobs);
    for (const name of ['stream', 'next', 'heads', 'counts', 'slotHashes', 'slotStarts'] as const) {
      expect(Array.from(parts[name])).toEqual(Array.from(aligned[name]));
    }
    const copy = VerbatimGuard.fromParts(parts);
    crossCheck([original, copy], held, replyMaker(random, held, 30));
  });

  it('round-trips an empty guard, and one holding only the empty message, which then learn as usual', () => {
    const stored = encoded(new VerbatimGuard());
    const empty = loaded(stored);
    expect(empty.messages).toBe(0);
    expect(empty.isVerbatim([])).toBe(false);
    expect(empty.isVerbatim([1, 2, 3])).toBe(false);
    empty.remove([1, 2, 3]);
    empty.add([1, 2, 3, 4]);
    expect(empty.isVerbatim([1, 2, 3, 4])).toBe(true);
    expect(empty.isVerbatim([2, 3, 4])).toBe(true);
    expect(empty.messages).toBe(1);

    const fromMisaligned = loaded({ header: stored.header, blobs: misaligned(stored.blobs) });
    expect(fromMisaligned.isVerbatim([])).toBe(false);

    const blank = new VerbatimGuard();
    blank.add([]);
    const copy = loaded(encoded(blank));
    expect(copy.messages).toBe(1);
    expect(copy.isVerbatim([])).toBe(true);
    expect(copy.isVerbatim([5])).toBe(false);
    copy.remove([]);
    expect(copy.isVerbatim([])).toBe(false);
    expect(copy.messages).toBe(0);
  });

  it('rejects damaged headers and blobs, bad sizes on load, bad contents before the first change', () => {
    const guard = new VerbatimGuard();
    for (let i = 0; i < 50; i++) guard.add([i, i + 1, i + 2, i + 3]);
    const { header, blobs } = encoded(guard);
    const meta = JSON.parse(header) as Record<string, unknown>;

    expect(() => VerbatimGuard.decode('{', blobs)).toThrow(RangeError);
    expect(() => VerbatimGuard.decode(JSON.stringify({ ...meta, version: 99 }), blobs)).toThrow(RangeError);
    const { stream: _stream, ...withoutStream } = blobs;
    expect(() => VerbatimGuard.decode(header, withoutStream)).toThrow(RangeError);
    expect(() => VerbatimGuard.decode(header, { ...blobs, next: blobs.next!.subarray(4) })).toThrow(
      RangeError,
    );

    const parts = (): VerbatimGuardParts => VerbatimGuard.decode(header, encoded(guard).blobs);
    const loadFails = (change: (p: VerbatimGuardParts) => VerbatimGuardParts): void => {
      expect(() => VerbatimGuard.fromParts(change(parts()))).toThrow(RangeError);
    };
    loadFails((p) => ({ ...p, stream: p.stream.slice(0, -1), next: p.next.slice(0, -1) }));
    loadFails((p) => ({ ...p, next: p.next.slice(1) }));
    loadFails((p) => ({ ...p, heads: p.heads.slice(1), counts: p.counts.slice(1) }));
    loadFails((p) => ({ ...p, messages: p.slotStarts.length }));
    loadFails((p) => ({ ...p, trigrams: -1 }));

    const changeFails = (change: (p: VerbatimGuardParts) => VerbatimGuardParts): void => {
      const damaged = VerbatimGuard.fromParts(change(parts()));
      expect(() => damaged.add([7, 8, 9])).toThrow(RangeError);
      expect(() => VerbatimGuard.fromParts(change(parts())).remove([10, 11, 12, 13])).toThrow(RangeError);
    };
    changeFails((p) => ({ ...p, messages: p.messages + 1 }));
    changeFails((p) => ({ ...p, trigrams: p.trigrams + 1 }));
    changeFails((p) => {
      const next = p.next.slice();
      next[10] = 10; // a link that does not point back
      return { ...p, next };
    });
    changeFails((p) => {
      const stream = p.stream.slice();
      stream[3] = -2;
      return { ...p, stream };
    });
    changeFails((p) => {
      const heads = p.heads.slice();
      heads[heads.findIndex((h) => h >= 0)] = p.stream.length;
      return { ...p, heads };
    });
    changeFails((p) => {
      const slotStarts = p.slotStarts.slice();
      slotStarts[slotStarts.findIndex((s) => s === -1)] = 1;
      return { ...p, slotStarts };
    });

    const sound = VerbatimGuard.fromParts(parts());
    sound.add([7, 8, 9]);
    sound.remove([0, 1, 2, 3]);
    expect(sound.messages).toBe(50);
  });

  it('answers, without looping, from damaged parts whose chains loop and whose table is full', () => {
    const guard = new VerbatimGuard();
    guard.add([1, 2, 3, 4, 5]);
    guard.add([1, 2, 3, 9]); // chains its (1, 2, 3) to the first message's
    const parts = guard.toParts();
    const next = parts.next.slice();
    next[6] = 6;
    const slotStarts = parts.slotStarts.map((start) => (start === -1 ? 0 : start));
    const damaged = VerbatimGuard.fromParts({ ...parts, next, slotStarts });
    expect(damaged.isVerbatim([1, 2, 3, 7, 7, 7, 7])).toBe(false);
    expect(damaged.isVerbatim([77, 78])).toBe(false);
    expect(damaged.isVerbatim([1, 2, 3, 9])).toBe(true);
  });
});
