// The whole-message table: finds a held copy of an exact word sequence (a reply, or a message to remove) by its
// hash, without scanning the stream.

/*
 * An open-addressing table (linear probing, at most half full) of typed arrays, one slot per live copy: the
 * 32-bit hash of the id sequence and the copy's stream start. A slot's home is hash & mask; removal shifts the
 * rest of the cluster back, so no deleted markers. Keeping starts instead of a bare count makes the check exact
 * (collisions are compared away) and lets `remove` find the span to kill.
 */

import { mix32 } from './hash-mix.js';
import { nextPowerOfTwo } from './powers-of-two.js';
import { NONE, SEPARATOR, type WordStream } from './word-stream.js';

const MIN_SLOTS = 64;

/** 32 bits, unsigned; two lanes mixed into one, and collisions are compared away anyway. */
function messageHash(seq: ArrayLike<number>, from: number, to: number): number {
  const length = to - from;
  let lo = 0x811c9dc5 ^ length;
  let hi = 0x2545f491 ^ Math.imul(length, 0x9e3779b1);
  for (let k = from; k < to; k++) {
    const x = (seq[k] ?? 0) | 0;
    lo = Math.imul(lo ^ x, 0x01000193);
    lo ^= lo >>> 15;
    hi = Math.imul(hi ^ x, 0x85ebca77);
    hi ^= hi >>> 13;
  }
  return mix32(hi ^ mix32(lo));
}

export class MessageTable {
  readonly #stream: WordStream;
  /** Per slot, the message's hash. */
  #hashes!: Uint32Array;
  /** Per slot, the message's stream start, or NONE for an empty slot. */
  #starts!: Int32Array;
  #mask!: number;
  /** Also the number of full slots. */
  #messages = 0;

  /** An empty table over `stream`. */
  constructor(stream: WordStream) {
    this.#stream = stream;
    this.#allocate(MIN_SLOTS);
  }

  /** A table over `stream` made of the given arrays, as they are; see `own` before writing to them. */
  static adopt(stream: WordStream, hashes: Uint32Array, starts: Int32Array, messages: number): MessageTable {
    const table = new MessageTable(stream);
    table.#hashes = hashes;
    table.#starts = starts;
    table.#mask = starts.length - 1;
    table.#messages = messages;
    return table;
  }

  /** Messages held: a message added twice counts twice. */
  get messages(): number {
    return this.#messages;
  }

  get bytes(): number {
    return this.#hashes.byteLength + this.#starts.byteLength;
  }

  /** Enters the message `words`, just appended to the stream at `start`. */
  add(words: readonly number[], start: number): void {
    if (2 * (this.#messages + 1) > this.#starts.length) this.#resize(2 * this.#starts.length);
    this.#place(messageHash(words, 0, words.length), start);
    this.#messages++;
  }

  /** The slot of a held copy of exactly `words`, or NONE. */
  find(words: readonly number[]): number {
    const hash = messageHash(words, 0, words.length);
    const hashes = this.#hashes;
    const starts = this.#starts;
    const mask = this.#mask;
    // The table always has an empty slot; the bound only matters for damaged loaded arrays.
    for (let slot = hash & mask, probes = 0; probes <= mask; slot = (slot + 1) & mask, probes++) {
      const start = starts[slot]!;
      if (start === NONE) return NONE;
      if (hashes[slot] === hash && this.#stream.holds(start, words)) return slot;
    }
    return NONE;
  }

  /** Empties a full slot (from `find`); returns the stream start of the message it held. */
  removeAt(slot: number): number {
    const start = this.#starts[slot]!;
    this.#vacate(slot);
    this.#messages--;
    return start;
  }

  /** After the stream was compacted: starts moved, so every message is entered again from the stream. */
  rebuild(): void {
    this.#allocate(nextPowerOfTwo(2 * this.#messages, MIN_SLOTS));
    const stream = this.#stream.words;
    const used = this.#stream.used;
    let start = 0;
    for (let p = 0; p < used; p++) {
      if (stream[p] !== SEPARATOR) continue;
      this.#place(messageHash(stream, start, p), start);
      start = p + 1;
    }
  }

  /** Copies adopted arrays, so that they are never written. */
  own(): void {
    this.#hashes = this.#hashes.slice();
    this.#starts = this.#starts.slice();
  }

  /** Copies of the arrays. */
  toParts(): { slotHashes: Uint32Array; slotStarts: Int32Array } {
    return { slotHashes: this.#hashes.slice(), slotStarts: this.#starts.slice() };
  }

  /** Puts a message in the first empty slot from its home; the caller keeps the table at most half full. */
  #place(hash: number, start: number): void {
    const starts = this.#starts;
    const mask = this.#mask;
    let slot = hash & mask;
    while (starts[slot] !== NONE) slot = (slot + 1) & mask;
    this.#hashes[slot] = hash;
    starts[slot] = start;
  }

  /** Empties a slot, moving later entries of its cluster back so that every entry stays reachable from home. */
  #vacate(slot: number): void {
    const hashes = this.#hashes;
    const starts = this.#starts;
    const mask = this.#mask;
    let hole = slot;
    for (let probe = (hole + 1) & mask; starts[probe] !== NONE; probe = (probe + 1) & mask) {
      const home = hashes[probe]! & mask;
      // The entry may fill the hole when the hole lies on its probe path, from its home up to where it sits.
      if (((probe - home) & mask) >= ((probe - hole) & mask)) {
        hashes[hole] = hashes[probe]!;
        starts[hole] = starts[probe]!;
        hole = probe;
      }
    }
    starts[hole] = NONE;
  }

  #resize(size: number): void {
    const hashes = this.#hashes;
    const starts = this.#starts;
    this.#allocate(size);
    for (let slot = 0; slot < starts.length; slot++) {
      const start = starts[slot]!;
      if (start !== NONE) this.#place(hashes[slot]!, start);
    }
  }

  #allocate(size: number): void {
    this.#hashes = new Uint32Array(size);
    this.#starts = new Int32Array(size).fill(NONE);
    this.#mask = size - 1;
  }
}
