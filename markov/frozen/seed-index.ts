// The lookups that start a reply, each built on first use: token ids by normalized word (idsMatching), and the
// forward states by first token that pickSeed draws from.
import { BOUNDARY } from '../markov-chain.js';
import { normalizeWord } from '../tokenizer.js';

/** Token ids by their normalizeWord form, in id order (the boundary marker excluded). */
export function idsByWord(vocabulary: readonly string[]): Map<string, number[]> {
  const byWord = new Map<string, number[]>();
  for (let id = 1; id < vocabulary.length; id++) {
    const normalized = normalizeWord(vocabulary[id] as string);
    const ids = byWord.get(normalized);
    if (ids) ids.push(id);
    else byWord.set(normalized, [id]);
  }
  return byWord;
}

/** Forward states by first token: CSR offsets by token id into a list of state indices. */
export class SeedIndex {
  readonly #offsets: Int32Array;
  readonly #states: Int32Array;

  private constructor(offsets: Int32Array, states: Int32Array) {
    this.#offsets = offsets;
    this.#states = states;
  }

  /** Indexes the S forward states (k ids each) of `forwardStates` over a vocabulary of V tokens. */
  static build(forwardStates: Int32Array, S: number, k: number, V: number): SeedIndex {
    const offsets = new Int32Array(V + 1);
    for (let i = 0; i < S; i++) {
      const first = forwardStates[i * k] as number;
      if (first !== BOUNDARY) offsets[first + 1] = (offsets[first + 1] as number) + 1;
    }
    for (let id = 0; id + 1 < offsets.length; id++) {
      offsets[id + 1] = (offsets[id + 1] as number) + (offsets[id] as number);
    }
    const cursor = offsets.slice();
    const list = new Int32Array(offsets[offsets.length - 1] as number);
    for (let i = 0; i < S; i++) {
      const first = forwardStates[i * k] as number;
      if (first === BOUNDARY) continue;
      const at = cursor[first] as number;
      cursor[first] = at + 1;
      list[at] = i;
    }
    return new SeedIndex(offsets, list);
  }

  /**
   * The index of a forward state beginning with one of `firstIds`, uniformly among all of them (an id listed twice
   * counts twice), as MarkovChain picks. Like MarkovChain it draws exactly one random number, even when there is
   * nothing to pick, so a sampler's later draws stay aligned whichever chain it reads.
   */
  pick(firstIds: readonly number[], random: () => number): number | undefined {
    let total = 0;
    for (const id of firstIds) total += this.#count(id);
    const u = random();
    if (total === 0) return undefined;
    let pick = Math.min(total - 1, Math.floor(u * total));
    for (const id of firstIds) {
      const n = this.#count(id);
      if (pick < n) return this.#states[(this.#offsets[id] as number) + pick] as number;
      pick -= n;
    }
    return undefined;
  }

  /** Forward states beginning with `id` (0 for the boundary marker or an id outside the vocabulary). */
  #count(id: number): number {
    const offsets = this.#offsets;
    if (!Number.isInteger(id) || id <= BOUNDARY || id + 1 >= offsets.length) return 0;
    return (offsets[id + 1] as number) - (offsets[id] as number);
  }
}
