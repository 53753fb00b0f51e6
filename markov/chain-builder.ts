// Builds a scope's compact chain and verbatim guard from its training messages in one pass: tokenize,
// count forward transitions, record the word sequences; then freeze. Used for training and for
// rebuilding a stale snapshot.
import { FrozenChain } from './frozen-chain.js';
import { Interner } from './interner.js';
import { BOUNDARY } from './markov-chain.js';
import { isWord, normalizeWord, tokenize } from './tokenizer.js';
import { VerbatimGuard } from './verbatim-guard.js';
import { WordIds } from './word-ids.js';

export interface BuiltScope {
  chain: FrozenChain;
  guard: VerbatimGuard;
  words: WordIds;
}

export class ChainBuilder {
  /** Tokens by id; id 0 is the boundary marker. */
  readonly #vocabulary = new Interner(['']);
  /** Forward counts: state key → next token → count. */
  readonly #forward = new Map<string, Map<number, number>>();
  readonly #guard = new VerbatimGuard();
  readonly #words = new WordIds();
  #messages = 0;

  constructor(readonly stateSize: number) {}

  /** Adds one message; returns false when it has no words (nothing learnt). */
  add(text: string): boolean {
    const tokens = tokenize(text);
    const words: number[] = [];
    for (const token of tokens) if (isWord(token)) words.push(this.#words.intern(normalizeWord(token)));
    if (words.length === 0) return false;
    const k = this.stateSize;
    const padded = [
      ...new Array<number>(k).fill(BOUNDARY),
      ...tokens.map((t) => this.#vocabulary.intern(t)),
      BOUNDARY,
    ];
    for (let i = 0; i + k < padded.length; i++) {
      const key = padded.slice(i, i + k).join(' ');
      let next = this.#forward.get(key);
      if (!next) {
        next = new Map();
        this.#forward.set(key, next);
      }
      const token = padded[i + k] as number;
      next.set(token, (next.get(token) ?? 0) + 1);
    }
    this.#guard.add(words);
    this.#messages++;
    return true;
  }

  get messages(): number {
    return this.#messages;
  }

  build(): BuiltScope {
    const forward = this.#forward;
    function* counts(): Generator<[number[], number, number]> {
      for (const [key, next] of forward) {
        const state = key.split(' ').map(Number);
        for (const [token, count] of next) yield [state, token, count];
      }
    }
    const chain = FrozenChain.build(this.stateSize, this.#vocabulary.values, counts(), this.#messages);
    return { chain, guard: this.#guard, words: this.#words };
  }
}
