// One scope's Markov model: a persisted frozen chain (the base) read together with the messages learnt and
// forgotten since (see LayeredChain), the verbatim guard over the training text, and the word ids they share.
// Learning and forgetting never rebuild; compaction merges the changes into a new base by merging counts.
import type { BuiltScope } from './chain-builder.js';
import { FrozenChain, type FrozenChainStats } from './frozen-chain.js';
import { LayeredChain } from './layered-chain.js';
import { messageForwardStates } from './message-transitions.js';
import { replyFrom, type ReplyOptions, type ReplyOutcome } from './reply.js';
import { isWord, normalizeWord, tokenize } from './tokenizer.js';
import { VerbatimGuard } from './verbatim-guard.js';
import { WordIds } from './word-ids.js';

export type { ReplyOutcome } from './reply.js';

export interface ScopeStats {
  stateSize: number;
  /** Tokens (base and new, without the boundary marker; tokens left without transitions still count). */
  vocabulary: number;
  /** Forward states with a merged count (base + overlay - tombstones) above 0. */
  forwardStates: number;
  /** Merged forward transitions, counted with multiplicity. */
  transitions: number;
  messages: number;
  /** The base's bytes (FrozenChainStats.bytes) plus the estimate for the changes since. */
  chainBytes: number;
  guardBytes: number;
  /** Messages learnt plus base messages forgotten since the base. */
  pending: number;
}

/** Snapshot blob names: `chain`, `chain/<name>`, `guard`, `guard/<name>`, `words`. */
const SEPARATOR = '/';

/*
 * Memory estimates for `bytes`, measured on V8 (Node 20) with chat messages: a MarkovChain holds about
 * CHANGE_STATE_BYTES per forward state, covering that state's Map entry, key string, Transitions and counts Map,
 * the backward state that mirrors it, and its seed index entry; a token new to the base about NEW_TOKEN_BYTES
 * (string, interner entries, idsMatching list). A word id costs its characters plus WORD_BYTES.
 */
const CHANGE_STATE_BYTES = 700;
const NEW_TOKEN_BYTES = 120;
const WORD_BYTES = 80;

export class ScopeModel {
  /** The base with the changes since; a reader, as the sampler needs. */
  readonly chain: LayeredChain;
  readonly guard: VerbatimGuard;
  readonly words: WordIds;
  /** Forward states with a merged count, less the base's; kept up to date by learn and forget. */
  #stateDelta = 0;
  #baseStats: FrozenChainStats | undefined;
  #wordBytes = 0;
  /** Words whose bytes #wordBytes holds (word ids only grow). */
  #wordsCounted = 0;

  private constructor(base: FrozenChain, guard: VerbatimGuard, words: WordIds) {
    this.chain = LayeredChain.over(base, normalizeWord);
    this.guard = guard;
    this.words = words;
  }

  static empty(stateSize: number): ScopeModel {
    return new ScopeModel(FrozenChain.build(stateSize, [''], [], 0), new VerbatimGuard(), new WordIds());
  }

  /** A model over what ChainBuilder.build() made (adopted, not copied). */
  static fromBuilt(built: BuiltScope): ScopeModel {
    return new ScopeModel(built.chain, built.guard, built.words);
  }

  /** The model a snapshot holds (the blobs `encode` wrote); aligned blobs are viewed, not copied. */
  static decode(parts: ReadonlyMap<string, Buffer>): ScopeModel {
    const group = (prefix: string) => {
      const blobs: Record<string, Buffer> = {};
      for (const [name, data] of parts)
        if (name.startsWith(`${prefix}${SEPARATOR}`)) blobs[name.slice(prefix.length + 1)] = data;
      const header = parts.get(prefix);
      if (!header) throw new Error(`the ${prefix} snapshot is incomplete`);
      return { header: header.toString('utf8'), blobs };
    };
    const chain = group('chain');
    const guard = group('guard');
    return new ScopeModel(
      FrozenChain.fromParts(FrozenChain.decode(chain.header, chain.blobs)),
      VerbatimGuard.fromParts(VerbatimGuard.decode(guard.header, guard.blobs)),
      WordIds.decode(parts.get('words') ?? Buffer.alloc(0)),
    );
  }

  /**
   * The snapshot blobs. Pending changes are compacted into them first (this model stays as it is: call compact and
   * encode the result to keep the compacted model). The chain blobs view the base's arrays: store them before
   * anything else is done with the model.
   */
  encode(): Map<string, Buffer> {
    if (this.pending > 0) return this.compact().encode();
    const parts = new Map<string, Buffer>();
    const chain = FrozenChain.encode(this.chain.base.toParts());
    parts.set('chain', Buffer.from(chain.header, 'utf8'));
    for (const [name, blob] of Object.entries(chain.blobs)) parts.set(`chain${SEPARATOR}${name}`, blob);
    const guard = VerbatimGuard.encode(this.guard.toParts());
    parts.set('guard', Buffer.from(guard.header, 'utf8'));
    for (const [name, blob] of Object.entries(guard.blobs)) parts.set(`guard${SEPARATOR}${name}`, blob);
    parts.set('words', this.words.encode());
    return parts;
  }

