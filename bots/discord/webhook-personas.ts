// Entities without a bot token speak through one "Chorus" webhook per channel, owned by the webhook host's
// bot, with their username and avatar on each post (as PluralKit does). Webhooks cannot post native replies,
// DMs or typing indicators; a thread's posts go through its parent channel's webhook with `threadId`.
import type { Client, Webhook, WebhookType } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import type { EntityConfig } from '../../entities/config/index.js';
import { NO_PINGS, fitMessage } from './reply-payload.js';

export const WEBHOOK_NAME = 'Chorus';

type IncomingWebhook = Webhook<WebhookType.Incoming>;
interface ChannelWebhook {
  webhook: IncomingWebhook;
  /** Set when the channel is a thread of the webhook's channel. */
  threadId: string | undefined;
}

/** Discord refuses webhook usernames containing "discord" or "clyde", and longer than 80 characters. */
export function webhookUsername(name: string): string {
  const safe = name.replace(
    /(d)(iscord)|(c)(lyde)/gi,
    (_m, a?: string, b?: string, c?: string, d?: string) =>
      a !== undefined ? `${a}\u200a${b}` : `${c}\u200a${d}`,
  );
  return safe.length > 80 ? safe.slice(0, 80) : safe.padEnd(2, '\u17b5');
}

export class WebhookPersonas {
  readonly #byChannel = new Map<string, Promise<ChannelWebhook>>();
  readonly #ids = new Set<string>();

  constructor(
    private readonly host: () => Client | undefined,
    private readonly logger: Logger,
    private readonly maxChannels = 1000,
  ) {}

  /** Whether a webhook id is one of ours (so its posts are recorded as the entity's). */
  owns(webhookId: string): boolean {
    return this.#ids.has(webhookId);
  }

  async #find(channelId: string): Promise<ChannelWebhook> {
    const client = this.host();
    if (!client?.isReady()) throw new Error('the webhook host bot is not connected');
    const channel = await client.channels.fetch(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    const threadId = channel.isThread() ? channel.id : undefined;
    const parent = channel.isThread() ? channel.parent : channel;
    if (!parent || !('fetchWebhooks' in parent)) throw new Error(`channel ${channelId} takes no webhooks`);
    const existing = (await parent.fetchWebhooks()).find(
      (w) => w.name === WEBHOOK_NAME && w.owner?.id === client.user.id && w.token !== null,
    );
    const webhook =
      (existing as IncomingWebhook | undefined) ??
      (await parent.createWebhook({
        name: WEBHOOK_NAME,
        reason: 'Chorus personas without a bot of their own',
      }));
    this.#ids.add(webhook.id);
    this.logger.debug('channel webhook ready', { channel: channelId, created: !existing });
    return { webhook, threadId };
  }

  /** The channel's webhook, found or created once (concurrent callers share the lookup). */
  webhookFor(channelId: string): Promise<ChannelWebhook> {
    let found = this.#byChannel.get(channelId);
    if (!found) {
      if (this.#byChannel.size >= this.maxChannels) this.#byChannel.clear();
      found = this.#find(channelId);
      found.catch(() => this.#byChannel.delete(channelId));
      this.#byChannel.set(channelId, found);
    }
    return found;
  }

  /** Posts as the entity; resolves to the message id. */
  async post(entity: EntityConfig, channelId: string, text: string): Promise<string> {
    const { webhook, threadId } = await this.webhookFor(channelId);
    const avatarURL = entity.platforms.discord?.avatarUrl;
    try {
      const message = await webhook.send({
        content: fitMessage(text),
        username: webhookUsername(entity.username),
        ...(avatarURL !== undefined && { avatarURL }),
        allowedMentions: NO_PINGS,
        ...(threadId !== undefined && { threadId }),
      });
      return message.id;
    } catch (error) {
      // 10015 Unknown Webhook: someone deleted it; look it up again next time.
      if ((error as { code?: unknown }).code === 10015) this.#byChannel.delete(channelId);
      throw error;
    }
  }

  async edit(channelId: string, messageId: string, text: string): Promise<void> {
    const { webhook, threadId } = await this.webhookFor(channelId);
    await webhook.editMessage(messageId, {
      content: fitMessage(text),
      allowedMentions: NO_PINGS,
      ...(threadId !== undefined && { threadId }),
    });
  }

  async remove(channelId: string, messageId: string): Promise<void> {
    const { webhook, threadId } = await this.webhookFor(channelId);
    await webhook.deleteMessage(messageId, threadId);
  }
}
