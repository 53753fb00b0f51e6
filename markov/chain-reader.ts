// What the sampler needs from a chain. Both the incremental MarkovChain and the compact, persisted
// FrozenChain implement it, so replies come out the same whichever form a scope's chain is in.

export interface ChainReader {
  readonly stateSize: number;
  /** Messages the chain was trained on (0: nothing to say). */
  readonly messageCount: number;
  tokenOf(id: number): string;
  /** Token ids of every token whose normalized form is `word` (case variants). */
  idsMatching(word: string): readonly number[];
  /** A random forward state (its token ids) that begins with one of `firstIds`, or undefined if none. */
  pickSeed(firstIds: readonly number[], random: () => number): number[] | undefined;
  /** The token after a state (forward) or before it (backward); undefined for an unknown state. */
  step(direction: 'forward' | 'backward', state: readonly number[], random: () => number): number | undefined;
}
