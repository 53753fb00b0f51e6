// Builds the forward CSR (states, row offsets, next tokens, counts) from a stream of forward transition counts,
// such as MarkovChain.forwardCounts().
import { type ForwardParts, MAX_COUNT } from './chain-parts.js';
import { buildTable, EMPTY, probe, tableSize } from './state-table.js';

export type ForwardTransition = [state: readonly number[], next: number, count: number];

/** The transitions as given, one per pair, with their states interned. */
interface Collected {
  /** stateCount·k ids (the array may be longer). */
  states: Int32Array;
  stateCount: number;
  /** By pair: the state index, next token and count (the arrays may be longer than `pairs`). */
  owner: Int32Array;
  nexts: Int32Array;
  weights: Int32Array;
  pairs: number;
}

/**
 * The forward CSR over states of k ids in a vocabulary of V tokens. States are numbered in order of first
 * appearance, and successors keep the order in which they first appear (a (state, next) pair given twice is
 * summed). Throws on a malformed transition.
 */
export function buildForward(k: number, V: number, transitions: Iterable<ForwardTransition>): ForwardParts {
  return groupByState(k, V, collect(k, V, transitions));
}

function doubled(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function collect(k: number, V: number, transitions: Iterable<ForwardTransition>): Collected {
  const isId = (id: number) => Number.isInteger(id) && id >= 0 && id < V;
  let states: Int32Array = new Int32Array(1024 * k);
  let slots: Int32Array = new Int32Array(tableSize(1024)).fill(EMPTY);
  let stateCount = 0;
  let owner: Int32Array = new Int32Array(4096);
  let nexts: Int32Array = new Int32Array(4096);
  let weights: Int32Array = new Int32Array(4096);
  let pairs = 0;
  const key = new Int32Array(k);
  const none = new Int32Array(0);
  let last = -1;

  for (const [state, next, count] of transitions) {
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
        if ((stateCount + 1) * k > states.length) states = doubled(states);
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
      owner = doubled(owner);
      nexts = doubled(nexts);
      weights = doubled(weights);
    }
    owner[pairs] = last;
    nexts[pairs] = next;
    weights[pairs++] = count;
  }
  return { states, stateCount, owner, nexts, weights, pairs };
}

/** Groups the pairs by state (a stable counting sort), summing repeated (state, next) pairs. */
function groupByState(k: number, V: number, collected: Collected): ForwardParts {
  const { states, stateCount, owner, nexts, weights, pairs } = collected;
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

  return {
    stateSize: k,
    forwardStates: states.slice(0, stateCount * k),
    forwardOffsets: offsets,
    forwardNext: out === pairs ? groupedNext : groupedNext.slice(0, out),
    forwardCounts: out === pairs ? groupedCounts : groupedCounts.slice(0, out),
  };
}
