// Which channels a bot may use over REST: every guild channel and thread (all bots are in all guilds), and only its
// own DM channels (another bot's DM is 403 Missing Access, an unknown id 404 Unknown Channel).
import { missingAccess, unknownChannel, type RouteContext, type RouteResult } from './rest-server.js';
import { ChannelType, type BotState, type ChannelState, type FakeWorld } from './state.js';
import type { FakeMessage } from './types.js';

export function visibleChannel(world: FakeWorld, bot: BotState, id: string): ChannelState | RouteResult {
  const channel = world.channels.get(id);
  if (!channel) return unknownChannel();
  if (channel.type === ChannelType.DM && channel.botUserId !== bot.userId) return missingAccess();
  return channel;
}

/** Wraps a handler for routes whose first capture is a channel id the bot must be able to see. */
export function withChannel(
  world: FakeWorld,
  handle: (c: RouteContext, channel: ChannelState) => RouteResult,
): (c: RouteContext) => RouteResult {
  return (c) => {
    const channel = visibleChannel(world, c.bot, c.params[0] ?? '');
    return 'status' in channel ? channel : handle(c, channel);
  };
}

/** A message of the channel that is not deleted. */
export function liveMessage(world: FakeWorld, channel: ChannelState, id: string): FakeMessage | undefined {
  const message = world.message(channel.id, id);
  return message && !message.deleted ? message : undefined;
}
