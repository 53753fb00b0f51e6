// A compact, immutable Markov chain made of typed arrays and one vocabulary: persisted as a few blobs, loaded back
// in milliseconds ("cold load"), shareable between worker threads, and sampled in O(1) per step.
import type { ChainReader } from './chain-reader.js';
import { deriveBackward } from './frozen/backward-derivation.js';
import {
  ARRAY_NAMES,
  checkMessageCount,
  checkParts,
  checkStateSize,
  checkVocabulary,
  type ForwardParts,
  type FrozenChainParts,
} from './frozen/chain-parts.js';
import { decodeChain, type EncodedChain, encodeChain } from './frozen/chain-codec.js';
import { buildForward, type ForwardTransition } from './frozen/forward-builder.js';
import { idsByWord, SeedIndex } from './frozen/seed-index.js';
import { inSlotOrder, sweepTable } from './frozen/slot-order.js';
import { buildTable, StateTable } from './frozen/state-table.js';
import { AliasTableCache, TransitionRows } from './frozen/transition-rows.js';
import { BOUNDARY } from './markov-chain.js';
import { normalizeWord } from './tokenizer.js';

export type { FrozenChainParts } from './frozen/chain-parts.js';
export { MAX_CACHED_TABLES } from './frozen/transition-rows.js';

/*
 * Layout (k = stateSize, S = forward states, E = backward-only states, T / B = forward / backward transitions)
 * - Persisted (FrozenChainParts, frozen/chain-parts.ts): the forward states as S·k token ids and a CSR over them
 *   (offsets, next token, count); the backward CSR over all S+E states (forward states first), and the ids of the
 *   E backward-only states. Within a forward state, successors keep the order they were given in, so a chain
 *   built from MarkovChain.forwardCounts() builds the same forward alias tables as the MarkovChain and samples
 *   the same tokens from the same random numbers. `build` derives the backward transitions from the forward ones
 *   (frozen/backward-derivation.ts).
 * - Built at load, O(S + E), the only work besides O(1) checks: an open-addressing table (linear probing, an
 *   Int32Array whose power-of-two size is ≥ 2× the states, so at most half full) from the murmur3-mixed k ids of a
 *   state to its index (frozen/state-table.ts). `build` stores the forward states in order of their home slot in
 *   that table, so a load fills it in one sequential sweep instead of writing all over it (on the development VM,
 *   600k states: ~25 ms against 60–120 ms for inserting in any order, where random memory access dominates).
 *   Parts in any other order still load, through a general build (frozen/slot-order.ts).
 * - Built lazily: the alias tables (per state and direction, on first sample; at most MAX_CACHED_TABLES, the cache
 *   is cleared when full) and long rows' totals (likewise), the word → ids map (idsMatching, idOf) and the
 *   first-token → states index (pickSeed).
 * - Checked at load: array lengths, and the state ids while hashing them. Checked when used (a corrupt blob throws
 *   then): a row's offsets on every step, its token ids and counts when its alias table is built. So a load reads
 *   nothing it does not need, as the slot table is the only thing it builds.
 *
 * Sizes: persisted 4 bytes × (S·k + S + 1 + 2T + E·k + S + E + 1 + 2B) plus the vocabulary; at load a 4-byte slot
 * table of 2 to 4 slots per state.
 */

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

/** Rough V8 cost of one vocabulary string besides its characters (header, array slot); for `bytes` only. */
const STRING_OVERHEAD_BYTES = 24;
const NO_IDS: readonly number[] = Object.freeze([]);

export class FrozenChain implements ChainReader {
  readonly stateSize: number;
  readonly messageCount: number;
  readonly #parts: FrozenChainParts;
  /** Forward state count; state indices at or above it are backward-only states. */
  readonly #forwardStateCount: number;
  readonly #states: StateTable;
  readonly #forward: TransitionRows;
  readonly #backward: TransitionRows;
  #byWord: Map<string, number[]> | undefined;
  #seeds: SeedIndex | undefined;
  #transitions: number | undefined;

