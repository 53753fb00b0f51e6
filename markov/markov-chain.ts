// A word-level Markov chain with forward and backward transitions, so a reply can grow in both directions
// from a keyword (as MegaHAL does). Counts are incremental: adding or removing a message never rebuilds. Given a
// base vocabulary (a FrozenChain's), its tokens keep the base's ids, so the chain can be layered over that chain.
import type { ChainReader } from './chain-reader.js';
import { type BaseVocabulary, ExtendingInterner, Interner } from './interner.js';
import { Transitions } from './transitions.js';

/** Token id of the start/end marker. */
export const BOUNDARY = 0;

export interface ChainStats {
  stateSize: number;
  vocabulary: number;
  forwardStates: number;
  transitions: number;
  messages: number;
}

export interface MarkovChainOptions {
  /** Tokens of the base keep its ids; new ones are numbered from base.size up (idsMatching lists only those). */
  base?: BaseVocabulary;
}

type Direction = 'forward' | 'backward';

export class MarkovChain implements ChainReader {
  /** Tokens by id; id 0 is the boundary marker (the base's, with a base). */
  readonly #vocabulary: Interner;
  readonly #forward = new Map<string, Transitions>();
  readonly #backward = new Map<string, Transitions>();
  /** Token ids by normalized form (case variants of one word), for seeding from a keyword. */
  readonly #byWord = new Map<string, number[]>();
  /** Forward states by their first token, for seeding from a keyword. */
  readonly #statesByFirst = new Map<number, Set<string>>();
  #transitions = 0;
  #messages = 0;

  constructor(
    readonly stateSize = 2,
    private readonly normalize: (token: string) => string = (t) => t.toLowerCase(),
    options: MarkovChainOptions = {},
  ) {
    if (!Number.isInteger(stateSize) || stateSize < 1 || stateSize > 4) {
      throw new RangeError(`MarkovChain: stateSize must be an integer from 1 to 4, got ${stateSize}`);
    }
    this.#vocabulary = options.base ? new ExtendingInterner(options.base) : new Interner(['']);
  }

  idOf(token: string): number | undefined {
    return this.#vocabulary.get(token);
  }

  tokenOf(id: number): string {
    return this.#vocabulary.valueOf(id) ?? '';
  }

