// How an entity speaks in one of its conversations: through its own bot (native replies, typing, DMs) or, for
// an entity without a token, through the channel's webhook with its name and avatar. The sender, the streamed
// previews and the admin commands all post through a Voice, so the two kinds of entity are handled in one place.
import { SnowflakeUtil, type Client, type Message, type SendableChannels } from 'discord.js';
import { dmEntity } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { EntityConnections } from './entity-connections.js';
import { NO_PINGS, fitMessage } from './reply-payload.js';
import type { WebhookPersonas } from './webhook-personas.js';

export interface PostOptions {
  /** The Discord message to reply to natively (webhooks cannot; they post plainly). */
  replyTo?: string | undefined;
  /** Makes Discord drop a repeat of this post (bots only; see reply-payload.ts). */
  nonce?: string | undefined;
}

export interface Posted {
  id: string;
  /** The author id Discord shows: the bot's user id, or the webhook's id. */
  authorId: string;
  createdAt: number;
}

export interface Voice {
  /** The author id its posts carry: the bot's user id, or the webhook's id. */
  authorId: string;
  post(text: string, options?: PostOptions): Promise<Posted>;
  edit(messageId: string, text: string): Promise<void>;
  remove(messageId: string): Promise<void>;
  /** Shows "<entity> is typing…" for about 10 s; absent for webhook personas (it would show the host bot). */
  typing?(): Promise<void>;
}

/** Discord error codes after which retrying the same post is pointless. */
const GONE_CODES = new Set([10003, 10004, 10008, 50001, 50013, 50007]);

/** The conversation can no longer be posted in (deleted channel, lost access): do not retry. */
export class ChannelGoneError extends Error {
  readonly code = 'DISCORD_CHANNEL_GONE';
}

export function isGone(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return error instanceof ChannelGoneError || (typeof code === 'number' && GONE_CODES.has(code));
}

export interface EntityVoicesOptions {
  connections: EntityConnections;
  personas: WebhookPersonas;
  /** Direct-message channels remembered at most (inbox channel → Discord channel id). */
  maxDmChannels?: number;
}

export class EntityVoices {
  /** `dm:<entity>:<user>` → the Discord DM channel id, learned from inbound DMs. */
  readonly #dmChannels = new Map<string, string>();

  constructor(private readonly o: EntityVoicesOptions) {}

  /** Remembers the Discord channel of a direct-message conversation. */
  rememberDm(inboxChannel: string, discordChannelId: string): void {
    if (this.#dmChannels.has(inboxChannel)) return;
    if (this.#dmChannels.size >= (this.o.maxDmChannels ?? 10_000)) this.#dmChannels.clear();
    this.#dmChannels.set(inboxChannel, discordChannelId);
  }

  async #channel(client: Client<true>, inboxChannel: string): Promise<SendableChannels> {
    let channel;
    try {
      if (dmEntity(inboxChannel) !== undefined) {
        const known = this.#dmChannels.get(inboxChannel);
        const user = inboxChannel.slice(inboxChannel.indexOf(':', 3) + 1);
        channel = known ? await client.channels.fetch(known) : await client.users.createDM(user);
      } else {
        channel = await client.channels.fetch(inboxChannel);
      }
    } catch (error) {
      if (isGone(error)) throw new ChannelGoneError(`channel ${inboxChannel} is gone or out of reach`);
      throw error;
    }
    if (!channel?.isSendable()) throw new ChannelGoneError(`channel ${inboxChannel} cannot take messages`);
    return channel;
  }

  /** The entity's voice in a conversation (an inbox channel: a Discord channel id or `dm:<entity>:<user>`). */
  async voice(entity: EntityConfig, inboxChannel: string): Promise<Voice> {
    const { connections, personas } = this.o;
    const state = connections.states().get(entity.id);
    if (state === 'webhook') {
      if (dmEntity(inboxChannel) !== undefined) {
        throw new ChannelGoneError(`entity "${entity.id}" has no bot of its own to answer direct messages`);
      }
      const { webhook } = await personas.webhookFor(inboxChannel);
      return {
        authorId: webhook.id,
        post: async (text) => {
          const id = await personas.post(entity, inboxChannel, text);
          return { id, authorId: webhook.id, createdAt: SnowflakeUtil.timestampFrom(id) };
        },
        edit: (id, text) => personas.edit(inboxChannel, id, text),
        remove: (id) => personas.remove(inboxChannel, id),
      };
    }
    const client = connections.clientOf(entity.id);
    if (!client)
      throw new Error(`the Discord bot of entity "${entity.id}" is not connected (${state ?? 'unknown'})`);
    const channel = await this.#channel(client, inboxChannel);
    return {
      authorId: client.user.id,
      post: async (text, options = {}) => {
        const sent: Message = await channel.send({
          content: fitMessage(text),
          allowedMentions: NO_PINGS,
          ...(options.nonce !== undefined && { nonce: options.nonce, enforceNonce: true }),
          ...(options.replyTo !== undefined && {
            reply: { messageReference: options.replyTo, failIfNotExists: false },
          }),
        });
        return { id: sent.id, authorId: client.user.id, createdAt: sent.createdTimestamp };
      },
      edit: async (id, text) => {
        await channel.messages.edit(id, { content: fitMessage(text), allowedMentions: NO_PINGS });
      },
      remove: async (id) => {
        await channel.messages.delete(id);
      },
      typing: async () => {
        await channel.sendTyping();
      },
    };
  }
}
