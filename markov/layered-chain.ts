// A frozen chain read together with its changes since: a persisted base, the messages added since (an overlay
// MarkovChain) and the base's messages removed since (tombstones: a MarkovChain of their counts). It samples from
// the merged counts base + overlay - tombstones without building them, so adding or removing a message never
// rebuilds; compaction (forwardCounts into FrozenChain.build) merges them into a new base.
import type { ChainReader } from './chain-reader.js';
import type { FrozenChain } from './frozen-chain.js';
import type { BaseVocabulary } from './interner.js';
import { MarkovChain } from './markov-chain.js';
import { messageTransitions } from './message-transitions.js';
import { normalizeWord } from './tokenizer.js';

/*
 * Invariants (kept by the caller, see ScopeModel.forget): the overlay and the tombstones were made over the base's
 * vocabulary (baseVocabulary), so one id means one token in all three; the tombstones hold only messages of the
 * base, so no merged count is negative (a tombstone count never exceeds the base's, see tombstonesWithinBase).
 *
 * Sampling a state s: with o = overlay total, d = tombstoned total and b = base total of s,
 * - o = d = 0 (every state while nothing changed, and most states after): the base's own step, draw for draw;
 * - else the overlay with probability o / (b - d + o), else the base, where a token x drawn from the base is kept
 *   with probability (base(x) - dead(x)) / base(x), which leaves each x a chance of exactly
 *   (base(x) - dead(x)) / (b - d). After MAX_REJECTIONS rejections (a state nearly all tombstoned) the step
 *   scans the row instead, so it never loops for long; a state with nothing left gives undefined.
 */

type Direction = 'forward' | 'backward';

/** Base draws rejected in a row before a step scans the state's row instead. */
const MAX_REJECTIONS = 32;

/** The base's vocabulary, for the MarkovChains layered over it (MarkovChainOptions.base). */
export function baseVocabulary(base: FrozenChain): BaseVocabulary {
  return {
    size: base.vocabularySize,
    idOf: (token) => base.idOf(token),
    tokenOf: (id) => base.tokenOf(id),
    idsMatching: (word) => base.idsMatching(word),
  };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return a.length === b.length;
}

export class LayeredChain implements ChainReader {
  readonly stateSize: number;

  constructor(
    readonly base: FrozenChain,
    readonly overlay: MarkovChain,
    readonly tombstones: MarkovChain,
  ) {
    if (overlay.stateSize !== base.stateSize || tombstones.stateSize !== base.stateSize) {
      throw new RangeError('LayeredChain: the base, overlay and tombstones must have one state size');
    }
    this.stateSize = base.stateSize;
  }

  /** The base with an empty overlay and no tombstones, both over its vocabulary. */
  static over(base: FrozenChain, normalize: (token: string) => string = normalizeWord): LayeredChain {
    const options = { base: baseVocabulary(base) };
    return new LayeredChain(
      base,
      new MarkovChain(base.stateSize, normalize, options),
      new MarkovChain(base.stateSize, normalize, options),
    );
  }

  get messageCount(): number {
    return this.base.messageCount + this.overlay.messageCount - this.tombstones.messageCount;
  }

  tokenOf(id: number): string {
    return id < this.base.vocabularySize ? this.base.tokenOf(id) : this.overlay.tokenOf(id);
  }

  /** The base's ids, then the overlay's new ones. */
  idsMatching(word: string): readonly number[] {
    const inBase = this.base.idsMatching(word);
    const added = this.overlay.idsMatching(word);
    if (added.length === 0) return inBase;
    return inBase.length === 0 ? added : [...inBase, ...added];
  }

  /**
   * A forward state beginning with one of `firstIds`: from the base alone while the overlay is empty (as the base
   * picks); else from the overlay or the base, chosen by their share of the messages, or from the other when the
   * chosen one has none. The state may have nothing left after tombstones; the sampler then tries again.
   */
  pickSeed(firstIds: readonly number[], random: () => number): number[] | undefined {
    const added = this.overlay.messageCount;
    if (added === 0) return this.base.pickSeed(firstIds, random);
    const kept = Math.max(0, this.base.messageCount - this.tombstones.messageCount);
    const overlayFirst = random() * (kept + added) < added;
    const [first, second] = overlayFirst ? [this.overlay, this.base] : [this.base, this.overlay];
    return first.pickSeed(firstIds, random) ?? second.pickSeed(firstIds, random);
  }

