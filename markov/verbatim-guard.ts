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
 * - whole messages: an open-addressing table (linear probing, at most half full) of typed arrays, one slot per
 *   live copy: the 32-bit hash of the id sequence and the copy's stream start. A slot's home is hash & mask;
 *   removal shifts the rest of the cluster back, so no deleted markers. Keeping starts instead of a bare count
 *   makes the check exact (collisions are compared away) and lets `remove` find the span to kill.
 * - persistence: every structure is a typed array, so `toParts` hands out copies of them and `fromParts` adopts
 *   them as they are, after O(1) size checks: nothing is scanned, re-hashed or re-chained on load. A loaded guard
 *   only reads the adopted arrays; its first `add` or effective `remove` checks them in one O(W) pass and copies
 *   them, so the arrays (and the Buffers `decode` viewed) are never written to.
 *
 * Complexity (L = reply length, n = forbiddenRun(L) <= 16, W = total words held)
 * - add: O(L) amortised; the stream and the bucket table double, and a doubling re-chains in O(W).
 * - remove: O(L) amortised; a compaction, O(W), runs only when dead tokens outnumber live ones.
 * - isVerbatim: O(L) for the whole-message lookup, O(L·n) to pick in every window of n words the trigram with the
 *   shortest chain, then each distinct chosen trigram's chain is walked once, O(n) per entry. A window holding
 *   one rare trigram therefore costs O(few·n); only a reply made entirely of very common trigrams pays
 *   O(L · shortest chain · n).
 * - memory: about 8 bytes per word (stream + link) plus 8 bytes per bucket (0.5 to 1 bucket per trigram), with
 *   up to 2× slack from doubling, plus 8 bytes per message-table slot (2 to 4 slots per message). O(W),
 *   independent of the vocabulary. Persisted: the same without the stream's spare capacity.
 */

const SEPARATOR = -1;
const TOMBSTONE = -2;
const NONE = -1;
const MAX_ID = 0x7fffffff;
const MIN_CAPACITY = 1024;
const MIN_BUCKETS = 1024;
const MIN_SLOTS = 64;
// Below this, compacting would churn for a few bytes; above it, dead tokens are bounded by live ones.
const COMPACT_MIN_DEAD = 1024;
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

function nextPowerOfTwo(n: number, floor: number): number {
  let size = floor;
  while (size < n) size *= 2;
  return size;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** The arrays of a guard, all of 32-bit integers. */
const ARRAYS = ['stream', 'next', 'heads', 'counts', 'slotHashes', 'slotStarts'] as const;
type ArrayName = (typeof ARRAYS)[number];
const FORMAT = 'chorus-verbatim-guard';
const VERSION = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A guard as plain typed arrays, for storage (see VerbatimGuard.encode). Positions are stream indexes; -1 is
 * "none" in every array. `toParts` gives copies; `fromParts` adopts the arrays without copying and never writes
 * to them.
 */
export interface VerbatimGuardParts {
  /** Every held message's word ids (>= 0), each followed by -1; no removed text, no spare capacity. */
  readonly stream: Int32Array;
  /** Per stream position, the previous position in its trigram chain (always lower), or -1. */
  readonly next: Int32Array;
  /** Per trigram bucket (a power of two of them), the newest position chained there, or -1. */
  readonly heads: Int32Array;
  /** Per trigram bucket, its chain's length. */
  readonly counts: Int32Array;
  /** Per slot of the whole-message table (a power of two of them, at most half full), the message's hash. */
  readonly slotHashes: Uint32Array;
  /** Per slot of the whole-message table, the message's stream start, or -1 for an empty slot. */
  readonly slotStarts: Int32Array;
  /** Messages held: separators in the stream, full slots in the table. */
  readonly messages: number;
  /** Trigrams held (a message of n words has n - 2): the chain entries, what `counts` add up to. */
  readonly trigrams: number;
}

interface Header {
  format: typeof FORMAT;
  version: typeof VERSION;
  messages: number;
  trigrams: number;
  /** Element count of each array; each blob holds 4 bytes per element, little-endian. */
  lengths: Record<ArrayName, number>;
}

function corrupt(what: string): never {
  throw new RangeError(`not a valid stored verbatim guard: ${what}`);
}

/** The 32-bit integers in `bytes` (little-endian): a view when aligned on a little-endian host, else a copy. */
function int32sOf(bytes: Buffer): Int32Array {
  const length = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Int32Array(bytes.buffer, bytes.byteOffset, length);
  }
  const copy = new Int32Array(length);
  const raw = Buffer.from(copy.buffer);
  raw.set(bytes);
  if (!LITTLE_ENDIAN) raw.swap32();
  return copy;
}

