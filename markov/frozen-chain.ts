// A compact, immutable Markov chain made of typed arrays and one vocabulary: persisted as a few blobs, loaded back
// in milliseconds ("cold load"), shareable between worker threads, and sampled in O(1) per step.
import { AliasTable } from './alias-table.js';
import type { ChainReader } from './chain-reader.js';
import { BOUNDARY } from './markov-chain.js';
import { normalizeWord } from './tokenizer.js';

/*
 * Layout (k = stateSize, S = forward states, E = backward-only states, T / B = forward / backward transitions)
 * - Persisted (FrozenChainParts): the forward states as S·k token ids and a CSR over them (offsets, next token,
 *   count); the backward CSR over all S+E states (forward states first), and the ids of the E backward-only states.
 *   Within a forward state, successors keep the order they were given in, so a chain built from
 *   MarkovChain.forwardCounts() builds the same forward alias tables as the MarkovChain and samples the same
 *   tokens from the same random numbers.
 * - Built at load, O(S + E), the only work besides structural checks: an open-addressing table (linear probing,
 *   an Int32Array whose power-of-two size is ≥ 2× the states, so at most half full) from the murmur3-mixed k ids
 *   of a state to its index. `build` stores the forward states in order of their home slot in that table, so the
 *   load fills it in one sequential sweep instead of jumping around it;
 *   parts in any other order still load, through a general build. Random access is what a cold load pays for:
 *   on the development VM the sweep takes a fraction of the general build's time for 600k states.
 * - Built lazily: the alias tables (per state and direction, on first sample; at most MAX_CACHED_TABLES, the cache
 *   is cleared when full), the word → ids map (idsMatching) and the first-token → states index (pickSeed).
 * - Checked at load: array lengths, and the state ids while hashing them. Checked when used (a corrupt blob throws
 *   then): a row's offsets on every step, its token ids and counts when its alias table is built. So a load reads
 *   nothing it does not need, as the slot table is the only thing it builds.
 *
 * Backward transitions, derived from the forward ones by `build`
 * MarkovChain reads a message w1..wn as the padded sequence P = ⌀^k w1..wn ⌀^k (⌀ = BOUNDARY) and counts windows
 * of k+1 tokens (x0..xk): forward as state x0..x(k-1) → xk, backward as state x1..xk ← x0. Its forward pairs are
 * the windows with at most one trailing ⌀ (padding ⌀^k before, one ⌀ after), its backward pairs the windows with at
 * most one leading ⌀ (one ⌀ before, ⌀^k after). Since message tokens are never ⌀, a window is
 * - both, when it has ≤ 1 leading and ≤ 1 trailing ⌀: every forward transition except those whose window starts
 *   with ⌀⌀ gives its backward pair (x1..xk ← x0) with the same count;
 * - forward only, when it starts with ⌀⌀ (k ≥ 2, the first k-1 windows of a message): skipped;
 * - backward only, when it ends with ⌀⌀ (k ≥ 2, the last k-1 windows): these are not forward transitions, but each
 *   is fixed by the message's last state: the message's final forward transition is e0..e(k-1) → ⌀ (exactly one per
 *   message, and the only transitions to ⌀), and its backward-only windows are e_j..e(k-1) ⌀^(j+1) for
 *   j = 1..k-1 (still skipping those that start with ⌀⌀, for messages shorter than k). So every transition
 *   e → ⌀ with count c adds those windows with count c.
 * Summed over messages this reproduces MarkovChain's backward counts exactly, boundaries included, as long as the
 * forward counts are those of a set of messages (MarkovChain.remove of a message that was never added breaks that
 * in the MarkovChain itself). Backward-only windows of different end states can coincide (…y z ⌀⌀ for k = 3), so
 * those rows are merged. Backward states are mostly forward states (x1..xk is the next forward state when
 * xk ≠ ⌀); the others all end with ⌀ and become the backward-only states. A backward row lists predecessors in
 * forward-array order, not MarkovChain's training order, so backward steps follow the same distribution as the
 * MarkovChain's but not the same draw for a given random number.
 *
 * Why the backward CSR is persisted although it can be derived: deriving it costs one hash lookup per forward
 * transition, at random places in the state table and the state ids. On a 221k-message chain (k = 2: 600k states,
 * 1.5M transitions) that took 0.4–1 s on the development VM, against a 50 ms budget for a cold load; storing it
 * costs 4 bytes × (S + E + 1 + 2B), about 14 MB more there, which loads as views.
 *
 * Sizes: persisted 4 bytes × (S·k + S + 1 + 2T + E·k + S + E + 1 + 2B) plus the vocabulary; at load a 4-byte slot
 * table of 2 to 4 slots per state.
 */

export interface FrozenChainParts {
  stateSize: number;
  messageCount: number;
  /** Token by id; index 0 is the boundary marker ''. */
  vocabulary: string[];
  /** S·k token ids: the forward states, state indices 0..S-1. */
  forwardStates: Int32Array;
  /** S+1 CSR offsets into forwardNext/forwardCounts. */
  forwardOffsets: Int32Array;
  forwardNext: Int32Array;
  forwardCounts: Int32Array;
  /** E·k token ids: the states that only have backward transitions (all end with ''), state indices S..S+E-1. */
  backwardOnlyStates: Int32Array;
  /** S+E+1 CSR offsets by state index into backwardPrev/backwardCounts (empty rows for forward-only states). */
  backwardOffsets: Int32Array;
  backwardPrev: Int32Array;
  backwardCounts: Int32Array;
}

export interface FrozenChainStats {
  stateSize: number;
  /** Tokens, without the boundary marker (as MarkovChain.stats). */
  vocabulary: number;
  forwardStates: number;
  /** Forward transitions counted with multiplicity (as MarkovChain.stats). */
  transitions: number;
  messages: number;
  /** Typed arrays held (persisted and built at load) plus an estimate for the vocabulary strings. */
  bytes: number;
}

type Direction = 'forward' | 'backward';

const EMPTY = -1;
const MAX_COUNT = 0x7fffffff;
/** Alias tables kept at most; the cache is cleared when full, so memory stays flat however long a bot runs. */
export const MAX_CACHED_TABLES = 100_000;
/** Rough V8 cost of one vocabulary string besides its characters (header, array slot); for `bytes` only. */
const STRING_OVERHEAD_BYTES = 24;