  #intern(token: string): number {
    const known = this.#vocabulary.size;
    const id = this.#vocabulary.intern(token);
    if (id === known) {
      const word = this.normalize(token);
      const variants = this.#byWord.get(word);
      if (variants) variants.push(id);
      else this.#byWord.set(word, [id]);
    }
    return id;
  }

  static key(ids: readonly number[]): string {
    return ids.join(' ');
  }

  /** Adds one message (its tokens) to the counts. */
  add(tokens: readonly string[]): void {
    if (tokens.length === 0) return;
    const ids = tokens.map((t) => this.#intern(t));
    this.#walk(ids, (map, key, token, forwardFirst) => {
      let transitions = map.get(key);
      if (!transitions) {
        transitions = new Transitions();
        map.set(key, transitions);
        if (forwardFirst !== undefined && forwardFirst !== BOUNDARY) {
          const set = this.#statesByFirst.get(forwardFirst);
          if (set) set.add(key);
          else this.#statesByFirst.set(forwardFirst, new Set([key]));
        }
      }
      transitions.add(token);
      if (forwardFirst !== undefined) this.#transitions++;
    });
    this.#messages++;
  }

  /** Removes one message added before (a deleted or edited source message). A message never added is ignored. */
  remove(tokens: readonly string[]): void {
    if (tokens.length === 0) return;
    const ids = tokens.map((t) => this.#vocabulary.get(t));
    if (ids.some((id) => id === undefined)) return;
    // Check first, so a message that was never added (all its words known) cannot half-apply.
    let present = true;
    this.#walk(ids as number[], (map, key, token) => {
      if (!map.get(key)?.counts.has(token)) present = false;
    });
    if (!present) return;
    this.#walk(ids as number[], (map, key, token, forwardFirst) => {
      const transitions = map.get(key) as Transitions;
      transitions.remove(token);
      if (forwardFirst !== undefined) this.#transitions--;
      if (transitions.total === 0) {
        map.delete(key);
        if (forwardFirst !== undefined) this.#statesByFirst.get(forwardFirst)?.delete(key);
      }
    });
    this.#messages--;
  }

  /**
   * Visits every (state → token) pair of a message in both directions. Forward pairs read the message padded
   * with stateSize markers before and one after; backward pairs are the mirror image.
   */
  #walk(
    ids: readonly number[],
    visit: (map: Map<string, Transitions>, key: string, token: number, forwardFirst?: number) => void,
  ): void {
    const k = this.stateSize;
    const forward = [...new Array<number>(k).fill(BOUNDARY), ...ids, BOUNDARY];
    for (let i = 0; i + k < forward.length; i++) {
      visit(
        this.#forward,
        MarkovChain.key(forward.slice(i, i + k)),
        forward[i + k] as number,
        forward[i] as number,
      );
    }
    const backward = [BOUNDARY, ...ids, ...new Array<number>(k).fill(BOUNDARY)];
    for (let i = 0; i + k < backward.length; i++) {
      visit(this.#backward, MarkovChain.key(backward.slice(i + 1, i + 1 + k)), backward[i] as number);
    }
  }

  /** Samples the token after a state (forward) or before it (backward); undefined for an unknown state. */
  step(direction: Direction, state: readonly number[], random: () => number): number | undefined {
    return this.#row(direction, state)?.sample(random);
  }

  #row(direction: Direction, state: readonly number[]): Transitions | undefined {
    return (direction === 'forward' ? this.#forward : this.#backward).get(MarkovChain.key(state));
  }

  /** The sum of a state's counts in a direction (0 for an unknown state). */
  total(direction: Direction, state: readonly number[]): number {
    return this.#row(direction, state)?.total ?? 0;
  }

  /** How often `token` follows (forward) or precedes (backward) a state. */
  count(direction: Direction, state: readonly number[], token: number): number {
    return this.#row(direction, state)?.counts.get(token) ?? 0;
  }

  /** The successors (forward) or predecessors (backward) of a state with their counts; [] for an unknown state. */
  successors(direction: Direction, state: readonly number[]): Array<[token: number, count: number]> {
    return [...(this.#row(direction, state)?.counts ?? [])];
  }

  /** Forward states that begin with one of the given token ids (still present), for seeding. */
  seedStates(firstIds: readonly number[]): string[] {
    const found: string[] = [];
    for (const id of firstIds) for (const key of this.#statesByFirst.get(id) ?? []) found.push(key);
    return found;
  }

  pickSeed(firstIds: readonly number[], random: () => number): number[] | undefined {
    const states = this.seedStates(firstIds);
    const key = states[Math.floor(random() * states.length)];
    return key === undefined ? undefined : key.split(' ').map(Number);
  }

  get messageCount(): number {
    return this.#messages;
  }

  /** Every forward transition with its count: what a FrozenChain is built from. */
  *forwardCounts(): Generator<[state: number[], next: number, count: number]> {
    for (const [key, transitions] of this.#forward) {
      const state = key.split(' ').map(Number);
      for (const [next, count] of transitions.counts) yield [state, next, count];
    }
  }

  /** The vocabulary by id (index 0 is the boundary marker, an empty string); with a base, a copy holding its tokens. */
  get vocabulary(): readonly string[] {
    return this.#vocabulary.values;
  }

  /** Token ids of every token whose normalized form is `word` (case variants); with a base, only new tokens'. */
  idsMatching(word: string): readonly number[] {
    return this.#byWord.get(word) ?? [];
  }

  get stats(): ChainStats {
    return {
      stateSize: this.stateSize,
      vocabulary: this.#vocabulary.size - 1,
      forwardStates: this.#forward.size,
      transitions: this.#transitions,
      messages: this.#messages,
    };
  }
}
