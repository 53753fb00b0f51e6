// Turns a chain and its verbatim guard into a reply: sample, check words and verbatim runs, detokenize.
// Shared by the live (incremental) model and the compact snapshot model.
import type { ChainReader } from './chain-reader.js';
import { sampleReply, type SampleOptions, type SampleOutcome } from './sampler.js';
import { detokenize, isWord, normalizeWord } from './tokenizer.js';
import type { VerbatimGuard } from './verbatim-guard.js';
import type { WordIds } from './word-ids.js';

export type ReplyOutcome =
  (SampleOutcome & { ok: false }) | { ok: true; text: string; tries: number; seeded: boolean };

export type ReplyOptions = SampleOptions;

export function replyFrom(
  chain: ChainReader,
  guard: VerbatimGuard,
  words: WordIds,
  options: ReplyOptions,
): ReplyOutcome {
  const outcome = sampleReply(
    chain,
    {
      countWords: (tokens) => tokens.reduce((n, t) => n + (isWord(t) ? 1 : 0), 0),
      isVerbatim: (tokens) => guard.isVerbatim(tokens.filter(isWord).map((t) => words.get(normalizeWord(t)))),
    },
    { ...options, keywords: options.keywords.map(normalizeWord) },
  );
  if (!outcome.ok) return outcome;
  return { ok: true, text: detokenize(outcome.tokens), tries: outcome.tries, seeded: outcome.seeded };
}