export class VerbatimGuard {
  #stream: Int32Array = new Int32Array(MIN_CAPACITY);
  #next: Int32Array = new Int32Array(MIN_CAPACITY);
  #used = 0;
  #dead = 0;
  #heads: Int32Array = new Int32Array(MIN_BUCKETS).fill(NONE);
  #counts: Int32Array = new Int32Array(MIN_BUCKETS);
  #mask = MIN_BUCKETS - 1;
  /** Chain entries, dead ones included: what the table is loaded with. */
  #chained = 0;
  #liveTrigrams = 0;
  /** The whole-message table: per slot a message hash and its stream start, NONE for an empty slot. */
  #slotHashes: Uint32Array = new Uint32Array(MIN_SLOTS);
  #slotStarts: Int32Array = new Int32Array(MIN_SLOTS).fill(NONE);
  #slotMask = MIN_SLOTS - 1;
  /** Also the number of full slots. */
  #messages = 0;
  /** The arrays were adopted by fromParts: read them only, until #own copies them. */
  #borrowed = false;

  /** The run length forbidden for a reply of `length` words: min(15, round(0.7·length)) + 1. */
  static forbiddenRun(length: number): number {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`length must be a natural number: ${length}`);
    }
    // Integer arithmetic: 0.7 * 5 must round to 4, whatever floating point makes of it.
    return Math.min(MAX_RUN, Math.floor((7 * length + 5) / 10)) + 1;
  }

  /**
   * Serialises parts: a small JSON header and one blob per array, 4 bytes per element, little-endian. The blobs
   * view the parts' memory (on little-endian hosts), so store them before the parts change.
   */
  static encode(parts: VerbatimGuardParts): { header: string; blobs: Record<string, Buffer> } {
    const blobs: Record<string, Buffer> = {};
    const lengths = {} as Record<ArrayName, number>;
    for (const name of ARRAYS) {
      const array = parts[name];
      const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      blobs[name] = LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
      lengths[name] = array.length;
    }
    const { messages, trigrams } = parts;
    const header: Header = { format: FORMAT, version: VERSION, messages, trigrams, lengths };
    return { header: JSON.stringify(header), blobs };
  }

  /**
   * Reads back what `encode` wrote. Aligned blobs are viewed, not copied (the guard never writes to them);
   * blobs whose offset is not a multiple of 4 are copied. Only the header and blob sizes are checked here.
   */
  static decode(header: string, blobs: Record<string, Buffer>): VerbatimGuardParts {
    let meta: unknown;
    try {
      meta = JSON.parse(header);
    } catch {
      corrupt('the header is not JSON');
    }
    if (typeof meta !== 'object' || meta === null) corrupt('the header is not an object');
    const { format, version, messages, trigrams, lengths } = meta as Partial<Record<keyof Header, unknown>>;
    if (format !== FORMAT) corrupt(`unknown format ${JSON.stringify(format)}`);
    if (version !== VERSION) corrupt(`unsupported version ${JSON.stringify(version)}`);
    if (typeof messages !== 'number') corrupt('no message count');
    if (typeof trigrams !== 'number') corrupt('no trigram count');
    if (typeof lengths !== 'object' || lengths === null) corrupt('no array lengths');
    const arrays = {} as Record<ArrayName, Int32Array>;
    for (const name of ARRAYS) {
      const length = (lengths as Partial<Record<ArrayName, unknown>>)[name];
      const bytes = blobs[name];
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        corrupt(`no length for ${name}`);
      }
      if (bytes === undefined) corrupt(`no blob for ${name}`);
      if (bytes.byteLength !== 4 * length) {
        corrupt(`${name} holds ${bytes.byteLength} bytes, not ${4 * length}`);
      }
      arrays[name] = int32sOf(bytes);
    }
    const hashes = arrays.slotHashes;
    return {
      ...arrays,
      slotHashes: new Uint32Array(hashes.buffer, hashes.byteOffset, hashes.length),
      messages,
      trigrams,
    };
  }

  /**
   * A guard that answers, adds and removes exactly as the one `parts` came from. The arrays are adopted as they
   * are, after O(1) checks of their sizes: loading costs no pass over the text. They are only read until the
   * first add or remove, which checks them in full (one O(W) pass of integer tests) and copies them; damaged
   * parts raise a RangeError there. Before that, damaged parts can only make answers wrong: every chain walk and
   * table probe is bounded, and reads past an array's end match nothing.
   */
  static fromParts(parts: VerbatimGuardParts): VerbatimGuard {
    const { stream, next, heads, counts, slotHashes, slotStarts, messages, trigrams } = parts;
    for (const name of ARRAYS) {
      const expected = name === 'slotHashes' ? Uint32Array : Int32Array;
      if (!(parts[name] instanceof expected)) corrupt(`${name} is not an ${expected.name}`);
    }
    const used = stream.length;
    if (next.length !== used) corrupt('next and stream differ in length');
    if (used > 0 && stream[used - 1] !== SEPARATOR) corrupt('the stream does not end with a separator');
    if (!isPowerOfTwo(heads.length) || counts.length !== heads.length) corrupt('bad bucket table size');
    if (!isPowerOfTwo(slotStarts.length) || slotHashes.length !== slotStarts.length) {
      corrupt('bad slot table size');
    }
    // At most half full, and no more messages than separators could end.
    if (!Number.isInteger(messages) || messages < 0 || 2 * messages > slotStarts.length || messages > used) {
      corrupt(`bad message count ${messages}`);
    }
    if (!Number.isInteger(trigrams) || trigrams < 0 || trigrams > used) {
      corrupt(`bad trigram count ${trigrams}`);
    }

    const guard = new VerbatimGuard();
    guard.#stream = stream;
    guard.#next = next;
    guard.#used = used;
    guard.#heads = heads;
    guard.#counts = counts;
    guard.#mask = heads.length - 1;
    guard.#chained = trigrams;
    guard.#liveTrigrams = trigrams;
    guard.#slotHashes = slotHashes;
    guard.#slotStarts = slotStarts;
    guard.#slotMask = slotStarts.length - 1;
    guard.#messages = messages;
    guard.#borrowed = true;
    return guard;
  }

  /** Number of training messages held (a message added twice counts twice). */
  get messages(): number {
    return this.#messages;
  }

  /** Approximate bytes held (for a memory cap). */
  get bytes(): number {
    return (
      this.#stream.byteLength +
      this.#next.byteLength +
      this.#heads.byteLength +
      this.#counts.byteLength +
      this.#slotHashes.byteLength +
      this.#slotStarts.byteLength
    );
  }

  /**
   * Copies of the guard's arrays, for `encode`. Removed messages are compacted away first, so nothing removed
   * is stored; the guard itself answers as before.
   */
  toParts(): VerbatimGuardParts {
    if (this.#dead > 0) this.#compact();
    const used = this.#used;
    const stream = this.#stream.slice(0, used);
    const next = this.#next.slice(0, used);
    // Positions that start no trigram hold stale links (or 0 from allocation); store them as none, so that the
    // loader can require every link to point back.
    for (let p = 0; p < used; p++) {
      if (p + 2 >= used || stream[p]! < 0 || stream[p + 1]! < 0 || stream[p + 2]! < 0) next[p] = NONE;
    }
    return {
      stream,
      next,
      heads: this.#heads.slice(),
      counts: this.#counts.slice(),
      slotHashes: this.#slotHashes.slice(),
      slotStarts: this.#slotStarts.slice(),
      messages: this.#messages,
      trigrams: this.#liveTrigrams,
    };
  }

  /** Adds one training message, as its sequence of word ids. */
  add(words: readonly number[]): void {
    checkIds(words);
    this.#own();
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
    if (2 * (this.#messages + 1) > this.#slotStarts.length) this.#resizeSlots(2 * this.#slotStarts.length);
    this.#place(messageHash(words, 0, length), start);
    this.#messages++;
  }

  /** Removes one copy of a training message added before; a message never added is ignored. */
  remove(words: readonly number[]): void {
    checkIds(words);
    const length = words.length;
    const slot = this.#findCopy(messageHash(words, 0, length), words);
    if (slot === NONE) return;
    this.#own();
    const start = this.#slotStarts[slot]!;
    this.#stream.fill(TOMBSTONE, start, start + length + 1);
    this.#dead += length + 1;
    this.#liveTrigrams -= Math.max(0, length - 2);
    this.#vacate(slot);
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
    // A chain holds counts[bucket] positions; the bound only matters for damaged loaded arrays (see fromParts).
    let steps = this.#counts[bucket]!;
    for (let p = this.#heads[bucket]!; p !== NONE && steps > 0; p = next[p]!, steps--) {
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

  /** The slot of a held copy of exactly `words`, or NONE. */
  #findCopy(hash: number, words: readonly number[]): number {
    const hashes = this.#slotHashes;
    const starts = this.#slotStarts;
    const mask = this.#slotMask;
    // The table always has an empty slot; the bound only matters for damaged loaded arrays.
    for (let slot = hash & mask, probes = 0; probes <= mask; slot = (slot + 1) & mask, probes++) {
      const start = starts[slot]!;
      if (start === NONE) return NONE;
      if (hashes[slot] === hash && this.#holds(start, words)) return slot;
    }
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

  /** Puts a message in the first empty slot from its home; the caller keeps the table at most half full. */
  #place(hash: number, start: number): void {
    const starts = this.#slotStarts;
    const mask = this.#slotMask;
    let slot = hash & mask;
    while (starts[slot] !== NONE) slot = (slot + 1) & mask;
    this.#slotHashes[slot] = hash;
    starts[slot] = start;
  }

  /** Empties a slot, moving later entries of its cluster back so that every entry stays reachable from home. */
  #vacate(slot: number): void {
    const hashes = this.#slotHashes;
    const starts = this.#slotStarts;
    const mask = this.#slotMask;
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

  #resizeSlots(size: number): void {
    const hashes = this.#slotHashes;
    const starts = this.#slotStarts;
    this.#slotHashes = new Uint32Array(size);
    this.#slotStarts = new Int32Array(size).fill(NONE);
    this.#slotMask = size - 1;
    for (let slot = 0; slot < starts.length; slot++) {
      const start = starts[slot]!;
      if (start !== NONE) this.#place(hashes[slot]!, start);
    }
  }

  /** Before the first change to a loaded guard: copies the adopted arrays, so that they are never written. */
  #own(): void {
    if (!this.#borrowed) return;
    this.#verify();
    this.#borrowed = false;
    const capacity = nextPowerOfTwo(this.#used + 1, MIN_CAPACITY);
    const stream = new Int32Array(capacity);
    stream.set(this.#stream);
    const next = new Int32Array(capacity);
    next.set(this.#next);
    this.#stream = stream;
    this.#next = next;
    this.#heads = this.#heads.slice();
    this.#counts = this.#counts.slice();
    this.#slotHashes = this.#slotHashes.slice();
    this.#slotStarts = this.#slotStarts.slice();
  }

  /**
   * Checks adopted arrays before anything is built on them: links point back (every chain walk ends), heads and
   * starts lie inside the stream, counts add up to the stream's trigrams, separators and full slots to the
   * message count (the table keeps empty slots to end probes). Throws a RangeError.
   */
  #verify(): void {
    const stream = this.#stream;
    const next = this.#next;
    const used = this.#used;
    // Branch-free passes: this one runs over every word. A link is NONE or an earlier position when link + 1, as
    // an unsigned number, is at most p; markers other than SEPARATOR (tombstones) are never stored.
    let bad = 0;
    let separators = 0;
    for (let p = 0; p < used; p++) {
      const word = stream[p]!;
      bad |= ((next[p]! + 1) >>> 0 > p ? 1 : 0) | (word < SEPARATOR ? 1 : 0);
      separators += word >>> 31;
    }
    if (bad !== 0) corrupt('a chain link points forward, or the stream holds a removed message');
    if (separators !== this.#messages) {
      corrupt(`${separators} messages in the stream, ${this.#messages} counted`);
    }
    // A trigram starts where three words follow each other: their OR is negative when one is a separator.
    let trigrams = 0;
    for (let p = 0; p + 2 < used; p++) {
      trigrams += ((stream[p]! | stream[p + 1]! | stream[p + 2]!) >>> 31) ^ 1;
    }
    if (trigrams !== this.#liveTrigrams) {
      corrupt(`${trigrams} trigrams in the stream, ${this.#liveTrigrams} counted`);
    }

    const heads = this.#heads;
    const counts = this.#counts;
    let chained = 0;
    for (let b = 0; b < heads.length; b++) {
      const head = heads[b]!;
      const count = counts[b]!;
      if (head === NONE ? count !== 0 : head < 0 || head + 2 >= used || count <= 0) corrupt(`bucket ${b}`);
      chained += count;
    }
    if (chained !== trigrams) corrupt(`${chained} chained trigrams, ${trigrams} in the stream`);

    const starts = this.#slotStarts;
    let full = 0;
    for (let slot = 0; slot < starts.length; slot++) {
      const start = starts[slot]!;
      if (start === NONE) continue;
      if (start < 0 || start >= used || (start > 0 && stream[start - 1] !== SEPARATOR)) {
        corrupt(`slot ${slot}`);
      }
      full++;
    }
    if (full !== this.#messages) corrupt(`${full} full slots, ${this.#messages} messages`);
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

  /** Drops removed messages from the stream, then re-derives the message table and the chains. */
  #compact(): void {
    const live = this.#used - this.#dead;
    // Fitted to the live text (adds double it again): after many removals, or before toParts, slack is waste.
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(live / MIN_CAPACITY) * MIN_CAPACITY);
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
    const slots = nextPowerOfTwo(2 * this.#messages, MIN_SLOTS);
    this.#slotHashes = new Uint32Array(slots);
    this.#slotStarts = new Int32Array(slots).fill(NONE);
    this.#slotMask = slots - 1;
    let start = 0;
    for (let p = 0; p < used; p++) {
      if (stream[p] !== SEPARATOR) continue;
      this.#place(messageHash(stream, start, p), start);
      start = p + 1;
    }
    this.#rechain();
  }
}
