// `chorus markov stats --scope SCOPE`: what a scope holds.
import type { CommandIo } from './command-io.js';
import { withScopes } from './open-scopes.js';

export const markovHelp = `Usage: chorus markov stats --scope SCOPE [--data DIR]

Prints what the Markov scope holds: messages, tokens, states, transitions and memory.`;

export async function markovStats(scope: string, data: string, io: CommandIo): Promise<number> {
  return withScopes(data, (scopes) => {
    const row = scopes.require(scope);
    const model = scopes.load(scope);
    const stats = model.chain.stats;
    io.out(`scope          ${row.scope}`);
    io.out(`state size     ${row.stateSize}`);
    io.out(`messages       ${row.messages}`);
    io.out(`tokens         ${stats.vocabulary}`);
    io.out(`states         ${stats.forwardStates}`);
    io.out(`transitions    ${stats.transitions}`);
    io.out(`chain bytes    ${stats.bytes}`);
    io.out(`guard bytes    ${model.guard.bytes}`);
    io.out(`updated        ${new Date(row.updatedAt).toISOString()}`);
    return 0;
  });
}
