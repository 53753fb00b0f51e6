// REST routes for the gateway URL, the bot's own user and application, users, guilds (channels, members, roles,
// active threads), single channels, archived threads and DM channel creation.
import { withChannel } from './channel-access.js';
import { error, ok, type Route } from './rest-server.js';
import {
  botUserObject,
  channelObject,
  everyoneRole,
  guildObject,
  memberObject,
  userObject,
} from './shapes.js';
import { ChannelType, type FakeWorld, type GuildState } from './state.js';

const ID = '([^/]+)';

export function guildRoutes(world: FakeWorld, gatewayUrl: () => string): Route[] {
  const guildOf = (id: string | undefined): GuildState | undefined => world.guilds.find((g) => g.id === id);
  const unknownGuild = () => error(404, 10004, 'Unknown Guild');
  return [
    {
      method: 'GET',
      pattern: /^\/gateway\/bot$/,
      auth: 'bot',
      handle: () =>
        ok({
          url: gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: /^\/gateway$/, auth: 'none', handle: () => ok({ url: gatewayUrl() }) },
    { method: 'GET', pattern: /^\/users\/@me$/, auth: 'bot', handle: (c) => ok(botUserObject(c.bot)) },
    {
      method: 'GET',
      pattern: /^\/applications\/@me$/,
      auth: 'bot',
      handle: (c) =>
        ok({
          id: c.bot.applicationId,
          name: c.bot.username,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          flags: 0,
          bot: botUserObject(c.bot),
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/users/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const user = world.users.get(c.params[0] ?? '');
        return user ? ok(userObject(user)) : error(404, 10013, 'Unknown User');
      },
    },
    {
      method: 'POST',
      pattern: /^\/users\/@me\/channels$/,
      auth: 'bot',
      handle: (c) => {
        const user = world.users.get(String(c.body?.recipient_id ?? ''));
        if (!user) return error(404, 10013, 'Unknown User');
        return ok(channelObject(world, world.dmChannel(c.bot, user)));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        return guild ? ok(guildObject(guild)) : unknownGuild();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/channels$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        if (!guild) return unknownGuild();
        const channels = world.guildChannels(guild.id).filter((ch) => ch.type !== ChannelType.PublicThread);
        return ok(channels.map((ch) => channelObject(world, ch)));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/roles$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        return guild ? ok([everyoneRole(guild)]) : unknownGuild();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/members$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        if (!guild) return unknownGuild();
        const limit = Math.min(Math.max(Number(c.query['limit'] ?? 1), 1), 1000);
        return ok([...world.users.values()].slice(0, limit).map((u) => memberObject(world, guild, u)));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/members/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        if (!guild) return unknownGuild();
        const user = world.users.get(c.params[1] ?? '');
        return user ? ok(memberObject(world, guild, user)) : error(404, 10007, 'Unknown Member');
      },
    },
    {
      // The bot sets its own nickname; the fake answers with the member but keeps no nicknames.
      method: 'PATCH',
      pattern: new RegExp(`^/guilds/${ID}/members/(?:@|%40)me$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        if (!guild) return unknownGuild();
        const member = memberObject(world, guild, { id: c.bot.userId, username: c.bot.username, bot: true });
        return ok({ ...member, nick: typeof c.body?.nick === 'string' ? c.body.nick : null });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/threads/active$`),
      auth: 'bot',
      handle: (c) => {
        const guild = guildOf(c.params[0]);
        if (!guild) return unknownGuild();
        const threads = world.guildChannels(guild.id).filter((ch) => ch.type === ChannelType.PublicThread);
        return ok({ threads: threads.map((t) => channelObject(world, t)), members: [] });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/threads/archived/(?:public|private)$`),
      auth: 'bot',
      handle: withChannel(world, () => ok({ threads: [], members: [], has_more: false })),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}$`),
      auth: 'bot',
      handle: withChannel(world, (_c, channel) => ok(channelObject(world, channel))),
    },
  ];
}
