// Builds a scope's compact chain and verbatim guard from its training messages in one pass: tokenize,
// collect the token windows and word sequences; then count (see WindowCounter) and freeze. Used for training and for
// rebuilding a stale snapshot.
import { FrozenChain } from './frozen-chain.js';
import { Interner } from './interner.js';
import { isWord, normalizeWord, tokenize } from './tokenizer.js';
import { VerbatimGuard } from './verbatim-guard.js';
import { WindowCounter } from './window-counter.js';
import { WordIds } from './word-ids.js';

export interface BuiltScope {
  chain: FrozenChain;
  guard: VerbatimGuard;
  words: WordIds;
}

export class ChainBuilder {
  /** Tokens by id; id 0 is the boundary marker. */
  readonly #vocabulary = new Interner(['']);
  readonly #windows: WindowCounter;
  readonly #guard = new VerbatimGuard();
  readonly #words = new WordIds();
  #messages = 0;

  constructor(readonly stateSize: number) {
    this.#windows = new WindowCounter(stateSize);
  }

  /** Adds one message; returns false when it has no words (nothing learnt). */
  add(text: string): boolean {
    const tokens = tokenize(text);
    const words: number[] = [];
    for (const token of tokens) if (isWord(token)) words.push(this.#words.intern(normalizeWord(token)));
    if (words.length === 0) return false;
    this.#windows.add(tokens.map((t) => this.#vocabulary.intern(t)));
    this.#guard.add(words);
    this.#messages++;
    return true;
  }

  get messages(): number {
    return this.#messages;
  }

  build(): BuiltScope {
    const chain = FrozenChain.build(
      this.stateSize,
      this.#vocabulary.values,
      this.#windows.counts(),
      this.#messages,
    );
    return { chain, guard: this.#guard, words: this.#words };
  }
}