  private constructor(parts: FrozenChainParts, slots: Int32Array) {
    const k = parts.stateSize;
    const S = parts.forwardOffsets.length - 1;
    const V = parts.vocabulary.length;
    this.#parts = parts;
    this.stateSize = k;
    this.messageCount = parts.messageCount;
    this.#forwardStateCount = S;
    this.#states = new StateTable(slots, k, V, parts.forwardStates, S, parts.backwardOnlyStates);
    const tables = new AliasTableCache();
    this.#forward = new TransitionRows(
      parts.forwardOffsets,
      parts.forwardNext,
      parts.forwardCounts,
      V,
      tables,
      0,
    );
    this.#backward = new TransitionRows(
      parts.backwardOffsets,
      parts.backwardPrev,
      parts.backwardCounts,
      V,
      tables,
      1,
    );
  }

  /**
   * Builds from forward transition counts (e.g. MarkovChain.forwardCounts()) and the vocabulary they index
   * (copied), and derives the backward transitions from them. Successors keep the order in which they first
   * appear (a (state, next) pair given twice is summed); states are stored in slot order (see the top comment).
   */
  static build(
    stateSize: number,
    vocabulary: readonly string[],
    forward: Iterable<ForwardTransition>,
    messageCount: number,
  ): FrozenChain {
    checkStateSize(stateSize);
    checkMessageCount(messageCount);
    checkVocabulary(vocabulary);
    return FrozenChain.fromForward(
      buildForward(stateSize, vocabulary.length, forward),
      vocabulary,
      messageCount,
    );
  }

  /**
   * Builds from a forward CSR whose rows are already grouped by state with distinct successors (as
   * WindowCounter.forwardParts makes it), deriving the backward transitions; rows are checked when used.
   */
  static fromForward(
    forward: ForwardParts,
    vocabulary: readonly string[],
    messageCount: number,
  ): FrozenChain {
    checkMessageCount(messageCount);
    checkVocabulary(vocabulary);
    const V = vocabulary.length;
    return FrozenChain.fromParts({
      ...inSlotOrder(forward, deriveBackward(forward, V), V),
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
  static encode(parts: FrozenChainParts): EncodedChain {
    return encodeChain(parts);
  }

  /** The inverse of encode. Aligned blobs are viewed, not copied; others (any byte offset) are copied. */
  static decode(header: string, blobs: Record<string, Buffer>): FrozenChainParts {
    return decodeChain(header, blobs);
  }

  tokenOf(id: number): string {
    return this.#parts.vocabulary[id] ?? '';
  }

  /** The id of a token (BOUNDARY for ''), or undefined; through the idsMatching map. */
  idOf(token: string): number | undefined {
    if (token === '') return BOUNDARY;
    return this.idsMatching(normalizeWord(token)).find((id) => this.#parts.vocabulary[id] === token);
  }

  /** Tokens in the vocabulary, the boundary marker included (ids 0 to vocabularySize - 1). */
  get vocabularySize(): number {
    return this.#parts.vocabulary.length;
  }

  /** Token ids of every token whose normalizeWord form is `word`, in id order; the map is built on first use. */
  idsMatching(word: string): readonly number[] {
    this.#byWord ??= idsByWord(this.#parts.vocabulary);
    return this.#byWord.get(word) ?? NO_IDS;
  }

  /**
   * A forward state beginning with one of `firstIds`, uniformly among all of them (an id listed twice counts
   * twice), as MarkovChain picks. Like MarkovChain it draws exactly one random number, even when there is nothing
   * to pick, so a sampler's later draws stay aligned whichever chain it reads.
   */
  pickSeed(firstIds: readonly number[], random: () => number): number[] | undefined {
    const { forwardStates, vocabulary } = this.#parts;
    const k = this.stateSize;
    this.#seeds ??= SeedIndex.build(forwardStates, this.#forwardStateCount, k, vocabulary.length);
    const state = this.#seeds.pick(firstIds, random);
    return state === undefined ? undefined : Array.from(forwardStates.subarray(state * k, (state + 1) * k));
  }

  /** Samples the token after a state (forward) or before it (backward); undefined for an unknown state. */
  step(direction: Direction, state: readonly number[], random: () => number): number | undefined {
    const row = this.#rowOf(direction, state);
    return row < 0 ? undefined : this.#rows(direction).sample(row, random);
  }

  /** The successors (forward) or predecessors (backward) of a state with their counts; [] for an unknown state. */
  successors(direction: Direction, state: readonly number[]): Array<[token: number, count: number]> {
    const row = this.#rowOf(direction, state);
    return row < 0 ? [] : this.#rows(direction).entries(row);
  }

  /** The sum of a state's counts in a direction (0 for an unknown state); O(1) amortised. */
  total(direction: Direction, state: readonly number[]): number {
    const row = this.#rowOf(direction, state);
    return row < 0 ? 0 : this.#rows(direction).total(row);
  }

  /** How often `token` follows (forward) or precedes (backward) a state: a scan of the state's row. */
  count(direction: Direction, state: readonly number[], token: number): number {
    const row = this.#rowOf(direction, state);
    return row < 0 ? 0 : this.#rows(direction).count(row, token);
  }

  /** A state's row index in a direction; -1 for an unknown state, and forward for a backward-only one. */
  #rowOf(direction: Direction, state: readonly number[]): number {
    const index = this.#states.indexOf(state);
    return direction === 'forward' && index >= this.#forwardStateCount ? -1 : index;
  }

  #rows(direction: Direction): TransitionRows {
    return direction === 'forward' ? this.#forward : this.#backward;
  }

  /** Every forward transition with its count, in stored order (the same shape as MarkovChain.forwardCounts). */
  *forwardCounts(): Generator<[state: number[], next: number, count: number]> {
    const k = this.stateSize;
    const { forwardStates, forwardOffsets, forwardNext, forwardCounts } = this.#parts;
    for (let i = 0; i < this.#forwardStateCount; i++) {
      const state = Array.from(forwardStates.subarray(i * k, (i + 1) * k));
      const end = forwardOffsets[i + 1] as number;
      for (let t = forwardOffsets[i] as number; t < end; t++) {
        yield [state, forwardNext[t] as number, forwardCounts[t] as number];
      }
    }
  }

  get stats(): FrozenChainStats {
    if (this.#transitions === undefined) {
      let sum = 0;
      for (const count of this.#parts.forwardCounts) sum += count;
      this.#transitions = sum;
    }
    let bytes = this.#states.byteLength;
    for (const name of ARRAY_NAMES) bytes += this.#parts[name].byteLength;
    for (const token of this.#parts.vocabulary) bytes += STRING_OVERHEAD_BYTES + 2 * token.length;
    return {
      stateSize: this.stateSize,
      vocabulary: this.#parts.vocabulary.length - 1,
      forwardStates: this.#forwardStateCount,
      transitions: this.#transitions,
      messages: this.messageCount,
      bytes,
    };
  }
}
