// Where each trigram occurs in the word stream: hashed buckets heading chains of stream positions, and the search
// along them for a run of words that a reply shares with one held message.

/*
 * Buckets (trigram hash & mask) hold the newest stream position whose trigram hashes there and the chain length;
 * `links[p]` links position p to the previous one in its bucket. Collisions and dead positions stay in a chain,
 * they only cost a failed comparison; the chains are rebuilt (dropping dead positions) when the bucket count
 * doubles or the stream is compacted.
 */

import { mix32 } from './hash-mix.js';
import { nextPowerOfTwo } from './powers-of-two.js';
import { NONE, isWordId, type WordStream } from './word-stream.js';

const MIN_BUCKETS = 1024;

function trigramHash(a: number, b: number, c: number): number {
  let h = mix32(Math.imul(a, 0x9e3779b1) ^ 0x85ebca6b);
  h = mix32(h ^ Math.imul(b, 0xcc9e2d51));
  return mix32(h ^ Math.imul(c, 0x1b873593));
}

export class TrigramIndex {
  readonly #stream: WordStream;
  /** Per stream position, the previous position in its chain; as long as the stream's capacity. */
  #links: Int32Array;
  /** Per bucket, the newest position chained there, or NONE. */
  #heads!: Int32Array;
  /** Per bucket, its chain's length. */
  #counts!: Int32Array;
  #mask!: number;
  /** Chain entries, dead ones included: what the table is loaded with. */
  #chained = 0;
  #liveTrigrams = 0;

  /** An empty index over `stream`; `links` is only given by `adopt`. */
  constructor(stream: WordStream, links: Int32Array = new Int32Array(stream.capacity)) {
    this.#stream = stream;
    this.#links = links;
    this.#allocate(MIN_BUCKETS);
  }

  /** An index over `stream` made of the given arrays, as they are; see `own` before writing to them. */
  static adopt(
    stream: WordStream,
    links: Int32Array,
    heads: Int32Array,
    counts: Int32Array,
    trigrams: number,
  ): TrigramIndex {
    const index = new TrigramIndex(stream, links);
    index.#heads = heads;
    index.#counts = counts;
    index.#mask = heads.length - 1;
    index.#chained = trigrams;
    index.#liveTrigrams = trigrams;
    return index;
  }

  /** Trigrams of the live messages. */
  get trigrams(): number {
    return this.#liveTrigrams;
  }

  get bytes(): number {
    return this.#links.byteLength + this.#heads.byteLength + this.#counts.byteLength;
  }

