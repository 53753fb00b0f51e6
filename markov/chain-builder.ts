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

const NOT_A_WORD = -1;
const UNKNOWN = -2;

export class ChainBuilder {
  /** Tokens by id; id 0 is the boundary marker. */
  readonly #vocabulary = new Interner(['']);
  readonly #windows: WindowCounter;
  readonly #guard = new VerbatimGuard();
  readonly #words = new WordIds();
  /** Per token id: its word id, NOT_A_WORD, or UNKNOWN until first seen. */
  #wordOfToken = new Int32Array(0);
  #messages = 0;

  constructor(readonly stateSize: number) {
    this.#windows = new WindowCounter(stateSize);
  }

  /** Adds one message; returns false when it has no words (nothing learnt). */
  add(text: string): boolean {
    const tokens = tokenize(text);
    const ids: number[] = [];
    const words: number[] = [];
    for (const token of tokens) {
      const id = this.#vocabulary.intern(token);
      ids.push(id);
      const word = this.#wordOf(id, token);
      if (word >= 0) words.push(word);
    }
    if (words.length === 0) return false;
    this.#windows.add(ids);
    this.#guard.add(words);
    this.#messages++;
    return true;
  }

  /** The word id of a token (by token id, worked out once per distinct token), or -1 for a non-word. */
  #wordOf(id: number, token: string): number {
    if (id >= this.#wordOfToken.length) {
      const grown = new Int32Array(Math.max(1024, this.#wordOfToken.length * 2)).fill(UNKNOWN);
      grown.set(this.#wordOfToken);
      this.#wordOfToken = grown;
    }
    let word = this.#wordOfToken[id] as number;
    if (word === UNKNOWN) {
      word = isWord(token) ? this.#words.intern(normalizeWord(token)) : NOT_A_WORD;
      this.#wordOfToken[id] = word;
    }
    return word;
  }

  get messages(): number {
    return this.#messages;
  }

  build(): BuiltScope {
    const chain = FrozenChain.fromForward(
      this.#windows.forwardParts(),
      this.#vocabulary.values,
      this.#messages,
    );
    return { chain, guard: this.#guard, words: this.#words };
  }
}
