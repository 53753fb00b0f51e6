// `chorus generate --scope SCOPE [--seed WORDS] [-n N]`: prints Markov replies from a trained scope.
import { keywords, words } from '../../bots/analyzer/index.js';
import type { CommandIo } from './command-io.js';
import { withScopes } from './open-scopes.js';

export const generateHelp = `Usage: chorus generate --scope SCOPE [--seed WORDS] [-n N] [--data DIR]

Prints N replies (default 5) from the Markov chain of SCOPE, seeded from WORDS when given.`;

export interface GenerateArgs {
  scope: string;
  seed: string | undefined;
  count: number;
  data: string;
}

export async function generate(args: GenerateArgs, io: CommandIo): Promise<number> {
  return withScopes(args.data, (scopes) => {
    const model = scopes.load(args.scope);
    const seedWords = args.seed ? keywords(args.seed, 10) : [];
    const seeds = seedWords.length > 0 || !args.seed ? seedWords : words(args.seed);
    let failures = 0;
    for (let i = 0; i < args.count; i++) {
      const outcome = model.reply({
        keywords: seeds,
        random: Math.random,
        minWords: 3,
        maxWords: 40,
        maxTries: 20,
      });
      if (outcome.ok) io.out(outcome.text);
      else {
        failures++;
        io.err(`no reply: ${outcome.reason} after ${outcome.tries} tries`);
      }
    }
    return failures === args.count ? 1 : 0;
  });
}
