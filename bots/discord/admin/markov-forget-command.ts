// /chorus markov forget: untrains, from this channel's Markov scopes, one Discord message (imported by `markov
// train`, or live through the inbox), or every message of one person in this channel (imported ones, its threads'
// included, and live ones of the channel itself).
import { answer, defer, type AdminRequest } from './admin-request.js';
import { discordMessage, humanMessagesOf } from './inbox-lookup.js';
import { IMPORTED_PREFIX, importedSourcesOf } from './imported-source.js';
import { channelScopes, trainingOf } from './markov-stats-command.js';

export async function markovForget(
  request: AdminRequest,
  target: { messageId?: string; user?: string },
): Promise<void> {
  const training = trainingOf(request);
  const channel = request.interaction.channelId;
  channelScopes(training, channel);
  await defer(request.interaction);
  const { store } = request.deps.context;
  let imported = 0;
  let live = 0;
  if (target.messageId !== undefined) {
    const suffix = `:${target.messageId}`;
    imported = training.forgetImported('discord', channel, IMPORTED_PREFIX, (s) => s.endsWith(suffix));
    const stored = discordMessage(store, target.messageId);
    if (stored && !stored.isBot) {
      training.forget(stored);
      live = 1;
    }
  } else if (target.user !== undefined) {
    imported = training.forgetImported('discord', channel, importedSourcesOf(target.user));
    for (const message of humanMessagesOf(store, channel, target.user)) {
      training.forget(message);
      live++;
    }
  }
  const what =
    target.messageId !== undefined ? `message ${target.messageId}` : `<@${target.user}>'s messages`;
  request.logger.info('an admin untrained messages', {
    channel,
    user: request.interaction.user.id,
    ...target,
    imported,
    live,
  });
  await answer(
    request.interaction,
    imported + live === 0
      ? `Nothing to forget: ${what} trained no scope of <#${channel}>`
      : `Forgot ${what}: ${imported} imported row(s) removed from the scopes, ${live} live message(s) untrained`,
  );
}
