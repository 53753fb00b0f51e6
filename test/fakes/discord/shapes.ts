// Discord API object shapes built from the fake's state: users, members, channels, GUILD_CREATE, and messages
// as the wire carries them (the fake's bookkeeping fields stripped). Field lists follow discord-api-types v10.
import {
  ChannelType,
  iso,
  type BotState,
  type ChannelState,
  type FakeWorld,
  type GuildState,
} from './state.js';
import type { FakeMessage, FakeUser } from './types.js';

/** @everyone's permissions in the fake's guilds (Discord's default set for a new server). */
export const EVERYONE_PERMISSIONS = '2222085186637376';
/** Every permission: what the bots get, so no route refuses them for lack of a permission. */
export const ALL_PERMISSIONS = '2251799813685247';

type Json = Record<string, unknown>;

export function userObject(user: FakeUser): Json {
  return {
    id: user.id,
    username: user.username,
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: user.bot ?? false,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function botUserObject(bot: BotState): Json {
  return {
    ...userObject({ id: bot.userId, username: bot.username, bot: true }),
    verified: true,
    mfa_enabled: false,
  };
}

export function memberObject(world: FakeWorld, guild: GuildState, user: FakeUser, withUser = true): Json {
  return {
    ...(withUser && { user: userObject(user) }),
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: guild.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(world.botByUserId(user.id) && { permissions: ALL_PERMISSIONS }),
  };
}

export function channelObject(world: FakeWorld, channel: ChannelState): Json {
  if (channel.type === ChannelType.DM) {
    return {
      id: channel.id,
      type: ChannelType.DM,
      last_message_id: channel.lastMessageId,
      flags: 0,
      recipients: channel.recipient ? [userObject(channel.recipient)] : [],
    };
  }
  const base = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (channel.type === ChannelType.PublicThread) {
    const count = world.messages.get(channel.id)?.filter((m) => !m.deleted).length ?? 0;
    return {
      ...base,
      parent_id: channel.parentId,
      owner_id: world.guilds.find((g) => g.id === channel.guildId)?.ownerId,
      message_count: count,
      total_message_sent: count,
      member_count: 1,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: iso(channel.createdAt),
        locked: false,
        create_timestamp: iso(channel.createdAt),
      },
    };
  }
  return {
    ...base,
    position: channel.position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    default_auto_archive_duration: 1440,
  };
}

export function everyoneRole(guild: GuildState): Json {
  return {
    id: guild.id,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: EVERYONE_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function guildObject(guild: GuildState): Json {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [everyoneRole(guild)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
  };
}

/** GUILD_CREATE's payload: the guild with its channels, threads, members (bots and known people) and the rest. */
export function guildCreate(world: FakeWorld, guild: GuildState): Json {
  const channels = world.guildChannels(guild.id);
  const members = [...world.users.values()].map((u) => memberObject(world, guild, u));
  return {
    ...guildObject(guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    members,
    channels: channels.filter((c) => c.type !== ChannelType.PublicThread).map((c) => channelObject(world, c)),
    threads: channels.filter((c) => c.type === ChannelType.PublicThread).map((c) => channelObject(world, c)),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A stored message as REST returns it: the fake's bookkeeping (allowed_mentions, deleted, …) left out. */
export function messageObject(world: FakeWorld, message: FakeMessage, depth = 0): Json {
  const { allowed_mentions: _a, deleted: _d, interaction_id: _i, ...wire } = message;
  const referenced =
    message.message_reference && depth === 0
      ? world.message(
          message.message_reference.channel_id ?? message.channel_id,
          message.message_reference.message_id,
        )
      : undefined;
  return {
    ...wire,
    ...(message.message_reference &&
      depth === 0 && {
        referenced_message: referenced && !referenced.deleted ? messageObject(world, referenced, 1) : null,
      }),
  };
}

/** A message as MESSAGE_CREATE / MESSAGE_UPDATE carry it: plus `member` for guild posts by members and `channel_type`. */
export function messageEvent(world: FakeWorld, message: FakeMessage): Json {
  const channel = world.channels.get(message.channel_id);
  const guild = world.guilds.find((g) => g.id === message.guild_id);
  const author = world.users.get(message.author.id);
  return {
    ...messageObject(world, message),
    ...(channel && { channel_type: channel.type }),
    ...(guild &&
      author &&
      message.webhook_id === undefined && { member: memberObject(world, guild, author, false) }),
  };
}
