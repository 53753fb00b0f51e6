// `chorus generate --scope SCOPE [--seed WORDS] [-n N]`: prints Markov replies from a trained scope.
import { randomInt } from 'node:crypto';
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
  return withScopes(args.data, async ({ scopes, pool }) => {
    scopes.require(args.scope);
    const seedWords = args.seed ? keywords(args.seed, 10) : [];
    const seeds = seedWords.length > 0 || !args.seed ? seedWords : words(args.seed);
    let failures = 0;
    for (let i = 0; i < args.count; i++) {
      const answer = await pool.generate({
        scopes: [args.scope],
        keywords: seeds,
        seed: randomInt(2 ** 32),
        minWords: 3,
        maxWords: 40,
        maxTries: 20,
      });
      if (answer.ok) io.out(answer.text);
      else {
        failures++;
        io.err(`no reply: ${answer.reason} after ${answer.tries} tries`);
      }
    }
    return failures === args.count ? 1 : 0;
  });
}
