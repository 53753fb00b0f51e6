// Builds replies from a chain: seeded from the message's keywords and grown forward and backward from them
// (MegaHAL's way), or from the start marker when no keyword is known. Each try is checked for length and
// against the verbatim guard; after the retry budget it reports failure instead of emitting garbage.
import type { ChainReader } from './chain-reader.js';
import { BOUNDARY } from './markov-chain.js';

export interface SampleOptions {
  /** Normalized keywords of the message being answered, most distinctive first. */
  keywords: readonly string[];
  random: () => number;
  minWords: number;
  maxWords: number;
  maxTries: number;
}

export type SampleOutcome =
  | { ok: true; tokens: string[]; tries: number; seeded: boolean }
  | { ok: false; reason: 'empty chain' | 'no acceptable reply'; tries: number; seeded: boolean };

export interface ReplyCheck {
  /** Number of words among the tokens (punctuation and emoji excluded). */
  countWords(tokens: readonly string[]): number;
  /** True when the tokens would repeat the training text (see VerbatimGuard). */
  isVerbatim(tokens: readonly string[]): boolean;
}

function grow(
  chain: ChainReader,
  seed: readonly number[],
  random: () => number,
  cap: number,
): number[] | undefined {
  const k = chain.stateSize;
  const out = [...seed];
  let state = seed.slice();
  for (;;) {
    const next = chain.step('forward', state, random);
    if (next === undefined || next === BOUNDARY) break;
    out.push(next);
    if (out.length > cap) return undefined;
    state = [...state.slice(1), next];
  }
  if (seed.every((id) => id === BOUNDARY)) return out.slice(k);
  state = seed.slice(0, k);
  for (;;) {
    const previous = chain.step('backward', state, random);
    if (previous === undefined || previous === BOUNDARY) break;
    out.unshift(previous);
    if (out.length > cap) return undefined;
    state = [previous, ...state.slice(0, k - 1)];
  }
  return out;
}

export function sampleReply(chain: ChainReader, check: ReplyCheck, options: SampleOptions): SampleOutcome {
  const { random, minWords, maxWords, maxTries } = options;
  if (chain.messageCount === 0) return { ok: false, reason: 'empty chain', tries: 0, seeded: false };
  // Token ids per keyword, keeping only keywords that can start a state.
  const seedGroups = options.keywords
    .map((word) => chain.idsMatching(word))
    .filter((ids) => chain.pickSeed(ids, random) !== undefined);
  const seeded = seedGroups.length > 0;
  const start = new Array<number>(chain.stateSize).fill(BOUNDARY);
  const cap = maxWords * 3;
  for (let tries = 1; tries <= maxTries; tries++) {
    let seed = start;
    if (seeded) {
      // Rotate through the keywords, most distinctive first, then pick one of that keyword's states.
      seed = chain.pickSeed(seedGroups[(tries - 1) % seedGroups.length] as number[], random) ?? start;
    }
    const ids = grow(chain, seed, random, cap);
    if (!ids) continue;
    const tokens = ids.map((id) => chain.tokenOf(id));
    const words = check.countWords(tokens);
    if (words < minWords || words > maxWords || check.isVerbatim(tokens)) continue;
    return { ok: true, tokens, tries, seeded };
  }
  return { ok: false, reason: 'no acceptable reply', tries: maxTries, seeded };
}
