// One scope's live Markov model: an incremental chain, the verbatim guard over its training text, and the word
// ids they share. Text goes in through `learn`/`forget`; replies come out of `reply`.
import { MarkovChain, type ChainStats } from './markov-chain.js';
import { replyFrom, type ReplyOptions, type ReplyOutcome } from './reply.js';
import { isWord, normalizeWord, tokenize } from './tokenizer.js';
import { VerbatimGuard } from './verbatim-guard.js';
import { WordIds } from './word-ids.js';

export type { ReplyOutcome } from './reply.js';

export class MarkovModel {
  readonly chain: MarkovChain;
  readonly #guard = new VerbatimGuard();
  readonly #words = new WordIds();

  constructor(stateSize = 2) {
    this.chain = new MarkovChain(stateSize, normalizeWord);
  }

  #wordIds(tokens: readonly string[]): number[] {
    return tokens.filter(isWord).map((t) => this.#words.intern(normalizeWord(t)));
  }

  /** Trains on one message; returns false when it has no words to learn from. */
  learn(text: string): boolean {
    const tokens = tokenize(text);
    const words = this.#wordIds(tokens);
    if (words.length === 0) return false;
    this.chain.add(tokens);
    this.#guard.add(words);
    return true;
  }

  /** Untrains a message learnt before (the source was deleted or edited). */
  forget(text: string): void {
    const tokens = tokenize(text);
    const words = this.#wordIds(tokens);
    if (words.length === 0) return;
    this.chain.remove(tokens);
    this.#guard.remove(words);
  }

  reply(options: ReplyOptions): ReplyOutcome {
    return replyFrom(this.chain, this.#guard, this.#words, options);
  }

  get stats(): ChainStats & { guardBytes: number } {
    return { ...this.chain.stats, guardBytes: this.#guard.bytes };
  }
}
