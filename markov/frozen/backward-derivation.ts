// Derives a frozen chain's backward transitions from its forward ones, boundary windows included, so that `build`
// needs only the forward counts and still holds exactly the MarkovChain's backward counts.
import { BOUNDARY } from '../markov-chain.js';
import { type BackwardParts, type ForwardParts, MAX_COUNT } from './chain-parts.js';
import { buildTable, EMPTY, probe } from './state-table.js';

/*
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
 */

/**
 * The backward CSR over the forward states followed by the backward-only states, for a vocabulary of V tokens.
 */
export function deriveBackward(forward: ForwardParts, V: number): BackwardParts {
  const k = forward.stateSize;
  // Every backward-only state ends with BOUNDARY and comes from a window next to a transition to BOUNDARY: at
  // most k per such transition when the counts come from whole messages; otherwise retry with room for all.
  let ends = 0;
  const next = forward.forwardNext;
  for (let t = 0; t < next.length; t++) if (next[t] === BOUNDARY) ends++;
  const backward =
    deriveWithin(forward, V, k * ends) ?? deriveWithin(forward, V, next.length + (k - 1) * ends);
  if (!backward) throw new Error('FrozenChain.build: unreachable: no room for the backward states');
  return backward;
}

/**
 * Visits the backward pairs derived from the forward transitions, in a fixed order: visit(state index of the
 * forward transition, transition index, first token of the window = predecessor, j). For j = 0 the window is the
 * transition itself; for j ≥ 1 (only after a transition to BOUNDARY) it is the transition's state from position
 * j, then j+1 BOUNDARYs.
 */
function forEachBackwardWindow(
  forward: ForwardParts,
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
function deriveWithin(forward: ForwardParts, V: number, extraCapacity: number): BackwardParts | undefined {
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
