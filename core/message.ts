// The one message type every platform adapter normalises to, and the stored form of it.

export type Platform = 'web' | 'discord' | 'signal';

/** Which path produced a reply: a language model, the Markov fallback, or nothing (no generator available). */
export type ReplySource = 'llm' | 'markov' | 'none';

export interface InboundMessage {
  platform: Platform;
  /** The conversation within the platform: a web channel name, a Discord channel id, a Signal group or DM. */
  channel: string;
  /** The platform's own id for the message; (platform, platformId) is unique in the inbox. */
  platformId: string;
  /** Display name of the author. */
  author: string;
  /** Stable id of the author on the platform. */
  authorId: string;
  isBot: boolean;
  /** Set when one of our entities wrote the message. */
  entityId?: string | undefined;
  /** For an entity's message: how it was produced. */
  source?: ReplySource | undefined;
  /** Entity ids or platform user ids the platform reported as explicitly mentioned. */
  mentions: string[];
  /** Inbox id of the message this one answers. */
  replyTo?: number | undefined;
  text: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface StoredMessage extends InboundMessage {
  /** Inbox id: increasing in arrival order. */
  id: number;
}

/** What the inbox stores for a message one of our entities posted: a reply it sent, a briefing. */
export interface EntityPost {
  platform: Platform;
  channel: string;
  platformId: string;
  entity: { id: string; username: string };
  /** The author's id on the platform (default: the entity id). */
  authorId?: string;
  text: string;
  createdAt: number;
  source?: ReplySource | undefined;
  replyTo?: number | undefined;
}

export function entityMessage(post: EntityPost): InboundMessage {
  return {
    platform: post.platform,
    channel: post.channel,
    platformId: post.platformId,
    author: post.entity.username,
    authorId: post.authorId ?? post.entity.id,
    isBot: true,
    entityId: post.entity.id,
    source: post.source,
    replyTo: post.replyTo,
    mentions: [],
    text: post.text,
    createdAt: post.createdAt,
  };
}

export const channelKey = (m: Pick<InboundMessage, 'platform' | 'channel'>): string =>
  `${m.platform}:${m.channel}`;

/** A direct-message conversation is `dm:<entityId>:<user>`: it belongs to one entity. */
export const dmChannel = (entityId: string, user: string): string => `dm:${entityId}:${user}`;

/** The entity a direct-message channel belongs to, or undefined for a group channel. */
export function dmEntity(channel: string): string | undefined {
  if (!channel.startsWith('dm:')) return undefined;
  const end = channel.indexOf(':', 3);
  return end > 3 ? channel.slice(3, end) : undefined;
}
