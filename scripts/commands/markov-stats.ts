// `chorus markov stats --scope SCOPE`: what a scope holds.
import type { CommandIo } from './command-io.js';
import { withScopes } from './open-scopes.js';

export const markovHelp = `Usage: chorus markov stats --scope SCOPE [--data DIR]

Prints what the Markov scope holds: messages, tokens, states, transitions and memory.`;

export async function markovStats(scope: string, data: string, io: CommandIo): Promise<number> {
  return withScopes(data, async ({ scopes, pool }) => {
    const row = scopes.require(scope);
    const figures = await pool.run({ kind: 'stats', scope });
    io.out(`scope          ${row.scope}`);
    io.out(`state size     ${row.stateSize}`);
    io.out(`messages       ${row.messages}`);
    io.out(`tokens         ${figures.vocabulary}`);
    io.out(`states         ${figures.forwardStates}`);
    io.out(`transitions    ${figures.transitions}`);
    io.out(`chain bytes    ${figures.chainBytes}`);
    io.out(`guard bytes    ${figures.guardBytes}`);
    io.out(`pending        ${figures.pending} changes since the snapshot`);
    io.out(`load           ${figures.loadMs.toFixed(1)} ms`);
    io.out(`updated        ${new Date(row.updatedAt).toISOString()}`);
    return 0;
  });
}