  /** Samples from the merged counts of a state (see the top comment); undefined when it has none. */
  step(direction: Direction, state: readonly number[], random: () => number): number | undefined {
    const added = this.overlay.messageCount === 0 ? 0 : this.overlay.total(direction, state);
    const dead = this.tombstones.messageCount === 0 ? 0 : this.tombstones.total(direction, state);
    if (added === 0 && dead === 0) return this.base.step(direction, state, random);
    const kept = this.base.total(direction, state) - dead;
    if (kept + added <= 0) return undefined;
    if (random() * (kept + added) < added) return this.overlay.step(direction, state, random);
    if (dead === 0) return this.base.step(direction, state, random);
    return this.#keptStep(direction, state, kept, random);
  }

  /** A token of the base minus the tombstones, whose total for the state is `kept` (> 0). */
  #keptStep(direction: Direction, state: readonly number[], kept: number, random: () => number): number {
    for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      const token = this.base.step(direction, state, random) as number;
      const dead = this.tombstones.count(direction, state, token);
      if (dead === 0) return token;
      const count = this.base.count(direction, state, token);
      if (random() * count < count - dead) return token;
    }
    let u = random() * kept;
    let last = -1;
    for (const [token, count] of this.base.successors(direction, state)) {
      const weight = count - this.tombstones.count(direction, state, token);
      if (weight <= 0) continue;
      if (u < weight) return token;
      u -= weight;
      last = token;
    }
    return last;
  }

  /** The merged total of a state: base + overlay - tombstones. */
  total(direction: Direction, state: readonly number[]): number {
    const { base, overlay, tombstones } = this;
    const added = overlay.messageCount === 0 ? 0 : overlay.total(direction, state);
    const dead = tombstones.messageCount === 0 ? 0 : tombstones.total(direction, state);
    return base.total(direction, state) + added - dead;
  }

  /**
   * True when the tombstones hold no transition of the message (token ids) more often than the base does: after
   * tombstoning a message, false means it was not (or no longer) in the base.
   */
  tombstonesWithinBase(ids: readonly number[]): boolean {
    for (const { direction, state, token } of messageTransitions(ids, this.stateSize)) {
      if (this.tombstones.count(direction, state, token) > this.base.count(direction, state, token))
        return false;
    }
    return true;
  }

  /**
   * Every forward transition of the merged counts (zero counts left out), for FrozenChain.build: the base's
   * states in stored order, each with the overlay's successors it lacked after its own, then the overlay's states
   * that the base has not.
   */
  *forwardCounts(): Generator<[state: number[], next: number, count: number]> {
    const { base, overlay, tombstones } = this;
    let state: number[] | undefined;
    let added: Map<number, number> | undefined;
    let dead: Map<number, number> | undefined;
    for (const [current, next, count] of base.forwardCounts()) {
      if (state === undefined || !sameIds(state, current)) {
        if (state && added) for (const [token, n] of added) yield [state, token, n];
        state = current;
        added = overlay.messageCount === 0 ? undefined : new Map(overlay.successors('forward', current));
        dead = tombstones.messageCount === 0 ? undefined : new Map(tombstones.successors('forward', current));
      }
      const merged = count + (added?.get(next) ?? 0) - (dead?.get(next) ?? 0);
      added?.delete(next);
      if (merged > 0) yield [current, next, merged];
    }
    if (state && added) for (const [token, n] of added) yield [state, token, n];
    let last: number[] | undefined;
    let inBase = false;
    for (const [current, next, count] of overlay.forwardCounts()) {
      if (last === undefined || !sameIds(last, current)) {
        last = current;
        inBase = base.total('forward', current) > 0;
      }
      if (!inBase) yield [current, next, count];
    }
  }
}