  /** Chains the trigrams of the message of `length` words just appended at `start`. */
  addMessage(start: number, length: number): void {
    if (this.#links.length !== this.#stream.capacity) this.#fitLinks();
    for (let p = start; p + 2 < start + length; p++) this.#chain(p);
    const trigrams = Math.max(0, length - 2);
    this.#chained += trigrams;
    this.#liveTrigrams += trigrams;
    if (this.#chained > 2 * this.#heads.length) this.#rechain();
  }

  /** Counts a removed message's trigrams out; its chain entries stay until the next rechain. */
  removeMessage(length: number): void {
    this.#liveTrigrams -= Math.max(0, length - 2);
  }

  /** After the stream was compacted: positions moved, so the chains are built again. */
  rebuild(): void {
    this.#links = new Int32Array(this.#stream.capacity);
    this.#rechain();
  }

  /** Copies adopted arrays, so that they are never written. */
  own(): void {
    this.#fitLinks();
    this.#heads = this.#heads.slice();
    this.#counts = this.#counts.slice();
  }

  /** Copies of the arrays; `next` covers the used stream positions. */
  toParts(): { next: Int32Array; heads: Int32Array; counts: Int32Array } {
    const stream = this.#stream;
    const next = this.#links.slice(0, stream.used);
    // Positions that start no trigram hold stale links (or 0 from allocation); store them as none, so that the
    // loader can require every link to point back.
    for (let p = 0; p < next.length; p++) {
      if (!stream.startsTrigram(p)) next[p] = NONE;
    }
    return { next, heads: this.#heads.slice(), counts: this.#counts.slice() };
  }

  /**
   * Whether `reply` shares a run of `run` (>= 3) consecutive words with one live message. In every window of
   * `run` words, the trigram with the shortest chain is the anchor; each distinct anchor's chain is walked once.
   */
  sharesRun(reply: readonly number[], run: number): boolean {
    const length = reply.length;
    if (length < 3) return false;
    const trigrams = length - 2;
    const buckets = new Int32Array(trigrams);
    const sizes = new Int32Array(trigrams);
    for (let i = 0; i < trigrams; i++) {
      const a = reply[i]!;
      const b = reply[i + 1]!;
      const c = reply[i + 2]!;
      if (!isWordId(a) || !isWordId(b) || !isWordId(c)) continue; // size 0: no window holding it can match
      const bucket = trigramHash(a, b, c) & this.#mask;
      buckets[i] = bucket;
      sizes[i] = this.#counts[bucket]!;
    }
    // Any match of a window contains its anchor at some chain position, and the run grown around that position
    // covers the window; so once an anchor has been tried, every other window choosing it is answered too.
    const tried = new Uint8Array(trigrams);
    for (let w = 0; w + run <= length; w++) {
      let anchor = NONE;
      let best = Infinity;
      for (let i = w; i + 3 <= w + run; i++) {
        const size = sizes[i]!;
        if (size === 0) {
          anchor = NONE;
          break;
        }
        if (size < best) {
          best = size;
          anchor = i;
        }
      }
      if (anchor === NONE || tried[anchor] === 1) continue;
      tried[anchor] = 1;
      if (this.#runThrough(reply, anchor, buckets[anchor]!, run)) return true;
    }
    return false;
  }

  /** Whether some chained occurrence of the reply's trigram at `anchor` sits inside a shared run of `run` words. */
  #runThrough(reply: readonly number[], anchor: number, bucket: number, run: number): boolean {
    const stream = this.#stream.words;
    const links = this.#links;
    const a = reply[anchor];
    const b = reply[anchor + 1];
    const c = reply[anchor + 2];
    // A chain holds counts[bucket] positions; the bound only matters for damaged loaded arrays (see
    // VerbatimGuard.fromParts).
    let steps = this.#counts[bucket]!;
    for (let p = this.#heads[bucket]!; p !== NONE && steps > 0; p = links[p]!, steps--) {
      if (stream[p] !== a || stream[p + 1] !== b || stream[p + 2] !== c) continue;
      // Growing stops at any marker (< 0), so the run stays inside this one live message.
      let left = 0;
      while (left < run - 3 && anchor - left > 0 && p - left > 0) {
        const word = stream[p - left - 1]!;
        if (word < 0 || word !== reply[anchor - left - 1]) break;
        left++;
      }
      let right = 0;
      while (left + 3 + right < run && anchor + 3 + right < reply.length) {
        const word = stream[p + 3 + right]!;
        if (word < 0 || word !== reply[anchor + 3 + right]) break;
        right++;
      }
      if (left + 3 + right >= run) return true;
    }
    return false;
  }

  #chain(p: number): void {
    const stream = this.#stream.words;
    const bucket = trigramHash(stream[p]!, stream[p + 1]!, stream[p + 2]!) & this.#mask;
    this.#links[p] = this.#heads[bucket]!;
    this.#heads[bucket] = p;
    this.#counts[bucket]!++;
  }

  /** Rebuilds the chains from the live trigrams, sized to them; dead and stale entries disappear. */
  #rechain(): void {
    this.#allocate(nextPowerOfTwo(this.#liveTrigrams, MIN_BUCKETS));
    const used = this.#stream.used;
    for (let p = 0; p + 2 < used; p++) {
      if (this.#stream.startsTrigram(p)) this.#chain(p);
    }
    this.#chained = this.#liveTrigrams;
  }

  #allocate(buckets: number): void {
    this.#heads = new Int32Array(buckets).fill(NONE);
    this.#counts = new Int32Array(buckets);
    this.#mask = buckets - 1;
  }

  /** Links as long as the stream's capacity again, after the stream grew or was copied. */
  #fitLinks(): void {
    const links = new Int32Array(this.#stream.capacity);
    links.set(this.#links);
    this.#links = links;
  }
}
