// Creating, editing and deleting messages the way Discord does, and telling the bots: mentions computed from the
// content and filtered by allowed_mentions, replies (type 19), enforce_nonce dedupe, and per-bot payloads that
// honour the GUILD_MESSAGES / DIRECT_MESSAGES / MESSAGE_CONTENT intents.
import { GatewayIntent, type FakeGateway, type GatewaySession } from './gateway.js';
import { messageEvent, userObject } from './shapes.js';
import { ChannelType, iso, type BotState, type ChannelState, type FakeWorld } from './state.js';
import type { FakeAllowedMentions, FakeMessage, FakeUser } from './types.js';

/** How long a nonce sent with enforce_nonce keeps returning the first message ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;
export const MessageType = { Default: 0, Reply: 19, ChatInputCommand: 20 } as const;
export const MessageFlags = { Ephemeral: 64, Loading: 128 } as const;

export interface NewMessage {
  channel: ChannelState;
  author: FakeUser;
  content: string;
  embeds?: object[];
  attachments?: object[];
  /** user ids mentioned; default: the `<@id>` tokens in the content */
  mentions?: string[];
  allowedMentions?: FakeAllowedMentions;
  reference?: { message_id: string; channel_id?: string; guild_id?: string };
  nonce?: string;
  enforceNonce?: boolean;
  webhookId?: string;
  flags?: number;
  type?: number;
  interactionId?: string;
  /** Discord's interaction_metadata on interaction responses and follow-ups */
  interactionMetadata?: object;
  /** false: stored but not dispatched (ephemeral interaction responses) */
  visible?: boolean;
}

export class MessageBook {
  constructor(
    private readonly world: FakeWorld,
    private readonly gateway: FakeGateway,
  ) {}

  /** Stores and dispatches a message; with enforce_nonce, a repeat of a recent nonce returns the first message. */
  create(input: NewMessage): { message: FakeMessage; created: boolean } {
    const nonceKey = input.nonce !== undefined ? `${input.author.id}:${input.nonce}` : undefined;
    if (nonceKey && input.enforceNonce) {
      const earlier = this.world.nonces.get(nonceKey);
      if (earlier && this.world.now() - earlier.at <= NONCE_WINDOW_MS)
        return { message: earlier.message, created: false };
    }
    const channel = input.channel;
    const now = this.world.now();
    const message: FakeMessage = {
      id: this.world.ids.next(now),
      type: input.type ?? (input.reference ? MessageType.Reply : MessageType.Default),
      channel_id: channel.id,
      ...(channel.guildId !== undefined && { guild_id: channel.guildId }),
      author: userObject(input.author) as FakeMessage['author'],
      content: input.content,
      timestamp: iso(now),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: (input.attachments ?? []).map((a) => this.attachment(a)),
      embeds: input.embeds ?? [],
      components: [],
      pinned: false,
      flags: input.flags ?? 0,
      ...(input.reference && {
        message_reference: {
          type: 0,
          channel_id: channel.id,
          ...(channel.guildId !== undefined && { guild_id: channel.guildId }),
          ...input.reference,
        },
      }),
      ...(input.nonce !== undefined && { nonce: input.nonce }),
      ...(input.webhookId !== undefined && { webhook_id: input.webhookId }),
      ...(input.allowedMentions !== undefined && { allowed_mentions: input.allowedMentions }),
      ...(input.interactionId !== undefined && { interaction_id: input.interactionId }),
      ...(input.interactionMetadata !== undefined && { interaction_metadata: input.interactionMetadata }),
    };
    this.applyMentions(message, input.mentions, input.allowedMentions);
    if (nonceKey) this.world.nonces.set(nonceKey, { message, at: now });
    // Ephemeral responses belong to their interaction only: not in the channel's history, not dispatched.
    if (input.visible === false) return { message, created: true };
    this.world.messages.get(channel.id)?.push(message);
    channel.lastMessageId = message.id;
    if (input.webhookId === undefined) this.world.rememberUser(input.author);
    this.dispatch(channel, 'MESSAGE_CREATE', message);
    return { message, created: true };
  }

