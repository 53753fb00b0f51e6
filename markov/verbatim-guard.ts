// Refuses Markov replies that copy the training text: a whole training message, or a long run of one message's
// words. Exact answers from hashed structures (trigram chains, whole-message hashes), never a corpus scan.

/*
 * Layout
 * - stream: every message's word ids, each message followed by SEPARATOR. Removal overwrites the message and its
 *   separator with TOMBSTONE, so a removed message can never match; compaction drops tombstones once they
 *   outnumber live tokens. Word ids are >= 0 and markers are < 0, so no compared run can cross a marker: runs
 *   never span two messages and never touch a removed one.
 * - trigram chains: buckets (trigram hash & mask) hold the newest stream position whose trigram hashes there and
 *   the chain length; `next[p]` links position p to the previous one in its bucket. Collisions and dead positions
 *   stay in a chain, they only cost a failed comparison; the chains are rebuilt (dropping dead positions) when the
 *   bucket count doubles or the stream is compacted.
 * - whole messages: a 52-bit hash of the id sequence -> stream start of every live copy. Keeping starts instead of
 *   a bare count makes the check exact (collisions are compared away) and lets `remove` find the span to kill.
 *
 * Complexity (L = reply length, n = forbiddenRun(L) <= 16, W = total words held)
 * - add: O(L) amortised; the stream and the bucket table double, and a doubling re-chains in O(W).
 * - remove: O(L) amortised; a compaction, O(W), runs only when dead tokens outnumber live ones.
 * - isVerbatim: O(L) for the whole-message lookup, O(L·n) to pick in every window of n words the trigram with the
 *   shortest chain, then each distinct chosen trigram's chain is walked once, O(n) per entry. A window holding
 *   one rare trigram therefore costs O(few·n); only a reply made entirely of very common trigrams pays
 *   O(L · shortest chain · n).
 * - memory: about 8 bytes per word (stream + link) plus 8 bytes per bucket (0.5 to 1 bucket per trigram), with
 *   up to 2× slack from doubling, plus a Map entry per distinct message. O(W), independent of the vocabulary.
 */

const SEPARATOR = -1;
const TOMBSTONE = -2;
const NONE = -1;
const MAX_ID = 0x7fffffff;
const MIN_CAPACITY = 1024;
const MIN_BUCKETS = 1024;
// Below this, compacting would churn for a few bytes; above it, dead tokens are bounded by live ones.
const COMPACT_MIN_DEAD = 1024;
// Rough V8 cost of one Map entry; used only for the approximate `bytes` figure.
const MAP_ENTRY_BYTES = 64;
const MAX_RUN = 15;

function isWordId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= MAX_ID;
}

function checkIds(words: readonly number[]): void {
  for (const id of words) {
    if (!isWordId(id)) throw new RangeError(`word ids must be integers in [0, ${MAX_ID}], got ${id}`);
  }
}

function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

function trigramHash(a: number, b: number, c: number): number {
  let h = mix32(Math.imul(a, 0x9e3779b1) ^ 0x85ebca6b);
  h = mix32(h ^ Math.imul(b, 0xcc9e2d51));
  return mix32(h ^ Math.imul(c, 0x1b873593));
}

/** 52 bits, so the value stays an exact JS number usable as a Map key. */
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
  return (mix32(hi ^ lo) >>> 12) * 0x100000000 + mix32(lo);
}

function nextPowerOfTwo(n: number, floor: number): number {
  let size = floor;
  while (size < n) size *= 2;
  return size;
}

export class VerbatimGuard {
  #stream = new Int32Array(MIN_CAPACITY);
  #next = new Int32Array(MIN_CAPACITY);
  #used = 0;
  #dead = 0;
  #heads = new Int32Array(MIN_BUCKETS).fill(NONE);
  #counts = new Int32Array(MIN_BUCKETS);
  #mask = MIN_BUCKETS - 1;
  /** Chain entries, dead ones included: what the table is loaded with. */
  #chained = 0;
  #liveTrigrams = 0;
  #whole = new Map<number, number | number[]>();
  #messages = 0;

