// Counts (state → next token) transitions for a whole training set at once: every message's padded token ids
// go into one Int32Array, and the (k+1)-token windows are sorted by an LSD radix sort (one counting sort per
// position), so equal windows end up adjacent and are counted in one pass. No per-state objects, no string keys.
import type { ForwardParts } from './frozen/chain-parts.js';
import { BOUNDARY } from './markov-chain.js';

export type ForwardCount = [state: number[], next: number, count: number];

export class WindowCounter {
  #seq = new Int32Array(1 << 16);
  #length = 0;
  /** Window start positions; one per (state → next) occurrence. */
  #starts = new Int32Array(1 << 16);
  #windows = 0;
  #maxId = 0;

  constructor(readonly stateSize: number) {}

  #ensure(seqExtra: number, windowExtra: number): void {
    if (this.#length + seqExtra > this.#seq.length) {
      const grown = new Int32Array(Math.max(this.#seq.length * 2, this.#length + seqExtra));
      grown.set(this.#seq.subarray(0, this.#length));
      this.#seq = grown;
    }
    if (this.#windows + windowExtra > this.#starts.length) {
      const grown = new Int32Array(Math.max(this.#starts.length * 2, this.#windows + windowExtra));
      grown.set(this.#starts.subarray(0, this.#windows));
      this.#starts = grown;
    }
  }

  /** Adds one message's token ids (never BOUNDARY), padded as MarkovChain pads forward transitions. */
  add(ids: readonly number[]): void {
    const k = this.stateSize;
    const size = k + ids.length + 1;
    this.#ensure(size, ids.length + 1);
    const base = this.#length;
    this.#seq.fill(BOUNDARY, base, base + k);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      this.#seq[base + k + i] = id;
      if (id > this.#maxId) this.#maxId = id;
    }
    this.#seq[base + size - 1] = BOUNDARY;
    for (let i = 0; i <= ids.length; i++) this.#starts[this.#windows++] = base + i;
    this.#length += size;
  }

  /** Every distinct transition with its count, grouped by state (states in sorted order). */
  *counts(): Generator<ForwardCount> {
    const { stateSize: k, forwardStates, forwardOffsets, forwardNext, forwardCounts } = this.forwardParts();
    for (let s = 0; s + 1 < forwardOffsets.length; s++) {
      const state = Array.from(forwardStates.subarray(s * k, (s + 1) * k));
      for (let p = forwardOffsets[s] as number; p < (forwardOffsets[s + 1] as number); p++) {
        yield [state, forwardNext[p] as number, forwardCounts[p] as number];
      }
    }
  }

  /** The windows' start positions sorted by their k+1 tokens (LSD: one stable counting sort per position). */
  #sorted(): Int32Array {
    const k = this.stateSize;
    const seq = this.#seq;
    const n = this.#windows;
    let order = this.#starts.slice(0, n);
    let scratch = new Int32Array(n);
    const buckets = new Int32Array(this.#maxId + 2);
    // LSD: sort by the last position first; counting sort is stable, so earlier positions end up dominant.
    for (let j = k; j >= 0; j--) {
      buckets.fill(0);
      for (let i = 0; i < n; i++) (buckets[(seq[(order[i] as number) + j] as number) + 1] as number)++;
      for (let b = 1; b < buckets.length; b++)
        buckets[b] = (buckets[b] as number) + (buckets[b - 1] as number);
      for (let i = 0; i < n; i++) {
        const start = order[i] as number;
        const b = seq[start + j] as number;
        scratch[buckets[b] as number] = start;
        buckets[b] = (buckets[b] as number) + 1;
      }
      [order, scratch] = [scratch, order];
    }
    return order;
  }

  /**
   * The forward CSR of the counted transitions, made in one pass over the sorted windows: states in sorted order,
   * each state's successors in token order, with their counts. No per-transition objects.
   */
  forwardParts(): ForwardParts {
    const k = this.stateSize;
    const seq = this.#seq;
    const n = this.#windows;
    const order = this.#sorted();
    const states = new Int32Array(n * k);
    const offsets = new Int32Array(n + 1);
    const next = new Int32Array(n);
    const counts = new Int32Array(n);
    let stateCount = 0;
    let pairs = 0;
    let previous = -1;
    for (let i = 0; i < n; i++) {
      const start = order[i] as number;
      let sameState = previous >= 0;
      for (let t = 0; t < k && sameState; t++) sameState = seq[start + t] === seq[previous + t];
      const token = seq[start + k] as number;
      if (sameState && token === seq[previous + k]) {
        counts[pairs - 1] = (counts[pairs - 1] as number) + 1;
      } else {
        if (!sameState) {
          states.set(seq.subarray(start, start + k), stateCount * k);
          offsets[stateCount++] = pairs;
        }
        next[pairs] = token;
        counts[pairs++] = 1;
      }
      previous = start;
    }
    offsets[stateCount] = pairs;
    return {
      stateSize: k,
      forwardStates: states.slice(0, stateCount * k),
      forwardOffsets: offsets.slice(0, stateCount + 1),
      forwardNext: next.slice(0, pairs),
      forwardCounts: counts.slice(0, pairs),
    };
  }
}
