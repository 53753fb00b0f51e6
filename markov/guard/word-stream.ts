// The guard's copy of the training text: one Int32Array of every held message's word ids, each message followed
// by a separator, with removed messages blanked out until compaction drops them.

/*
 * Removal overwrites the message and its separator with TOMBSTONE, so a removed message can never match;
 * compaction drops tombstones once they outnumber live tokens. Word ids are >= 0 and markers are < 0, so no
 * compared run can cross a marker: runs never span two messages and never touch a removed one.
 */

import { nextPowerOfTwo } from './powers-of-two.js';

/** Ends every held message. */
export const SEPARATOR = -1;
/** Overwrites a removed message and its separator. */
export const TOMBSTONE = -2;
/** No position (in the stream, a chain, the message table or a reply): -1 in every array. */
export const NONE = -1;
const MAX_WORD_ID = 0x7fffffff;
const MIN_CAPACITY = 1024;
// Below this, compacting would churn for a few bytes; above it, dead tokens are bounded by live ones.
const COMPACT_MIN_DEAD = 1024;

export function isWordId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= MAX_WORD_ID;
}

export function checkWordIds(words: readonly number[]): void {
  for (const id of words) {
    if (!isWordId(id)) throw new RangeError(`word ids must be integers in [0, ${MAX_WORD_ID}], got ${id}`);
  }
}

export class WordStream {
  #words: Int32Array = new Int32Array(MIN_CAPACITY);
  #used = 0;
  /** Tombstones among the used positions. */
  #dead = 0;

  /** A stream over `words` as they are (all used, no spare capacity); see `own` before writing to it. */
  static adopt(words: Int32Array): WordStream {
    const stream = new WordStream();
    stream.#words = words;
    stream.#used = words.length;
    return stream;
  }

  /** The whole array, spare capacity included: positions from `used` on hold nothing. */
  get words(): Int32Array {
    return this.#words;
  }

  get used(): number {
    return this.#used;
  }

  get capacity(): number {
    return this.#words.length;
  }

  get dead(): number {
    return this.#dead;
  }

  get bytes(): number {
    return this.#words.byteLength;
  }

  /** Whether a trigram of one live message starts at `p`: it and the next two positions hold words. */
  startsTrigram(p: number): boolean {
    const words = this.#words;
    return p + 2 < this.#used && words[p]! >= 0 && words[p + 1]! >= 0 && words[p + 2]! >= 0;
  }

  /** Whether the message starting at `start` is exactly `words`. */
  holds(start: number, words: readonly number[]): boolean {
    const stream = this.#words;
    for (let k = 0; k < words.length; k++) {
      const word = stream[start + k]!;
      // A colliding hash must not let a reply's -1 line up with a separator.
      if (word < 0 || word !== words[k]) return false;
    }
    return stream[start + words.length] === SEPARATOR;
  }

  /** Appends a message and its separator; returns where the message starts. */
  append(words: readonly number[]): number {
    const start = this.#used;
    this.#reserve(start + words.length + 1);
    this.#words.set(words, start);
    this.#words[start + words.length] = SEPARATOR;
    this.#used += words.length + 1;
    return start;
  }

  /** Blanks out the message of `length` words at `start`, and its separator. */
  kill(start: number, length: number): void {
    this.#words.fill(TOMBSTONE, start, start + length + 1);
    this.#dead += length + 1;
  }

  get needsCompaction(): boolean {
    return this.#dead >= COMPACT_MIN_DEAD && this.#dead > this.#used - this.#dead;
  }

  /** Drops the removed messages; every position after the first removed one moves. */
  compact(): void {
    const live = this.#used - this.#dead;
    // Fitted to the live text (adds double it again): after many removals, or before toParts, slack is waste.
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(live / MIN_CAPACITY) * MIN_CAPACITY);
    const words = new Int32Array(capacity);
    const old = this.#words;
    let used = 0;
    for (let p = 0; p < this.#used; p++) {
      const word = old[p]!;
      if (word !== TOMBSTONE) words[used++] = word;
    }
    this.#words = words;
    this.#used = used;
    this.#dead = 0;
  }

  /** Copies an adopted array (with room to grow), so that it is never written. */
  own(): void {
    this.#resize(nextPowerOfTwo(this.#used + 1, MIN_CAPACITY));
  }

  /** The used positions, copied. */
  toArray(): Int32Array {
    return this.#words.slice(0, this.#used);
  }

  #reserve(needed: number): void {
    if (needed > this.#words.length) this.#resize(nextPowerOfTwo(needed, this.#words.length * 2));
  }

  #resize(capacity: number): void {
    const words = new Int32Array(capacity);
    words.set(this.#words.subarray(0, this.#used));
    this.#words = words;
  }
}