  /**
   * A model whose base holds the merged counts (FrozenChain.build over LayeredChain.forwardCounts; no text is
   * tokenized again), with nothing pending. The base's vocabulary is kept whole, and tokens new since are added
   * after it, even those left without transitions. The new model takes over this one's guard and word ids (shared,
   * not copied: they are already up to date), so only the new model may learn or forget afterwards.
   */
  compact(): ScopeModel {
    const { base, overlay } = this.chain;
    const merged =
      this.pending === 0
        ? base
        : FrozenChain.build(
            this.stateSize,
            overlay.vocabulary,
            this.chain.forwardCounts(),
            this.chain.messageCount,
          );
    return new ScopeModel(merged, this.guard, this.words);
  }

  /** Trains on one message; false when it has no words (nothing learnt). */
  learn(text: string): boolean {
    const tokens = tokenize(text);
    if (!tokens.some(isWord)) return false;
    const words = tokens.filter(isWord).map((t) => this.words.intern(normalizeWord(t)));
    // Every forward state of a learnt message has a merged count afterwards: those without one before are new.
    const { states, live } = this.#liveStates(tokens);
    this.chain.overlay.add(tokens);
    this.#stateDelta += states - live;
    this.guard.add(words);
    return true;
  }

  /**
   * Untrains a message learnt before: one of the base's (`inBase`: it is tombstoned) or one learnt since (it is
   * removed from the overlay). False, changing nothing, when there is no such message to forget: no words, or
   * not in the base (minus what was forgotten already) or the overlay. A tombstone costs a scan of each of the
   * base rows the message passes through (see FrozenChain.count).
   */
  forget(text: string, inBase: boolean): boolean {
    const tokens = tokenize(text);
    const words = tokens.filter(isWord).map((t) => this.words.get(normalizeWord(t)));
    if (words.length === 0) return false;
    if (!(inBase ? this.#tombstone(tokens) : this.#unlearn(tokens))) return false;
    // Every forward state of a message held had a merged count before: those without one now are gone.
    const { states, live } = this.#liveStates(tokens);
    this.#stateDelta -= states - live;
    // A word never interned (-1) means the guard never held the message.
    if (words.every((id) => id >= 0)) this.guard.remove(words);
    return true;
  }

  #tombstone(tokens: readonly string[]): boolean {
    const { base, tombstones } = this.chain;
    const ids: number[] = [];
    for (const token of tokens) {
      const id = base.idOf(token);
      if (id === undefined) return false;
      ids.push(id);
    }
    tombstones.add(tokens);
    if (this.chain.tombstonesWithinBase(ids)) return true;
    tombstones.remove(tokens);
    return false;
  }

  #unlearn(tokens: readonly string[]): boolean {
    const before = this.chain.overlay.messageCount;
    this.chain.overlay.remove(tokens);
    return this.chain.overlay.messageCount < before;
  }

  /** The message's distinct forward states, and how many have a merged count (none has a token not known yet). */
  #liveStates(tokens: readonly string[]): { states: number; live: number } {
    // Tokens not known yet get distinct negative ids, distinct as they will be once learnt.
    const unknown = new Map<string, number>();
    const ids = tokens.map((token) => {
      let id = this.chain.overlay.idOf(token) ?? unknown.get(token);
      if (id === undefined) unknown.set(token, (id = -1 - unknown.size));
      return id;
    });
    const states = messageForwardStates(ids, this.stateSize);
    let live = 0;
    for (const state of states)
      if (state.every((id) => id >= 0) && this.chain.total('forward', state) > 0) live++;
    return { states: states.length, live };
  }

  reply(options: ReplyOptions): ReplyOutcome {
    return replyFrom(this.chain, this.guard, this.words, options);
  }

  get stateSize(): number {
    return this.chain.stateSize;
  }

  /** Changes since the base: messages learnt plus base messages forgotten. */
  get pending(): number {
    return this.chain.overlay.messageCount + this.chain.tombstones.messageCount;
  }

  /** Estimated bytes held: the chain (base and changes, see ScopeStats.chainBytes), the guard and the words. */
  get bytes(): number {
    return this.#chainBytes() + this.guard.bytes + this.#wordsBytes();
  }

  /** O(1) but for the first call, which reads the base's stats once (O(transitions + vocabulary)). */
  get stats(): ScopeStats {
    const base = this.#base();
    const { overlay, tombstones } = this.chain;
    return {
      stateSize: this.stateSize,
      vocabulary: overlay.stats.vocabulary,
      forwardStates: base.forwardStates + this.#stateDelta,
      transitions: base.transitions + overlay.stats.transitions - tombstones.stats.transitions,
      messages: this.chain.messageCount,
      chainBytes: this.#chainBytes(),
      guardBytes: this.guard.bytes,
      pending: this.pending,
    };
  }

  #base(): FrozenChainStats {
    this.#baseStats ??= this.chain.base.stats;
    return this.#baseStats;
  }

  #chainBytes(): number {
    const { base, overlay, tombstones } = this.chain;
    const states = overlay.stats.forwardStates + tombstones.stats.forwardStates;
    const newTokens = overlay.stats.vocabulary + 1 - base.vocabularySize;
    return this.#base().bytes + states * CHANGE_STATE_BYTES + newTokens * NEW_TOKEN_BYTES;
  }

  #wordsBytes(): number {
    const values = this.words.values;
    for (; this.#wordsCounted < values.length; this.#wordsCounted++) {
      this.#wordBytes += WORD_BYTES + 2 * (values[this.#wordsCounted] as string).length;
    }
    return this.#wordBytes;
  }
}
