// One scope's Markov model: the chain, the verbatim guard over its training text, and the word ids they share.
// Text goes in through `learn`/`forget`; replies come out of `reply`.
import { MarkovChain, type ChainStats } from './markov-chain.js';
import { sampleReply, type SampleOptions, type SampleOutcome } from './sampler.js';
import { detokenize, isWord, normalizeWord, tokenize } from './tokenizer.js';
import { VerbatimGuard } from './verbatim-guard.js';

export type ReplyOutcome =
  (SampleOutcome & { ok: false }) | { ok: true; text: string; tries: number; seeded: boolean };

export class MarkovModel {
  readonly chain: MarkovChain;
  readonly #guard = new VerbatimGuard();
  readonly #wordIds = new Map<string, number>();

  constructor(stateSize = 2) {
    this.chain = new MarkovChain(stateSize, normalizeWord);
  }

  #words(tokens: readonly string[], intern: boolean): number[] {
    const ids: number[] = [];
    for (const token of tokens) {
      if (!isWord(token)) continue;
      const word = normalizeWord(token);
      let id = this.#wordIds.get(word);
      if (id === undefined) {
        // An unknown word cannot be part of any training run; -1 never matches.
        if (!intern) {
          ids.push(-1);
          continue;
        }
        id = this.#wordIds.size + 1;
        this.#wordIds.set(word, id);
      }
      ids.push(id);
    }
    return ids;
  }

  /** Trains on one message; returns false when it has no words to learn from. */
  learn(text: string): boolean {
    const tokens = tokenize(text);
    const words = this.#words(tokens, true);
    if (words.length === 0) return false;
    this.chain.add(tokens);
    this.#guard.add(words);
    return true;
  }

  /** Untrains a message learnt before (the source was deleted or edited). */
  forget(text: string): void {
    const tokens = tokenize(text);
    const words = this.#words(tokens, true);
    if (words.length === 0) return;
    this.chain.remove(tokens);
    this.#guard.remove(words);
  }

  reply(options: Omit<SampleOptions, 'keywords'> & { keywords: readonly string[] }): ReplyOutcome {
    const outcome = sampleReply(
      this.chain,
      {
        countWords: (tokens) => tokens.reduce((n, t) => n + (isWord(t) ? 1 : 0), 0),
        isVerbatim: (tokens) => this.#guard.isVerbatim(this.#words(tokens, false)),
      },
      { ...options, keywords: options.keywords.map(normalizeWord) },
    );
    if (!outcome.ok) return outcome;
    return { ok: true, text: detokenize(outcome.tokens), tries: outcome.tries, seeded: outcome.seeded };
  }

  get stats(): ChainStats & { guardBytes: number } {
    return { ...this.chain.stats, guardBytes: this.#guard.bytes };
  }
}
