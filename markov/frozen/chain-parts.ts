// The persisted form of a frozen chain (typed arrays and a vocabulary) and the O(1) checks that every way in
// (build, load, decode) applies to it.

/**
 * The layout is described in ../frozen-chain.ts (k = stateSize, S = forward states, E = backward-only states,
 * B = backward transitions).
 *
 * Why the backward CSR is persisted although it can be derived: deriving it costs one hash lookup per forward
 * transition, at random places in the state table and the state ids. On a 221k-message chain (k = 2: 600k states,
 * 1.5M transitions) that took 0.4–1 s on the development VM, against a 50 ms budget for a cold load; storing it
 * costs 4 bytes × (S + E + 1 + 2B), about 14 MB more there, which loads as views.
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

/** The forward half of the parts, as built from counts before the backward half is derived from it. */
export type ForwardParts = Pick<
  FrozenChainParts,
  'stateSize' | 'forwardStates' | 'forwardOffsets' | 'forwardNext' | 'forwardCounts'
>;
export type BackwardParts = Pick<
  FrozenChainParts,
  'backwardOnlyStates' | 'backwardOffsets' | 'backwardPrev' | 'backwardCounts'
>;

export const ARRAY_NAMES = [
  'forwardStates',
  'forwardOffsets',
  'forwardNext',
  'forwardCounts',
  'backwardOnlyStates',
  'backwardOffsets',
  'backwardPrev',
  'backwardCounts',
] as const;
export type ArrayName = (typeof ARRAY_NAMES)[number];

/** The largest count, offset or length an Int32Array holds. */
export const MAX_COUNT = 0x7fffffff;

export function checkStateSize(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 4) {
    throw new RangeError(`FrozenChain: stateSize must be an integer from 1 to 4, got ${String(k)}`);
  }
}

export function checkMessageCount(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`FrozenChain: messageCount must be a non-negative integer, got ${String(n)}`);
  }
}

export function checkVocabulary(vocabulary: readonly string[]): void {
  if (!Array.isArray(vocabulary) || vocabulary[0] !== '') {
    throw new RangeError("FrozenChain: the vocabulary must start with the boundary marker ''");
  }
  if (vocabulary.length > MAX_COUNT) throw new RangeError('FrozenChain: vocabulary too large');
}

/** The O(1) checks at load: array types and lengths (state ids are checked while hashing, rows when used). */
export function checkParts(parts: FrozenChainParts): void {
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
