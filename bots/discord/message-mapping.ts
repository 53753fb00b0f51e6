// How a Discord message becomes an inbox message: which conversation it belongs to (a channel or thread id, or
// `dm:<entity>:<user>` for a direct message), who wrote it (one of our entities' bots or webhooks, another bot,
// a person), whom it mentions, what it answers, and its text with Discord's mention markup made readable.
// Pure: the facts come from discord.js (see discord-facts.ts), the lookups from the adapter.
import { dmChannel, type InboundMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';

/** The parts of a Discord message the mapping reads. */
export interface DiscordMessageFacts {
  id: string;
  channelId: string;
  /** Null in a direct message. */
  guildId: string | null;
  author: { id: string; username: string; displayName: string; bot: boolean };
  /** Set when a webhook posted the message. */
  webhookId: string | null;
  content: string;
  /** Ids of the users the message mentions, with their display names. */
  mentions: ReadonlyMap<string, string>;
  /** The message this one replies to. */
  referenceId: string | undefined;
  attachments: number;
  embeds: number;
  createdAt: number;
}

/** What the mapping needs to know about the fleet. */
export interface DiscordDirectory {
  /** The entity whose own bot has this Discord user id. */
  entityByUserId(userId: string): EntityConfig | undefined;
  /** The token-less entity one of our webhooks posted as (by the post's webhook id and username). */
  entityByWebhook(webhookId: string, username: string): EntityConfig | undefined;
  /** Whether some enabled entity reads this guild channel or thread. */
  isWatched(channelId: string): boolean;
  /** The inbox id of a Discord message, when the inbox holds it. */
  inboxIdOf(discordMessageId: string): number | undefined;
}

/** Where a direct message arrived: the entity whose bot received it, and the person on the other side. */
export interface DirectMessageSide {
  receiver: EntityConfig;
  partnerId: string;
}

export type SkipReason =
  'unwatched channel' | 'direct messages disabled' | 'empty' | 'attachment only' | 'embed only';

export type MappingResult = { ok: true; message: InboundMessage } | { ok: false; reason: SkipReason };

/** Longer texts (not possible from Discord itself, which caps at 4,000) are cut to this many characters. */
export const MAX_INBOUND_CHARS = 4000;

/** Replaces `<@id>`, `<@&id>`, `<#id>` and custom emoji markup with readable text. */
export function readableContent(content: string, nameOf: (userId: string) => string | undefined): string {
  return content
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${nameOf(id) ?? 'someone'}`)
    .replace(/<@&\d+>/g, '@role')
    .replace(/<#\d+>/g, '#channel')
    .replace(/<a?:(\w+):\d+>/g, ':$1:');
}

function cut(text: string): string {
  return text.length > MAX_INBOUND_CHARS ? `${text.slice(0, MAX_INBOUND_CHARS - 1)}…` : text;
}

/**
 * GIVEN a Discord message (and, for a direct message, which entity received it) THEN the inbox message, or why it
 * is skipped: channels no entity reads, direct messages to an entity that does not take them, and messages
 * with no text (empty, or only attachments or embeds; the generators answer text).
 */
export function toInboundMessage(
  facts: DiscordMessageFacts,
  directory: DiscordDirectory,
  direct?: DirectMessageSide,
): MappingResult {
  let channel: string;
  if (facts.guildId === null) {
    if (!direct?.receiver.platforms.discord?.dms) return { ok: false, reason: 'direct messages disabled' };
    channel = dmChannel(direct.receiver.id, direct.partnerId);
  } else {
    if (!directory.isWatched(facts.channelId)) return { ok: false, reason: 'unwatched channel' };
    channel = facts.channelId;
  }

  const entity =
    facts.webhookId !== null
      ? directory.entityByWebhook(facts.webhookId, facts.author.username)
      : directory.entityByUserId(facts.author.id);
  const nameOf = (id: string) => directory.entityByUserId(id)?.username ?? facts.mentions.get(id);
  const text = cut(readableContent(facts.content, nameOf).trim());
  if (!text) {
    const reason = facts.attachments > 0 ? 'attachment only' : facts.embeds > 0 ? 'embed only' : 'empty';
    return { ok: false, reason };
  }

  const mentions = [...facts.mentions.keys()].map((id) => directory.entityByUserId(id)?.id ?? id);
  const replyTo = facts.referenceId === undefined ? undefined : directory.inboxIdOf(facts.referenceId);
  return {
    ok: true,
    message: {
      platform: 'discord',
      channel,
      platformId: facts.id,
      author: entity?.username ?? facts.author.displayName,
      authorId: facts.author.id,
      isBot: facts.author.bot || facts.webhookId !== null,
      ...(entity && { entityId: entity.id }),
      mentions: [...new Set(mentions)],
      ...(replyTo !== undefined && { replyTo }),
      text,
      createdAt: facts.createdAt,
    },
  };
}
