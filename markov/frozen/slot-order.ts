// Slot order: `build` stores the forward states sorted by their home slot in the state table, so that a cold load
// fills that table in one sequential sweep instead of writing all over it.
import type { BackwardParts, ForwardParts, FrozenChainParts } from './chain-parts.js';
import { checkStateIds, EMPTY, hashState, probe, sameState, tableBits, tableSize } from './state-table.js';

/**
 * A state's place in the persisted order, for a table of 2^bits slots: its home slot (the hash's low bits) in
 * the top bits, then the rest of the hash, so that states sort by home slot and equal hashes end up adjacent.
 */
function slotKey(ids: Int32Array, at: number, k: number, V: number, bits: number): number {
  checkStateIds(ids, at, k, V);
  const hash = hashState(ids, at, k);
  // Rotated so the home slot leads, then the sign bit flipped: signed order is the rotated value's unsigned
  // order, and the key stays an int32 (an unsigned one would cost optimized code a deoptimization).
  return ((hash >>> bits) | (hash << (32 - bits))) ^ 0x80000000;
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
 * The slot table in one sequential sweep, for forward states (`main`) stored in slotKey order (as `build` stores
 * them). Linear probing puts each state at max(home, previous position + 1), so the sweep only ever writes ahead;
 * the few states that would run past the end, and the backward-only states (`extra`), go in through `probe`.
 * Repeats can only be among equal hashes, adjacent in this order. Returns undefined when the forward states are
 * not in slotKey order (parts from elsewhere).
 */
export function sweepTable(
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
  // Below every key but the smallest, which then only compares with no earlier state.
  let lastKey = -0x80000000;
  let sameFrom = 0;
  let overflowFrom = mainCount;
  for (let i = 0; i < mainCount; i++) {
    const key = slotKey(main, i * k, k, V, bits);
    if (key < lastKey) return undefined;
    if (key !== lastKey) {
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
    checkStateIds(extra, e * k, k, V);
    const found = probe(slots, k, main, mainCount, extra, extra, e * k);
    if (found >= 0) {
      throw new RangeError(`FrozenChain: inconsistent parts: state ${mainCount + e} repeats state ${found}`);
    }
    slots[~found] = mainCount + e;
  }
  return slots;
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
export function inSlotOrder(
  forward: ForwardParts,
  backward: BackwardParts,
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