  /** The run length forbidden for a reply of `length` words: min(15, round(0.7·length)) + 1. */
  static forbiddenRun(length: number): number {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`length must be a natural number: ${length}`);
    }
    // Integer arithmetic: 0.7 * 5 must round to 4, whatever floating point makes of it.
    return Math.min(MAX_RUN, Math.floor((7 * length + 5) / 10)) + 1;
  }

  /** Number of training messages held (a message added twice counts twice). */
  get messages(): number {
    return this.#messages;
  }

  /** Approximate bytes held (for a memory cap). */
  get bytes(): number {
    const arrays =
      this.#stream.byteLength + this.#next.byteLength + this.#heads.byteLength + this.#counts.byteLength;
    // Duplicates beyond the first copy of a message cost one array slot each.
    return arrays + this.#whole.size * MAP_ENTRY_BYTES + (this.#messages - this.#whole.size) * 8;
  }

  /** Adds one training message, as its sequence of word ids. */
  add(words: readonly number[]): void {
    checkIds(words);
    const length = words.length;
    this.#reserve(this.#used + length + 1);
    const start = this.#used;
    this.#stream.set(words, start);
    this.#stream[start + length] = SEPARATOR;
    this.#used += length + 1;
    for (let p = start; p + 2 < start + length; p++) this.#chain(p);
    const trigrams = Math.max(0, length - 2);
    this.#chained += trigrams;
    this.#liveTrigrams += trigrams;
    if (this.#chained > 2 * this.#heads.length) this.#rechain();
    this.#addWhole(messageHash(words, 0, length), start);
    this.#messages++;
  }

  /** Removes one copy of a training message added before; a message never added is ignored. */
  remove(words: readonly number[]): void {
    checkIds(words);
    const length = words.length;
    const hash = messageHash(words, 0, length);
    const start = this.#findCopy(hash, words);
    if (start === NONE) return;
    this.#stream.fill(TOMBSTONE, start, start + length + 1);
    this.#dead += length + 1;
    this.#liveTrigrams -= Math.max(0, length - 2);
    this.#removeWhole(hash, start);
    this.#messages--;
    if (this.#dead >= COMPACT_MIN_DEAD && this.#dead > this.#used - this.#dead) this.#compact();
  }

  /**
   * True when the reply equals a training message, or shares a run of forbiddenRun(reply.length) consecutive
   * words with any one training message. Replies under 3 words are only compared with whole messages. Ids that
   * are not word ids (the caller passes -1 for unknown words) never match anything.
   */
  isVerbatim(reply: readonly number[]): boolean {
    const length = reply.length;
    if (this.#findCopy(messageHash(reply, 0, length), reply) !== NONE) return true;
    if (length < 3) return false;
    const run = VerbatimGuard.forbiddenRun(length);
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
    const stream = this.#stream;
    const next = this.#next;
    const a = reply[anchor];
    const b = reply[anchor + 1];
    const c = reply[anchor + 2];
    for (let p = this.#heads[bucket]!; p !== NONE; p = next[p]!) {
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

  #findCopy(hash: number, words: readonly number[]): number {
    const entry = this.#whole.get(hash);
    if (entry === undefined) return NONE;
    if (typeof entry === 'number') return this.#holds(entry, words) ? entry : NONE;
    for (const start of entry) if (this.#holds(start, words)) return start;
    return NONE;
  }

  /** Whether the message starting at `start` is exactly `words`. */
  #holds(start: number, words: readonly number[]): boolean {
    const stream = this.#stream;
    for (let k = 0; k < words.length; k++) {
      const word = stream[start + k]!;
      // A colliding hash must not let a reply's -1 line up with a separator.
      if (word < 0 || word !== words[k]) return false;
    }
    return stream[start + words.length] === SEPARATOR;
  }

  #addWhole(hash: number, start: number): void {
    const entry = this.#whole.get(hash);
    if (entry === undefined) this.#whole.set(hash, start);
    else if (typeof entry === 'number') this.#whole.set(hash, [entry, start]);
    else entry.push(start);
  }

  #removeWhole(hash: number, start: number): void {
    const entry = this.#whole.get(hash);
    if (typeof entry === 'number') {
      this.#whole.delete(hash);
    } else if (entry !== undefined) {
      entry.splice(entry.indexOf(start), 1);
      if (entry.length === 1) this.#whole.set(hash, entry[0]!);
    }
  }

  #chain(p: number): void {
    const stream = this.#stream;
    const bucket = trigramHash(stream[p]!, stream[p + 1]!, stream[p + 2]!) & this.#mask;
    this.#next[p] = this.#heads[bucket]!;
    this.#heads[bucket] = p;
    this.#counts[bucket]!++;
  }

  #reserve(needed: number): void {
    if (needed <= this.#stream.length) return;
    const capacity = nextPowerOfTwo(needed, this.#stream.length * 2);
    const stream = new Int32Array(capacity);
    stream.set(this.#stream.subarray(0, this.#used));
    const next = new Int32Array(capacity);
    next.set(this.#next.subarray(0, this.#used));
    this.#stream = stream;
    this.#next = next;
  }

  /** Rebuilds the chains from the live trigrams, sized to them; dead and stale entries disappear. */
  #rechain(): void {
    const size = nextPowerOfTwo(this.#liveTrigrams, MIN_BUCKETS);
    this.#heads = new Int32Array(size).fill(NONE);
    this.#counts = new Int32Array(size);
    this.#mask = size - 1;
    const stream = this.#stream;
    for (let p = 0; p + 2 < this.#used; p++) {
      if (stream[p]! >= 0 && stream[p + 1]! >= 0 && stream[p + 2]! >= 0) this.#chain(p);
    }
    this.#chained = this.#liveTrigrams;
  }

  /** Drops removed messages from the stream, then re-derives the message starts and the chains. */
  #compact(): void {
    const live = this.#used - this.#dead;
    const capacity = nextPowerOfTwo(live, MIN_CAPACITY);
    const stream = new Int32Array(capacity);
    const old = this.#stream;
    let used = 0;
    for (let p = 0; p < this.#used; p++) {
      const word = old[p]!;
      if (word !== TOMBSTONE) stream[used++] = word;
    }
    this.#stream = stream;
    this.#next = new Int32Array(capacity);
    this.#used = used;
    this.#dead = 0;
    this.#whole.clear();
    let start = 0;
    for (let p = 0; p < used; p++) {
      if (stream[p] !== SEPARATOR) continue;
      this.#addWhole(messageHash(stream, start, p), start);
      start = p + 1;
    }
    this.#rechain();
  }
}