const FORMAT = 'chorus.frozen-chain';
const VERSION = 1;
const ARRAY_NAMES = [
  'forwardStates',
  'forwardOffsets',
  'forwardNext',
  'forwardCounts',
  'backwardOnlyStates',
  'backwardOffsets',
  'backwardPrev',
  'backwardCounts',
] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** A lone UTF-16 surrogate, which UTF-8 cannot carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Header {
  format: typeof FORMAT;
  version: number;
  stateSize: number;
  messageCount: number;
  /** Vocabulary size, boundary marker included. */
  vocabulary: number;
  /** 'nul': UTF-8 of the tokens joined with U+0000; 'json': UTF-8 of a JSON array, for vocabularies holding a
   * U+0000 or a lone surrogate (a code span can carry either). */
  vocabularyEncoding: 'nul' | 'json';
  forwardStates: number;
  transitions: number;
  backwardOnlyStates: number;
  backwardTransitions: number;
}

// ---------------------------------------------------------------------------------------------------------------
// State table

/** murmur3's 32-bit mixing over the k ids of a state. */
function hashState(ids: Int32Array, at: number, k: number): number {
  let h = 0x9747b28c ^ k;
  for (let j = 0; j < k; j++) {
    let x = Math.imul(ids[at + j] as number, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    h ^= Math.imul(x, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Slot count for `states` entries: a power of two at least twice as large (at least 2). */
function tableSize(states: number): number {
  let size = 2;
  while (size < 2 * states) size *= 2;
  return size;
}

/**
 * Looks up the state `key[at..at+k)`. States below `mainCount` live in `main`, the rest in `extra`. Returns the
 * state's index, or ~slot (negative) of the empty slot where it belongs.
 */
function probe(
  slots: Int32Array,
  k: number,
  main: Int32Array,
  mainCount: number,
  extra: Int32Array,
  key: Int32Array,
  at: number,
): number {
  const mask = slots.length - 1;
  let slot = hashState(key, at, k) & mask;
  for (;;) {
    const index = slots[slot] as number;
    if (index === EMPTY) return ~slot;
    const ids = index < mainCount ? main : extra;
    const base = (index < mainCount ? index : index - mainCount) * k;
    let j = 0;
    while (j < k && ids[base + j] === key[at + j]) j++;
    if (j === k) return index;
    slot = (slot + 1) & mask;
  }
}

/** Hashes `count` states of `ids` into `hashes` from `into`, checking that every id is in the vocabulary. */
function hashStates(
  ids: Int32Array,
  count: number,
  k: number,
  V: number,
  hashes: Int32Array,
  into: number,
): void {
  for (let i = 0; i < count; i++) {
    for (let j = i * k; j < (i + 1) * k; j++) {
      const id = ids[j] as number;
      if (id < 0 || id >= V) throw new RangeError(`FrozenChain: inconsistent parts: state token id ${id}`);
    }
    hashes[into + i] = hashState(ids, i * k, k);
  }
}

/**
 * The slot table over the states of `main` (indices below mainCount) and `extra`, sized for `capacity` states.
 * States go in by home slot (a counting sort on its top bits), so the table is written nearly in order, and a
 * temporary copy of each slot's hash spares most comparisons of state ids. Throws if a state repeats.
 */
function buildTable(
  k: number,
  V: number,
  main: Int32Array,
  mainCount: number,
  extra: Int32Array,
  extraCount: number,
  capacity: number,
): Int32Array {
  const count = mainCount + extraCount;
  const size = tableSize(Math.max(capacity, count));
  const mask = size - 1;
  const hashes = new Int32Array(count);
  hashStates(main, mainCount, k, V, hashes, 0);
  hashStates(extra, extraCount, k, V, hashes, mainCount);

  const bits = 31 - Math.clz32(size);
  const bucketBits = Math.min(bits, 12);
  const shift = bits - bucketBits;
  const starts = new Int32Array((1 << bucketBits) + 1);
  for (let i = 0; i < count; i++) {
    const bucket = (((hashes[i] as number) & mask) >>> shift) + 1;
    starts[bucket] = (starts[bucket] as number) + 1;
  }
  for (let b = 0; b < 1 << bucketBits; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const bucket = ((hashes[i] as number) & mask) >>> shift;
    const at = starts[bucket] as number;
    starts[bucket] = at + 1;
    order[at] = i;
  }

  const slots = new Int32Array(size).fill(EMPTY);
  const slotHashes = new Int32Array(size);
  for (let n = 0; n < count; n++) {
    const i = order[n] as number;
    const hash = hashes[i] as number;
    let slot = hash & mask;
    for (;;) {
      const other = slots[slot] as number;
      if (other === EMPTY) break;
      if (slotHashes[slot] === hash && sameState(k, main, mainCount, extra, i, other)) {
        throw new RangeError(
          `FrozenChain: inconsistent parts: state ${Math.max(i, other)} repeats state ${Math.min(i, other)}`,
        );
      }
      slot = (slot + 1) & mask;
    }
    slots[slot] = i;
    slotHashes[slot] = hash;
  }
  return slots;
}

/** True when states a and b (indices; below mainCount in `main`, the rest in `extra`) hold the same ids. */
function sameState(
  k: number,
  main: Int32Array,
  mainCount: number,
  extra: Int32Array,
  a: number,
  b: number,
): boolean {
  const aIds = a < mainCount ? main : extra;
  const bIds = b < mainCount ? main : extra;
  const aBase = (a < mainCount ? a : a - mainCount) * k;
  const bBase = (b < mainCount ? b : b - mainCount) * k;
  let j = 0;
  while (j < k && aIds[aBase + j] === bIds[bBase + j]) j++;
  return j === k;
}

/**
 * A state's place in the persisted order, for a table of 2^bits slots: its home slot (the hash's low bits) in
 * the top bits, then the rest of the hash, so that states sort by home slot and equal hashes end up adjacent.
 */
function slotKey(ids: Int32Array, at: number, k: number, V: number, bits: number): number {
  for (let j = at; j < at + k; j++) {
    const id = ids[j] as number;
    if (id < 0 || id >= V) throw new RangeError(`FrozenChain: inconsistent parts: state token id ${id}`);
  }
  const hash = hashState(ids, at, k);
  // Rotated so the home slot leads, then the sign bit flipped: signed order is the rotated value's unsigned
  // order, and the key stays an int32 (an unsigned one would cost optimized code a deoptimization).
  return ((hash >>> bits) | (hash << (32 - bits))) ^ 0x80000000;
}

/** The log2 of the slot count for `states` states. */
function tableBits(states: number): number {
  return 31 - Math.clz32(tableSize(states));
}

/** Indices 0..n-1 ordered by `keys` (int32), ties in index order: a stable LSD radix sort, 2 × 16 bits. */
function sortByKey(keys: Int32Array): Int32Array {
  const n = keys.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let scratch = new Int32Array(n);
  const starts = new Int32Array(0x10001);
  for (const [shift, flip] of [
    [0, 0],
    [16, 0x8000],
  ] as const) {
    starts.fill(0);
    for (let i = 0; i < n; i++) {
      const bucket = ((((keys[order[i] as number] as number) >>> shift) & 0xffff) ^ flip) + 1;
      starts[bucket] = (starts[bucket] as number) + 1;
    }
    for (let b = 0; b < 0x10000; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
    for (let i = 0; i < n; i++) {
      const index = order[i] as number;
      const bucket = (((keys[index] as number) >>> shift) & 0xffff) ^ flip;
      const at = starts[bucket] as number;
      starts[bucket] = at + 1;
      scratch[at] = index;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}

/**
 * The slot table in one sequential sweep, for forward states stored in slotKey order (as `build` stores them).
 * Linear probing puts each state at max(home, previous position + 1), so the sweep only ever writes ahead; the
 * few states that would run past the end, and the backward-only states, go in through `probe`. Repeats can only
 * be among equal hashes, adjacent in this order. Returns undefined when the forward states are not in slotKey
 * order (parts from elsewhere).
 */
function sweepTable(
  k: number,
  V: number,
  main: Int32Array,
  mainCount: number,
  extra: Int32Array,
  extraCount: number,
): Int32Array | undefined {
  const size = tableSize(mainCount + extraCount);
  const bits = tableBits(mainCount + extraCount);
  const shift = 32 - bits;
  const slots = new Int32Array(size).fill(EMPTY);
  let position = -1;
  let lastKey = 0;
  let sameFrom = 0;
  let overflowFrom = mainCount;
  for (let i = 0; i < mainCount; i++) {
    const key = slotKey(main, i * k, k, V, bits);
    if (i > 0 && key < lastKey) return undefined;
    if (i === 0 || key !== lastKey) {
      lastKey = key;
      sameFrom = i;
    } else {
      for (let other = sameFrom; other < i; other++) {
        if (sameState(k, main, mainCount, extra, i, other)) {
          throw new RangeError(`FrozenChain: inconsistent parts: state ${i} repeats state ${other}`);
        }
      }
    }
    const home = (key ^ 0x80000000) >>> shift;
    const slot = home > position ? home : position + 1;
    if (slot < size) {
      slots[slot] = i;
      position = slot;
    } else if (overflowFrom === mainCount) {
      // Keys only grow, so every later state runs past the end too.
      overflowFrom = i;
    }
  }
  for (let i = overflowFrom; i < mainCount; i++)
    slots[~probe(slots, k, main, mainCount, extra, main, i * k)] = i;
  for (let e = 0; e < extraCount; e++) {
    slotKey(extra, e * k, k, V, bits);
    const found = probe(slots, k, main, mainCount, extra, extra, e * k);
    if (found >= 0) {
      throw new RangeError(`FrozenChain: inconsistent parts: state ${mainCount + e} repeats state ${found}`);
    }
    slots[~found] = mainCount + e;
  }
  return slots;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

function checkStateSize(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 4) {
    throw new RangeError(`FrozenChain: stateSize must be an integer from 1 to 4, got ${String(k)}`);
  }
}

function checkMessageCount(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`FrozenChain: messageCount must be a non-negative integer, got ${String(n)}`);
  }
}

function checkVocabulary(vocabulary: readonly string[]): void {
  if (!Array.isArray(vocabulary) || vocabulary[0] !== '') {
    throw new RangeError("FrozenChain: the vocabulary must start with the boundary marker ''");
  }
  if (vocabulary.length > MAX_COUNT) throw new RangeError('FrozenChain: vocabulary too large');
}

/** The O(1) checks at load: array types and lengths (state ids are checked while hashing, rows when used). */
function checkParts(parts: FrozenChainParts): void {
  const k = parts.stateSize;
  checkStateSize(k);
  checkMessageCount(parts.messageCount);
  checkVocabulary(parts.vocabulary);
  for (const name of ARRAY_NAMES) {
    if (!(parts[name] instanceof Int32Array))
      throw new TypeError(`FrozenChain: ${name} must be an Int32Array`);
  }
  const fail = (what: string): never => {
    throw new RangeError(`FrozenChain: inconsistent parts: ${what}`);
  };
  const S = parts.forwardOffsets.length - 1;
  if (S < 0) fail('forwardOffsets is empty');
  if (parts.forwardStates.length !== S * k)
    fail(`forwardStates holds ${parts.forwardStates.length} ids for ${S} states`);
  if (parts.backwardOnlyStates.length % k !== 0) fail('backwardOnlyStates does not hold whole states');
  const E = parts.backwardOnlyStates.length / k;
  if (parts.backwardOffsets.length !== S + E + 1) fail('backwardOffsets does not cover every state');
  const span = (name: string, offsets: Int32Array, tokens: Int32Array, counts: Int32Array) => {
    if (
      offsets[0] !== 0 ||
      offsets[offsets.length - 1] !== tokens.length ||
      counts.length !== tokens.length
    ) {
      fail(`${name} offsets do not span their tokens and counts`);
    }
  };
  span('forward', parts.forwardOffsets, parts.forwardNext, parts.forwardCounts);
  span('backward', parts.backwardOffsets, parts.backwardPrev, parts.backwardCounts);
}

/** Throws unless a row's offsets lie within its arrays (rows are checked when used, not at load). */
function checkSpan(start: number, end: number, length: number): void {
  if (!(start >= 0 && start <= end && end <= length)) {
    throw new RangeError(`FrozenChain: corrupt chain: a row spans ${start}..${end} of ${length}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backward transitions from forward ones (see the top comment)

type Backward = Pick<
  FrozenChainParts,
  'backwardOnlyStates' | 'backwardOffsets' | 'backwardPrev' | 'backwardCounts'
>;
type Forward = Pick<
  FrozenChainParts,
  'stateSize' | 'forwardStates' | 'forwardOffsets' | 'forwardNext' | 'forwardCounts'
>;

/**
 * Visits the backward pairs derived from the forward transitions, in a fixed order: visit(state index of the
 * forward transition, transition index, first token of the window = predecessor, j). For j = 0 the window is the
 * transition itself; for j ≥ 1 (only after a transition to BOUNDARY) it is the transition's state from position
 * j, then j+1 BOUNDARYs.
 */
function forEachBackwardWindow(
  forward: Forward,
  visit: (i: number, t: number, prev: number, j: number) => void,
): void {
  const { stateSize: k, forwardStates: states, forwardOffsets: offsets, forwardNext: next } = forward;
  const S = offsets.length - 1;
  for (let i = 0; i < S; i++) {
    const base = i * k;
    const end = offsets[i + 1] as number;
    for (let t = offsets[i] as number; t < end; t++) {
      const c = next[t] as number;
      const last = c === BOUNDARY ? k - 1 : 0;
      for (let j = 0; j <= last; j++) {
        const first = states[base + j] as number;
        const second = j + 1 < k ? (states[base + j + 1] as number) : c;
        // A window starting with two boundaries is forward only.
        if (first === BOUNDARY && second === BOUNDARY) continue;
        visit(i, t, first, j);
      }
    }
  }
}

/** The backward CSR; undefined when more backward-only states turn up than `extraCapacity`. */
function deriveBackward(forward: Forward, V: number, extraCapacity: number): Backward | undefined {
  const { stateSize: k, forwardStates: states, forwardNext: next, forwardCounts: counts } = forward;
  const S = forward.forwardOffsets.length - 1;
  const capacity = S + extraCapacity;
  const extra = new Int32Array(extraCapacity * k);
  const slots = buildTable(k, V, states, S, extra, 0, capacity);

  // Pass 1: the row (backward state) of every window, and row sizes.
  let windows = 0;
  forEachBackwardWindow(forward, () => windows++);
  const rowOf = new Int32Array(windows);
  const offsets = new Int32Array(capacity + 1);
  const key = new Int32Array(k);
  let stateCount = S;
  let w = 0;
  let overflow = false;
  forEachBackwardWindow(forward, (i, t, _prev, j) => {
    if (overflow) return;
    // The backward state: the window without its first token.
    let m = 0;
    for (let q = i * k + j + 1; q < (i + 1) * k; q++) key[m++] = states[q] as number;
    key[m++] = next[t] as number;
    while (m < k) key[m++] = BOUNDARY;
    let row = probe(slots, k, states, S, extra, key, 0);
    if (row < 0) {
      if (stateCount === capacity) {
        overflow = true;
        return;
      }
      slots[~row] = stateCount;
      extra.set(key, (stateCount - S) * k);
      row = stateCount++;
    }
    rowOf[w++] = row;
    offsets[row + 1] = (offsets[row + 1] as number) + 1;
  });
  if (overflow) return undefined;
  for (let r = 0; r < stateCount; r++) offsets[r + 1] = (offsets[r + 1] as number) + (offsets[r] as number);

  // Pass 2: place predecessors and counts, in window order within each row.
  const cursor = offsets.slice(0, stateCount);
  let prevs = new Int32Array(windows);
  let weights = new Int32Array(windows);
  w = 0;
  forEachBackwardWindow(forward, (_i, t, prev) => {
    const row = rowOf[w++] as number;
    const at = cursor[row] as number;
    cursor[row] = at + 1;
    prevs[at] = prev;
    weights[at] = counts[t] as number;
  });

  // Backward-only windows of different messages can be the same window (for k ≥ 2): merge duplicates in the
  // rows they can land in, which all end with two boundaries: backward-only states and the all-boundary state.
  if (k >= 2) {
    key.fill(BOUNDARY);
    const zeroState = probe(slots, k, states, S, extra, key, 0);
    const seenRow = new Int32Array(V).fill(EMPTY);
    const seenAt = new Int32Array(V);
    let merged = 0;
    const mergeRow = (r: number): void => {
      const end = offsets[r + 1] as number;
      for (let p = offsets[r] as number; p < end; p++) {
        const token = prevs[p] as number;
        if (seenRow[token] === r) {
          const into = seenAt[token] as number;
          weights[into] = Math.min(MAX_COUNT, (weights[into] as number) + (weights[p] as number));
          weights[p] = 0;
          merged++;
        } else {
          seenRow[token] = r;
          seenAt[token] = p;
        }
      }
    };
    if (zeroState >= 0 && zeroState < S) mergeRow(zeroState);
    for (let r = S; r < stateCount; r++) mergeRow(r);
    if (merged > 0) {
      // Compact from the first merged row on; rows before it do not move.
      const firstRow = zeroState >= 0 && zeroState < S ? zeroState : S;
      let out = offsets[firstRow] as number;
      for (let r = firstRow; r < stateCount; r++) {
        const start = offsets[r] as number;
        const end = offsets[r + 1] as number;
        offsets[r] = out;
        for (let p = start; p < end; p++) {
          const weight = weights[p] as number;
          if (weight === 0) continue;
          prevs[out] = prevs[p] as number;
          weights[out++] = weight;
        }
      }
      offsets[stateCount] = out;
      prevs = prevs.slice(0, out);
      weights = weights.slice(0, out);
    }
  }
  return {
    backwardOnlyStates: extra.slice(0, (stateCount - S) * k),
    backwardOffsets: offsets.slice(0, stateCount + 1),
    backwardPrev: prevs,
    backwardCounts: weights,
  };
}

/** Copies CSR rows in a new order: row n of the result is row order[n] of the input. */
function permuteRows(
  order: Int32Array,
  offsets: Int32Array,
  tokens: Int32Array,
  counts: Int32Array,
): { offsets: Int32Array; tokens: Int32Array; counts: Int32Array } {
  const out = {
    offsets: new Int32Array(order.length + 1),
    tokens: new Int32Array(tokens.length),
    counts: new Int32Array(counts.length),
  };
  let at = 0;
  for (let n = 0; n < order.length; n++) {
    const old = order[n] as number;
    const start = offsets[old] as number;
    const end = offsets[old + 1] as number;
    out.tokens.set(tokens.subarray(start, end), at);
    out.counts.set(counts.subarray(start, end), at);
    at += end - start;
    out.offsets[n + 1] = at;
  }
  return out;
}

/** Copies states (k ids each) in a new order. */
function permuteStates(order: Int32Array, states: Int32Array, k: number): Int32Array {
  const out = new Int32Array(order.length * k);
  for (let n = 0; n < order.length; n++) {
    const old = order[n] as number;
    out.set(states.subarray(old * k, (old + 1) * k), n * k);
  }
  return out;
}

/**
 * Reorders the forward states by slotKey (successor order within a row is kept), so that loading builds the state
 * table in one sequential sweep (see sweepTable). The backward rows follow their states.
 */
function inSlotOrder(
  forward: Forward,
  backward: Backward,
  V: number,
): Omit<FrozenChainParts, 'messageCount' | 'vocabulary'> {
  const k = forward.stateSize;
  const S = forward.forwardOffsets.length - 1;
  const E = backward.backwardOnlyStates.length / k;
  const bits = tableBits(S + E);
  const keys = new Int32Array(S);
  for (let i = 0; i < S; i++) keys[i] = slotKey(forward.forwardStates, i * k, k, V, bits);
  const forwardOrder = sortByKey(keys);
  const allOrder = new Int32Array(S + E);
  allOrder.set(forwardOrder);
  for (let n = S; n < S + E; n++) allOrder[n] = n;
  const f = permuteRows(forwardOrder, forward.forwardOffsets, forward.forwardNext, forward.forwardCounts);
  const b = permuteRows(allOrder, backward.backwardOffsets, backward.backwardPrev, backward.backwardCounts);
  return {
    stateSize: k,
    forwardStates: permuteStates(forwardOrder, forward.forwardStates, k),
    forwardOffsets: f.offsets,
    forwardNext: f.tokens,
    forwardCounts: f.counts,
    backwardOnlyStates: backward.backwardOnlyStates,
    backwardOffsets: b.offsets,
    backwardPrev: b.tokens,
    backwardCounts: b.counts,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

function bytesOf(array: Int32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const out = Buffer.alloc(array.byteLength);
  for (let i = 0; i < array.length; i++) out.writeInt32LE(array[i] as number, i * 4);
  return out;
}

function int32Of(blob: Buffer | undefined, name: string, length: number): Int32Array {
  if (!(blob instanceof Uint8Array)) throw new RangeError(`FrozenChain.decode: the ${name} blob is missing`);
  if (blob.byteLength !== length * 4) {
    throw new RangeError(
      `FrozenChain.decode: the ${name} blob holds ${blob.byteLength} bytes, expected ${length * 4}`,
    );
  }
  if (!LITTLE_ENDIAN) {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  // A view when aligned (no copy); a Buffer from Node's shared pool may start anywhere, so it is copied.
  if (blob.byteOffset % 4 === 0) return new Int32Array(blob.buffer, blob.byteOffset, length);
  const out = new Int32Array(length);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function parseHeader(text: string): Header {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError('FrozenChain.decode: the header is not JSON');
  }
  const h = value as Partial<Header> | null;
  if (typeof h !== 'object' || h === null || h.format !== FORMAT) {
    throw new RangeError('FrozenChain.decode: not a frozen chain header');
  }
  if (h.version !== VERSION)
    throw new RangeError(`FrozenChain.decode: unsupported version ${String(h.version)}`);
  checkStateSize(h.stateSize);
  checkMessageCount(h.messageCount);
  for (const field of [
    'vocabulary',
    'forwardStates',
    'transitions',
    'backwardOnlyStates',
    'backwardTransitions',
  ] as const) {
    const n = h[field];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      throw new RangeError(`FrozenChain.decode: bad ${field} count in the header`);
    }
  }
  if (h.vocabularyEncoding !== 'nul' && h.vocabularyEncoding !== 'json') {
    throw new RangeError('FrozenChain.decode: unknown vocabulary encoding');
  }
  return h as Header;
}

// ---------------------------------------------------------------------------------------------------------------

const NO_IDS: readonly number[] = Object.freeze([]);

export class FrozenChain implements ChainReader {
  readonly stateSize: number;
  readonly messageCount: number;
  readonly #parts: FrozenChainParts;
  readonly #vocabulary: readonly string[];
  readonly #forwardStates: Int32Array;
  readonly #forwardOffsets: Int32Array;
  readonly #forwardNext: Int32Array;
  readonly #forwardCounts: Int32Array;
  /** Forward state count; state indices at or above it are backward-only states. */
  readonly #forwardStateCount: number;
  readonly #backwardOnlyStates: Int32Array;
  readonly #backwardOffsets: Int32Array;
  readonly #backwardPrev: Int32Array;
  readonly #backwardCounts: Int32Array;
  readonly #slots: Int32Array;
  /** A state being looked up, copied to an Int32Array so that hashing sees one array type. */
  readonly #key: Int32Array;
  /** Alias tables by 2 × state index + (0 forward, 1 backward). */
  readonly #tables = new Map<number, AliasTable>();
  #byWord: Map<string, number[]> | undefined;
  /** Forward states by first token: CSR offsets by token id into a list of state indices. */
  #seeds: { offsets: Int32Array; states: Int32Array } | undefined;
  #transitions: number | undefined;

  private constructor(parts: FrozenChainParts, slots: Int32Array) {
    this.#parts = parts;
    this.stateSize = parts.stateSize;
    this.messageCount = parts.messageCount;
    this.#vocabulary = parts.vocabulary;
    this.#forwardStates = parts.forwardStates;
    this.#forwardOffsets = parts.forwardOffsets;
    this.#forwardNext = parts.forwardNext;
    this.#forwardCounts = parts.forwardCounts;
    this.#forwardStateCount = parts.forwardOffsets.length - 1;
    this.#backwardOnlyStates = parts.backwardOnlyStates;
    this.#backwardOffsets = parts.backwardOffsets;
    this.#backwardPrev = parts.backwardPrev;
    this.#backwardCounts = parts.backwardCounts;
    this.#slots = slots;
    this.#key = new Int32Array(parts.stateSize);
  }

  /**
   * Builds from forward transition counts (e.g. MarkovChain.forwardCounts()) and the vocabulary they index
   * (copied), and derives the backward transitions from them. Successors keep the order in which they first
   * appear (a (state, next) pair given twice is summed); states are stored in slot order (see the top comment).
   */
  static build(
    stateSize: number,
    vocabulary: readonly string[],
    forward: Iterable<[state: readonly number[], next: number, count: number]>,
    messageCount: number,
  ): FrozenChain {
    checkStateSize(stateSize);
    checkMessageCount(messageCount);
    checkVocabulary(vocabulary);
    const k = stateSize;
    const V = vocabulary.length;
    const isId = (id: number) => Number.isInteger(id) && id >= 0 && id < V;

    let states = new Int32Array(1024 * k);
    let slots: Int32Array = new Int32Array(tableSize(1024)).fill(EMPTY);
    let stateCount = 0;
    let owner = new Int32Array(4096);
    let nexts = new Int32Array(4096);
    let weights = new Int32Array(4096);
    let pairs = 0;
    const key = new Int32Array(k);
    const none = new Int32Array(0);
    let last = -1;

    for (const [state, next, count] of forward) {
      if (state.length !== k) {
        throw new RangeError(`FrozenChain.build: a state has ${state.length} tokens, expected ${k}`);
      }
      if (!isId(next)) throw new RangeError(`FrozenChain.build: token id ${next} outside the vocabulary`);
      if (!Number.isInteger(count) || count <= 0 || count > MAX_COUNT) {
        throw new RangeError(`FrozenChain.build: count ${count} is not a positive 32-bit integer`);
      }
      // Successive transitions of one state are the common case: compare with the previous state first.
      let same = last >= 0;
      for (let j = 0; j < k && same; j++) same = state[j] === states[last * k + j];
      if (!same) {
        for (let j = 0; j < k; j++) {
          const id = state[j] as number;
          if (!isId(id)) throw new RangeError(`FrozenChain.build: token id ${id} outside the vocabulary`);
          key[j] = id;
        }
        let found = probe(slots, k, states, stateCount, none, key, 0);
        if (found < 0) {
          if ((stateCount + 1) * k > states.length) {
            const grown = new Int32Array(states.length * 2);
            grown.set(states);
            states = grown;
          }
          if (2 * (stateCount + 1) > slots.length) {
            // Twice the slots: buildTable sizes the table to at least twice the capacity.
            slots = buildTable(k, V, states, stateCount, none, 0, slots.length);
            found = probe(slots, k, states, stateCount, none, key, 0);
          }
          states.set(key, stateCount * k);
          slots[~found] = stateCount;
          found = stateCount++;
        }
        last = found;
      }
      if (pairs === owner.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        owner = grow(owner);
        nexts = grow(nexts);
        weights = grow(weights);
      }
      owner[pairs] = last;
      nexts[pairs] = next;
      weights[pairs++] = count;
    }

    // Group by state (a stable counting sort), summing repeated (state, next) pairs.
    const offsets = new Int32Array(stateCount + 1);
    for (let p = 0; p < pairs; p++) {
      const s = (owner[p] as number) + 1;
      offsets[s] = (offsets[s] as number) + 1;
    }
    for (let i = 0; i < stateCount; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
    const cursor = offsets.slice(0, stateCount);
    const groupedNext = new Int32Array(pairs);
    const groupedCounts = new Int32Array(pairs);
    for (let p = 0; p < pairs; p++) {
      const s = owner[p] as number;
      const at = cursor[s] as number;
      cursor[s] = at + 1;
      groupedNext[at] = nexts[p] as number;
      groupedCounts[at] = weights[p] as number;
    }
    const seenState = new Int32Array(V).fill(EMPTY);
    const seenAt = new Int32Array(V);
    let out = 0;
    for (let i = 0; i < stateCount; i++) {
      const start = offsets[i] as number;
      const end = offsets[i + 1] as number;
      offsets[i] = out;
      for (let p = start; p < end; p++) {
        const token = groupedNext[p] as number;
        const weight = groupedCounts[p] as number;
        if (seenState[token] === i) {
          const into = seenAt[token] as number;
          const sum = (groupedCounts[into] as number) + weight;
          if (sum > MAX_COUNT) throw new RangeError('FrozenChain.build: a count exceeds 2^31 - 1');
          groupedCounts[into] = sum;
        } else {
          seenState[token] = i;
          seenAt[token] = out;
          groupedNext[out] = token;
          groupedCounts[out++] = weight;
        }
      }
    }
    offsets[stateCount] = out;

    const forwardParts: Forward = {
      stateSize: k,
      forwardStates: states.slice(0, stateCount * k),
      forwardOffsets: offsets,
      forwardNext: out === pairs ? groupedNext : groupedNext.slice(0, out),
      forwardCounts: out === pairs ? groupedCounts : groupedCounts.slice(0, out),
    };
    // Every backward-only state ends with BOUNDARY and comes from a window next to a transition to BOUNDARY: at
    // most k per such transition when the counts come from whole messages; otherwise retry with room for all.
    let ends = 0;
    for (let t = 0; t < out; t++) if (groupedNext[t] === BOUNDARY) ends++;
    const backward =
      deriveBackward(forwardParts, V, k * ends) ?? deriveBackward(forwardParts, V, out + (k - 1) * ends);
    if (!backward) throw new Error('FrozenChain.build: unreachable: no room for the backward states');
    return FrozenChain.fromParts({
      ...inSlotOrder(forwardParts, backward, V),
      messageCount,
      vocabulary: [...vocabulary],
    });
  }

  /**
   * Cold load: adopts the parts' arrays as they are (no copy; they may live on a SharedArrayBuffer), checks their
   * lengths, and builds the state table, O(S + E): one sequential sweep for parts from `build`, else a general
   * build. Rows are checked when used.
   */
  static fromParts(parts: FrozenChainParts): FrozenChain {
    checkParts(parts);
    const S = parts.forwardOffsets.length - 1;
    const E = parts.backwardOnlyStates.length / parts.stateSize;
    const k = parts.stateSize;
    const V = parts.vocabulary.length;
    const { forwardStates: main, backwardOnlyStates: extra } = parts;
    const slots = sweepTable(k, V, main, S, extra, E) ?? buildTable(k, V, main, S, extra, E, S + E);
    return new FrozenChain(parts, slots);
  }

  /** The persisted form. The arrays are the chain's own (shared, not copied): never write to them. */
  toParts(): FrozenChainParts {
    return { ...this.#parts };
  }

  /**
   * Serialises parts: a JSON header, and blobs `vocabulary` (UTF-8, tokens joined with U+0000, or a JSON array
   * when a token holds U+0000 or a lone surrogate) and one per array (little-endian int32; on little-endian hosts
   * the Buffers are views over the arrays, not copies).
   */
  static encode(parts: FrozenChainParts): { header: string; blobs: Record<string, Buffer> } {
    checkParts(parts);
    const { vocabulary } = parts;
    let text = vocabulary.join('\u0000');
    let vocabularyEncoding: Header['vocabularyEncoding'] = 'nul';
    if (vocabulary.some((token) => token.includes('\u0000')) || LONE_SURROGATE.test(text)) {
      text = JSON.stringify(vocabulary);
      vocabularyEncoding = 'json';
    }
    const header: Header = {
      format: FORMAT,
      version: VERSION,
      stateSize: parts.stateSize,
      messageCount: parts.messageCount,
      vocabulary: vocabulary.length,
      vocabularyEncoding,
      forwardStates: parts.forwardOffsets.length - 1,
      transitions: parts.forwardNext.length,
      backwardOnlyStates: parts.backwardOnlyStates.length / parts.stateSize,
      backwardTransitions: parts.backwardPrev.length,
    };
    const blobs: Record<string, Buffer> = { vocabulary: Buffer.from(text, 'utf8') };
    for (const name of ARRAY_NAMES) blobs[name] = bytesOf(parts[name]);
    return { header: JSON.stringify(header), blobs };
  }

  /** The inverse of encode. Aligned blobs are viewed, not copied; others (any byte offset) are copied. */
  static decode(header: string, blobs: Record<string, Buffer>): FrozenChainParts {
    const h = parseHeader(header);
    const text = blobs['vocabulary'];
    if (!(text instanceof Uint8Array))
      throw new RangeError('FrozenChain.decode: the vocabulary blob is missing');
    const decoded = Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
    let vocabulary: unknown;
    if (h.vocabularyEncoding === 'nul') {
      vocabulary = decoded.split('\u0000');
    } else {
      try {
        vocabulary = JSON.parse(decoded);
      } catch {
        throw new RangeError('FrozenChain.decode: the vocabulary blob is not a JSON array');
      }
      if (!Array.isArray(vocabulary) || !vocabulary.every((token) => typeof token === 'string')) {
        throw new RangeError('FrozenChain.decode: the vocabulary blob is not a JSON array of strings');
      }
    }
    const tokens = vocabulary as string[];
    if (tokens.length !== h.vocabulary) {
      throw new RangeError(
        `FrozenChain.decode: the vocabulary holds ${tokens.length} tokens, expected ${h.vocabulary}`,
      );
    }
    const k = h.stateSize;
    const lengths: Record<ArrayName, number> = {
      forwardStates: h.forwardStates * k,
      forwardOffsets: h.forwardStates + 1,
      forwardNext: h.transitions,
      forwardCounts: h.transitions,
      backwardOnlyStates: h.backwardOnlyStates * k,
      backwardOffsets: h.forwardStates + h.backwardOnlyStates + 1,
      backwardPrev: h.backwardTransitions,
      backwardCounts: h.backwardTransitions,
    };
    const array = (name: ArrayName) => int32Of(blobs[name], name, lengths[name]);
    return {
      stateSize: k,
      messageCount: h.messageCount,
      vocabulary: tokens,
      forwardStates: array('forwardStates'),
      forwardOffsets: array('forwardOffsets'),
      forwardNext: array('forwardNext'),
      forwardCounts: array('forwardCounts'),
      backwardOnlyStates: array('backwardOnlyStates'),
      backwardOffsets: array('backwardOffsets'),
      backwardPrev: array('backwardPrev'),
      backwardCounts: array('backwardCounts'),
    };
  }

  tokenOf(id: number): string {
    return this.#vocabulary[id] ?? '';
  }

  /** Token ids of every token whose normalizeWord form is `word`, in id order; the map is built on first use. */
  idsMatching(word: string): readonly number[] {
    let byWord = this.#byWord;
    if (!byWord) {
      byWord = new Map();
      const vocabulary = this.#vocabulary;
      for (let id = 1; id < vocabulary.length; id++) {
        const normalized = normalizeWord(vocabulary[id] as string);
        const ids = byWord.get(normalized);
        if (ids) ids.push(id);
        else byWord.set(normalized, [id]);
      }
      this.#byWord = byWord;
    }
    return byWord.get(word) ?? NO_IDS;
  }

  #seedIndex(): { offsets: Int32Array; states: Int32Array } {
    if (this.#seeds) return this.#seeds;
    const k = this.stateSize;
    const S = this.#forwardStateCount;
    const states = this.#forwardStates;
    const offsets = new Int32Array(this.#vocabulary.length + 1);
    for (let i = 0; i < S; i++) {
      const first = states[i * k] as number;
      if (first !== BOUNDARY) offsets[first + 1] = (offsets[first + 1] as number) + 1;
    }
    for (let id = 0; id + 1 < offsets.length; id++) {
      offsets[id + 1] = (offsets[id + 1] as number) + (offsets[id] as number);
    }
    const cursor = offsets.slice();
    const list = new Int32Array(offsets[offsets.length - 1] as number);
    for (let i = 0; i < S; i++) {
      const first = states[i * k] as number;
      if (first === BOUNDARY) continue;
      const at = cursor[first] as number;
      cursor[first] = at + 1;
      list[at] = i;
    }
    this.#seeds = { offsets, states: list };
    return this.#seeds;
  }

  #seedCount(offsets: Int32Array, id: number): number {
    if (!Number.isInteger(id) || id <= BOUNDARY || id + 1 >= offsets.length) return 0;
    return (offsets[id + 1] as number) - (offsets[id] as number);
  }

  /**
   * A forward state beginning with one of `firstIds`, uniformly among all of them (an id listed twice counts
   * twice), as MarkovChain picks. Like MarkovChain it draws exactly one random number, even when there is nothing
   * to pick, so a sampler's later draws stay aligned whichever chain it reads.
   */
  pickSeed(firstIds: readonly number[], random: () => number): number[] | undefined {
    const { offsets, states } = this.#seedIndex();
    let total = 0;
    for (const id of firstIds) total += this.#seedCount(offsets, id);
    const u = random();
    if (total === 0) return undefined;
    let pick = Math.min(total - 1, Math.floor(u * total));
    for (const id of firstIds) {
      const n = this.#seedCount(offsets, id);
      if (pick < n) {
        const state = states[(offsets[id] as number) + pick] as number;
        return Array.from(this.#forwardStates.subarray(state * this.stateSize, (state + 1) * this.stateSize));
      }
      pick -= n;
    }
    return undefined;
  }

  /** Index of a state (forward or backward-only), or -1. */
  #find(state: readonly number[]): number {
    const k = this.stateSize;
    if (state.length !== k) return -1;
    const key = this.#key;
    const V = this.#vocabulary.length;
    for (let j = 0; j < k; j++) {
      const id = state[j] as number;
      if (!Number.isInteger(id) || id < 0 || id >= V) return -1;
      key[j] = id;
    }
    const found = probe(
      this.#slots,
      k,
      this.#forwardStates,
      this.#forwardStateCount,
      this.#backwardOnlyStates,
      key,
      0,
    );
    return found < 0 ? -1 : found;
  }

  /** Throws unless the row's token ids and counts are sound (rows are checked on first use, not at load). */
  #checkRow(tokens: Int32Array, counts: Int32Array, start: number, end: number): void {
    const V = this.#vocabulary.length;
    for (let p = start; p < end; p++) {
      const token = tokens[p] as number;
      const count = counts[p] as number;
      if (token < 0 || token >= V || count <= 0) {
        throw new RangeError(`FrozenChain: corrupt chain: transition to token ${token} with count ${count}`);
      }
    }
  }

  /** Samples the token after a state (forward) or before it (backward); undefined for an unknown state. */
  step(direction: Direction, state: readonly number[], random: () => number): number | undefined {
    const index = this.#find(state);
    if (index < 0) return undefined;
    const forward = direction === 'forward';
    if (forward && index >= this.#forwardStateCount) return undefined;
    const offsets = forward ? this.#forwardOffsets : this.#backwardOffsets;
    const tokens = forward ? this.#forwardNext : this.#backwardPrev;
    const counts = forward ? this.#forwardCounts : this.#backwardCounts;
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    checkSpan(start, end, tokens.length);
    if (end === start) return undefined;
    if (end - start === 1) {
      this.#checkRow(tokens, counts, start, end);
      // An alias table of one column returns it whatever the number; draw one anyway, as MarkovChain does.
      random();
      return tokens[start] as number;
    }
    const id = 2 * index + (forward ? 0 : 1);
    let table = this.#tables.get(id);
    if (!table) {
      this.#checkRow(tokens, counts, start, end);
      if (this.#tables.size >= MAX_CACHED_TABLES) this.#tables.clear();
      table = AliasTable.build(counts.subarray(start, end));
      this.#tables.set(id, table);
    }
    return tokens[start + table.sample(random)] as number;
  }

  /** The successors (forward) or predecessors (backward) of a state with their counts; [] for an unknown state. */
  successors(direction: Direction, state: readonly number[]): Array<[token: number, count: number]> {
    const index = this.#find(state);
    if (index < 0) return [];
    const forward = direction === 'forward';
    if (forward && index >= this.#forwardStateCount) return [];
    const offsets = forward ? this.#forwardOffsets : this.#backwardOffsets;
    const tokens = forward ? this.#forwardNext : this.#backwardPrev;
    const counts = forward ? this.#forwardCounts : this.#backwardCounts;
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    checkSpan(start, end, tokens.length);
    this.#checkRow(tokens, counts, start, end);
    const out: Array<[number, number]> = [];
    for (let p = start; p < end; p++) out.push([tokens[p] as number, counts[p] as number]);
    return out;
  }

  /** Every forward transition with its count, in stored order (the same shape as MarkovChain.forwardCounts). */
  *forwardCounts(): Generator<[state: number[], next: number, count: number]> {
    const k = this.stateSize;
    for (let i = 0; i < this.#forwardStateCount; i++) {
      const state = Array.from(this.#forwardStates.subarray(i * k, (i + 1) * k));
      const end = this.#forwardOffsets[i + 1] as number;
      for (let t = this.#forwardOffsets[i] as number; t < end; t++) {
        yield [state, this.#forwardNext[t] as number, this.#forwardCounts[t] as number];
      }
    }
  }

  get stats(): FrozenChainStats {
    if (this.#transitions === undefined) {
      let sum = 0;
      for (const count of this.#forwardCounts) sum += count;
      this.#transitions = sum;
    }
    let bytes = this.#slots.byteLength;
    for (const name of ARRAY_NAMES) bytes += this.#parts[name].byteLength;
    for (const token of this.#vocabulary) bytes += STRING_OVERHEAD_BYTES + 2 * token.length;
    return {
      stateSize: this.stateSize,
      vocabulary: this.#vocabulary.length - 1,
      forwardStates: this.#forwardStateCount,
      transitions: this.#transitions,
      messages: this.messageCount,
      bytes,
    };
  }
}
