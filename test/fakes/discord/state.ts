// The fake Discord's world: bots, guilds, channels (text, threads, DMs), people, stored messages, webhooks and
// registered commands. Plain data plus lookups; the REST routes and the gateway read and change it.
import { SnowflakeGenerator } from './snowflake.js';
import type { FakeDiscordOptions, FakeMessage, FakeUser } from './types.js';

export const ChannelType = { GuildText: 0, DM: 1, PublicThread: 11 } as const;

export interface BotState {
  token: string;
  userId: string;
  applicationId: string;
  username: string;
  disallowedIntents: number;
  revoked: boolean;
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
}

export interface ChannelState {
  id: string;
  name: string;
  type: number;
  position: number;
  guildId?: string;
  /** threads: the parent channel id */
  parentId?: string;
  /** DMs: the bot that owns the channel and the person on the other side */
  botUserId?: string;
  recipient?: FakeUser;
  lastMessageId: string | null;
  createdAt: number;
}

export interface WebhookState {
  id: string;
  token: string;
  name: string;
  channelId: string;
  guildId: string;
  applicationId: string;
  creatorId: string;
}

export interface CommandState {
  [key: string]: unknown;
  id: string;
  name: string;
}

export class FakeWorld {
  readonly ids: SnowflakeGenerator;
  readonly bots: BotState[] = [];
  readonly guilds: GuildState[] = [];
  readonly channels = new Map<string, ChannelState>();
  /** people (and bots) by id: guild members and DM partners */
  readonly users = new Map<string, FakeUser>();
  readonly messages = new Map<string, FakeMessage[]>();
  readonly webhooks = new Map<string, WebhookState>();
  /** `${applicationId}:${guildId or 'global'}` → commands */
  readonly commands = new Map<string, CommandState[]>();
  /** `${authorId}:${nonce}` → the message created with that nonce and when */
  readonly nonces = new Map<string, { message: FakeMessage; at: number }>();

  constructor(
    options: FakeDiscordOptions,
    readonly now: () => number,
  ) {
    this.ids = new SnowflakeGenerator(now);
    for (const spec of options.bots) {
      if (this.bots.some((b) => b.token === spec.token))
        throw new Error(`fake discord: duplicate bot token for ${spec.username}`);
      const userId = spec.userId ?? this.ids.next();
      this.bots.push({
        token: spec.token,
        userId,
        applicationId: spec.applicationId ?? userId,
        username: spec.username,
        disallowedIntents: spec.disallowedIntents ?? 0,
        revoked: false,
      });
      this.users.set(userId, { id: userId, username: spec.username, bot: true });
    }
    for (const user of options.users ?? []) this.users.set(user.id, { ...user });
    const ownerId = this.bots[0]?.userId ?? this.ids.next();
    for (const spec of options.guilds) {
      const guild: GuildState = {
        id: spec.id ?? this.ids.next(),
        name: spec.name,
        ownerId,
        joinedAt: iso(now()),
      };
      this.guilds.push(guild);
      let position = 0;
      for (const channel of spec.channels.filter((c) => c.parent === undefined)) {
        this.addChannel({
          id: channel.id ?? this.ids.next(),
          name: channel.name,
          type: ChannelType.GuildText,
          position: position++,
          guildId: guild.id,
        });
      }
      for (const thread of spec.channels.filter((c) => c.parent !== undefined)) {
        const parent = [...this.channels.values()].find(
          (c) =>
            c.guildId === guild.id &&
            c.type === ChannelType.GuildText &&
            (c.name === thread.parent || c.id === thread.parent),
        );
        if (!parent)
          throw new Error(
            `fake discord: thread ${thread.name} names unknown parent channel ${thread.parent}`,
          );
        this.addChannel({
          id: thread.id ?? this.ids.next(),
          name: thread.name,
          type: ChannelType.PublicThread,
          position: 0,
          guildId: guild.id,
          parentId: parent.id,
        });
      }
    }
  }

  private addChannel(channel: Omit<ChannelState, 'lastMessageId' | 'createdAt'>): ChannelState {
    if (this.channels.has(channel.id)) throw new Error(`fake discord: duplicate channel id ${channel.id}`);
    const state: ChannelState = { ...channel, lastMessageId: null, createdAt: this.now() };
    this.channels.set(state.id, state);
    this.messages.set(state.id, []);
    return state;
  }

  botByToken(token: string | undefined): BotState | undefined {
    return token === undefined ? undefined : this.bots.find((b) => b.token === token);
  }

  requireBot(token: string): BotState {
    const bot = this.botByToken(token);
    if (!bot) throw new Error(`fake discord: no bot with token ${JSON.stringify(token)}`);
    return bot;
  }

  botByUserId(userId: string): BotState | undefined {
    return this.bots.find((b) => b.userId === userId);
  }

  requireChannel(channelId: string): ChannelState {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake discord: no channel ${channelId}`);
    return channel;
  }

  guildChannels(guildId: string): ChannelState[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId);
  }

  /** Remembers a person (a guild member from now on); keeps the first username seen unless a new one is given. */
  rememberUser(user: FakeUser): FakeUser {
    const known = this.users.get(user.id);
    const merged = { ...known, ...user };
    this.users.set(user.id, merged);
    return merged;
  }

  /** The DM channel of (bot, person), created on first use. */
  dmChannel(bot: BotState, user: FakeUser): ChannelState {
    const existing = [...this.channels.values()].find(
      (c) => c.type === ChannelType.DM && c.botUserId === bot.userId && c.recipient?.id === user.id,
    );
    if (existing) return existing;
    return this.addChannel({
      id: this.ids.next(),
      name: `dm-${user.username}`,
      type: ChannelType.DM,
      position: 0,
      botUserId: bot.userId,
      recipient: this.rememberUser(user),
    });
  }

  /** A message by id in a channel (deleted ones included). */
  message(channelId: string, messageId: string): FakeMessage | undefined {
    return this.messages.get(channelId)?.find((m) => m.id === messageId);
  }

  /** Every message anywhere, oldest first per channel. */
  allMessages(): FakeMessage[] {
    return [...this.messages.values()].flat();
  }

  /** Bots that receive a channel's events: every bot for guild channels, the owner for DMs. */
  audience(channel: ChannelState): BotState[] {
    if (channel.type === ChannelType.DM) return this.bots.filter((b) => b.userId === channel.botUserId);
    return this.bots;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
