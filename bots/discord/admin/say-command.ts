// /chorus say: an entity posts in this channel, either the text given or a reply it generates to the channel's
// latest message (with the engine's generator chain and the channel's recent history). An admin's say is not
// counted against the entity's rate limits.
import { AdminCommandError, answer, defer, type AdminRequest } from './admin-request.js';
import { findEntity } from './entity-lookup.js';
import { truncate } from './message-pages.js';

export async function say(request: AdminRequest, name: string, text?: string): Promise<void> {
  const { context } = request.deps;
  const { interaction } = request;
  const entity = findEntity(context.roster, name);
  if (!entity.platforms.discord) throw new AdminCommandError(`${entity.username} is not on Discord`);
  await defer(interaction);
  const channel = interaction.channelId;
  let parts: string[];
  if (text !== undefined) parts = [text];
  else {
    const [latest] = context.store.inbox.latest('discord', channel, 1);
    if (!latest) {
      throw new AdminCommandError('nothing to answer in this channel yet; give the text to say');
    }
    const reply = await context.responder.respond(entity, latest, context.history.before(latest));
    if (!reply)
      throw new AdminCommandError(`${entity.username} had nothing to say (no generator gave a reply)`);
    parts = reply.parts;
  }
  const ids: string[] = [];
  for (const part of parts) ids.push(await request.deps.speak(entity.id, channel, part));
  request.logger.info('an admin made an entity speak', {
    entity: entity.id,
    channel,
    user: interaction.user.id,
    generated: text === undefined,
    messages: ids,
  });
  const shown = truncate(parts.join(' '), 1500);
  await answer(
    interaction,
    `${entity.username} said (${ids.length} message${ids.length === 1 ? '' : 's'}): ${shown}`,
  );
}
