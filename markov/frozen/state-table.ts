// The open-addressing hash index from a state's k token ids to its state index: linear probing in an Int32Array
// of slots whose power-of-two size is at least twice the states, so it is at most half full.

/** An empty slot. */
export const EMPTY = -1;

/*
 * The functions below index two arrays of states at once, k ids each: `main` holds state indices below
 * `mainCount` (the forward states), `extra` the rest (the backward-only states).
 */

/** murmur3's 32-bit mixing over the k ids of a state. */
export function hashState(ids: Int32Array, at: number, k: number): number {
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
export function tableSize(states: number): number {
  let size = 2;
  while (size < 2 * states) size *= 2;
  return size;
}

/** The log2 of the slot count for `states` states. */
export function tableBits(states: number): number {
  return 31 - Math.clz32(tableSize(states));
}

/** Throws unless the k ids of the state at `ids[at..]` are in a vocabulary of V tokens. */
export function checkStateIds(ids: Int32Array, at: number, k: number, V: number): void {
  for (let j = at; j < at + k; j++) {
    const id = ids[j] as number;
    if (id < 0 || id >= V) throw new RangeError(`FrozenChain: inconsistent parts: state token id ${id}`);
  }
}

/**
 * Looks up the state `key[at..at+k)`. Returns the state's index, or ~slot (negative) of the empty slot where it
 * belongs.
 */
export function probe(
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

/** True when states a and b (indices) hold the same ids. */
export function sameState(
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
    checkStateIds(ids, i * k, k, V);
    hashes[into + i] = hashState(ids, i * k, k);
  }
}

/**
 * The slot table over the states of `main` and `extra`, sized for `capacity` states. States go in by home slot (a
 * counting sort on its top bits), so the table is written nearly in order, and a temporary copy of each slot's
 * hash spares most comparisons of state ids. Throws if a state repeats.
 */
export function buildTable(
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

/** A loaded chain's state index: finds the state index of the token ids a caller asks about. */
export class StateTable {
  readonly #slots: Int32Array;
  readonly #k: number;
  readonly #vocabularySize: number;
  readonly #main: Int32Array;
  readonly #mainCount: number;
  readonly #extra: Int32Array;
  /** A state being looked up, copied to an Int32Array so that hashing sees one array type. */
  readonly #key: Int32Array;

  constructor(
    slots: Int32Array,
    k: number,
    vocabularySize: number,
    main: Int32Array,
    mainCount: number,
    extra: Int32Array,
  ) {
    this.#slots = slots;
    this.#k = k;
    this.#vocabularySize = vocabularySize;
    this.#main = main;
    this.#mainCount = mainCount;
    this.#extra = extra;
    this.#key = new Int32Array(k);
  }

  get byteLength(): number {
    return this.#slots.byteLength;
  }

  /** Index of a state (forward or backward-only), or -1. */
  indexOf(state: readonly number[]): number {
    const k = this.#k;
    if (state.length !== k) return -1;
    const key = this.#key;
    for (let j = 0; j < k; j++) {
      const id = state[j] as number;
      if (!Number.isInteger(id) || id < 0 || id >= this.#vocabularySize) return -1;
      key[j] = id;
    }
    const found = probe(this.#slots, k, this.#main, this.#mainCount, this.#extra, key, 0);
    return found < 0 ? -1 : found;
  }
}