  /** Changes a message's content (and embeds when given) and sends MESSAGE_UPDATE with the full message. */
  update(
    message: FakeMessage,
    changes: { content?: string; embeds?: object[]; flags?: number },
    visible = true,
  ): FakeMessage {
    if (changes.content !== undefined) message.content = changes.content;
    if (changes.embeds !== undefined) message.embeds = changes.embeds;
    if (changes.flags !== undefined) message.flags = changes.flags;
    message.edited_timestamp = iso(this.world.now());
    if (changes.content !== undefined) this.applyMentions(message, undefined, message.allowed_mentions);
    const channel = this.world.channels.get(message.channel_id);
    if (channel && visible) this.dispatch(channel, 'MESSAGE_UPDATE', message);
    return message;
  }

  /** Marks a message deleted and sends MESSAGE_DELETE {id, channel_id, guild_id}. */
  remove(message: FakeMessage): void {
    message.deleted = true;
    const channel = this.world.channels.get(message.channel_id);
    if (!channel) return;
    const d = {
      id: message.id,
      channel_id: message.channel_id,
      ...(message.guild_id !== undefined && { guild_id: message.guild_id }),
    };
    this.gateway.dispatch(this.world.audience(channel), 'MESSAGE_DELETE', (s: GatewaySession) =>
      hasIntent(s, channel) ? d : undefined,
    );
  }

  private dispatch(
    channel: ChannelState,
    t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE',
    message: FakeMessage,
  ): void {
    const full = messageEvent(this.world, message);
    this.gateway.dispatch(this.world.audience(channel), t, (session: GatewaySession) => {
      if (!hasIntent(session, channel)) return undefined;
      const contentIntent = (session.intents & GatewayIntent.MessageContent) !== 0;
      return asReadBy(session.bot, contentIntent, channel, message, full);
    });
  }

  private applyMentions(
    message: FakeMessage,
    explicit: string[] | undefined,
    allowed: FakeAllowedMentions | undefined,
  ): void {
    const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
    const ids = explicit ?? [...message.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
    const users = new Set(ids.filter((id) => parse.includes('users') || allowed?.users?.includes(id)));
    const repliedUser = allowed ? (allowed.replied_user ?? false) : true;
    if (message.message_reference && repliedUser) {
      const ref = message.message_reference;
      const parent = this.world.message(ref.channel_id ?? message.channel_id, ref.message_id);
      if (parent && parent.author.id !== message.author.id) users.add(parent.author.id);
    }
    message.mentions = [...users].flatMap((id) => {
      const user = this.world.users.get(id);
      return user ? [userObject(user)] : [];
    });
    message.mention_everyone = /@(everyone|here)\b/.test(message.content) && parse.includes('everyone');
  }

  private attachment(spec: object): object {
    const a = spec as { filename?: string; size?: number };
    const id = this.world.ids.next();
    const filename = a.filename ?? 'file';
    const url = `http://127.0.0.1/attachments/${id}/${filename}`;
    return { ...spec, id, filename, size: a.size ?? 0, url, proxy_url: url };
  }
}

function hasIntent(session: GatewaySession, channel: ChannelState): boolean {
  const needed = channel.type === ChannelType.DM ? GatewayIntent.DirectMessages : GatewayIntent.GuildMessages;
  return (session.intents & needed) !== 0;
}

/** Discord blanks content for bots without MESSAGE_CONTENT, except DMs, their own messages and mentions of them. */
export function canReadContent(
  bot: BotState,
  hasContentIntent: boolean,
  channel: ChannelState,
  message: FakeMessage,
): boolean {
  if (hasContentIntent || channel.type === ChannelType.DM) return true;
  return (
    message.author.id === bot.userId || message.mentions.some((m) => (m as { id: string }).id === bot.userId)
  );
}

/** The message as a bot may read it: content, embeds, attachments and components blanked when it may not. */
export function asReadBy<T extends object>(
  bot: BotState,
  hasContentIntent: boolean,
  channel: ChannelState,
  message: FakeMessage,
  wire: T,
): T {
  if (canReadContent(bot, hasContentIntent, channel, message)) return wire;
  return { ...wire, content: '', embeds: [], attachments: [], components: [] };
}
