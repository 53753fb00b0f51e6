// The (state → token) transitions one message contributes to a chain, in both directions, padded with boundary
// markers exactly as MarkovChain counts them: what a layered chain checks before tombstoning a message, and how
// it tracks which states a change brings to life or empties.
import { BOUNDARY } from './markov-chain.js';

export interface MessageTransition {
  direction: 'forward' | 'backward';
  state: number[];
  /** The token after the state (forward) or before it (backward). */
  token: number;
}

/**
 * Forward: the ids padded with k markers before and one after, each window of k followed by its next id.
 * Backward: the mirror image (one marker before, k after), each window of k preceded by its previous id.
 */
export function* messageTransitions(ids: readonly number[], k: number): Generator<MessageTransition> {
  const pad = new Array<number>(k).fill(BOUNDARY);
  const forward = [...pad, ...ids, BOUNDARY];
  for (let i = 0; i + k < forward.length; i++) {
    yield { direction: 'forward', state: forward.slice(i, i + k), token: forward[i + k] as number };
  }
  const backward = [BOUNDARY, ...ids, ...pad];
  for (let i = 0; i + k < backward.length; i++) {
    yield { direction: 'backward', state: backward.slice(i + 1, i + 1 + k), token: backward[i] as number };
  }
}

/** The distinct forward states of a message (the padded windows of k ids that have a successor). */
export function messageForwardStates(ids: readonly number[], k: number): number[][] {
  const forward = [...new Array<number>(k).fill(BOUNDARY), ...ids];
  const seen = new Set<string>();
  const states: number[][] = [];
  for (let i = 0; i + k <= forward.length; i++) {
    const state = forward.slice(i, i + k);
    const key = state.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    states.push(state);
  }
  return states;
}
