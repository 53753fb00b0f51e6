// /chorus markov stats: the Markov scopes a channel trains, with how many messages each holds (from the store) and,
// when the worker pool runs, the size of its chain.
import type { MarkovTraining } from '../../generation/markov-training.js';
import { AdminCommandError, answer, defer, type AdminRequest } from './admin-request.js';
import { paginate } from './message-pages.js';

export function trainingOf(request: AdminRequest): MarkovTraining {
  const { training } = request.deps.context;
  if (!training) throw new AdminCommandError('the Markov fallback is disabled (markovSettings.enabled)');
  return training;
}

/** The scopes a channel's messages train; an error when no enabled entity speaks there. */
export function channelScopes(training: MarkovTraining, channel: string): string[] {
  const scopes = training.scopesOf('discord', channel);
  if (scopes.length === 0) {
    throw new AdminCommandError(`no enabled entity speaks in <#${channel}>, so it trains no Markov scope`);
  }
  return scopes;
}

export async function markovStats(request: AdminRequest, channel: string): Promise<void> {
  const scopes = channelScopes(trainingOf(request), channel);
  await defer(request.interaction);
  const { store, markovPool } = request.deps.context;
  const blocks: string[] = [];
  for (const scope of scopes) {
    const row = store.markov.scope(scope);
    if (!row) {
      blocks.push(`**${scope}**: empty (created when the first message trains it)`);
      continue;
    }
    let chain = '';
    if (markovPool) {
      try {
        const s = await markovPool.run({ kind: 'stats', scope });
        chain = `; chain: ${s.vocabulary} words, ${s.forwardStates} states, ${s.transitions} transitions, ${(s.chainBytes / 1024).toFixed(0)} KiB`;
      } catch (error) {
        request.logger.warn('markov stats failed in the worker pool', { scope, error: String(error) });
        chain = '; chain size not available';
      }
    }
    blocks.push(`**${scope}**: ${row.messages} messages, state size ${row.stateSize}${chain}`);
  }
  await answer(request.interaction, paginate(`**Markov scopes of <#${channel}>**`, blocks)[0] as string);
}
