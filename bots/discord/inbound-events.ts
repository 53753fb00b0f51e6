// What one entity's Client hears: new messages go to the inbox (every client hears the same guild message; the
// inbox keeps one), direct messages to this entity's bot become its `dm:` conversation, and edits and deletions
// update what the Markov chains learned. Our own entities' posts are skipped: the sender records them with
// their source, and a streamed preview must not reach the inbox before it is final.
import {
  Events,
  type Client,
  type Message,
  type OmitPartialGroupDMChannel,
  type PartialMessage,
} from 'discord.js';
import type { Logger } from '../../core/logger.js';
import type { ChorusStore } from '../../store/index.js';
import type { ChannelHistory } from '../engine/channel-history.js';
import { applyEdit } from '../engine/message-edits.js';
import type { MarkovTraining } from '../generation/markov-training.js';
import type { EntityConfig } from '../../entities/config/index.js';
import { messageFacts } from './discord-facts.js';
import type { EntityVoices } from './entity-voices.js';
import { readableContent, toInboundMessage, type DiscordDirectory } from './message-mapping.js';

export interface InboundEventsOptions {
  directory: DiscordDirectory;
  store: ChorusStore;
  voices: EntityVoices;
  training: MarkovTraining | undefined;
  /** The engine's recent history, shown an edited message's new text. */
  history?: ChannelHistory | undefined;
  logger: Logger;
  wakeEngine(): void;
}

type AnyMessage = OmitPartialGroupDMChannel<Message | PartialMessage>;

export interface InboundEvents {
  /** Takes one message as if the gateway had just delivered it (catch-up after downtime). */
  handle(message: Message): void;
  detach(): void;
}

export function attachInboundEvents(
  client: Client,
  receiver: EntityConfig,
  o: InboundEventsOptions,
): InboundEvents {
  const log = o.logger.child({ entity: receiver.id });
  const { directory, store } = o;

  const onCreate = (message: OmitPartialGroupDMChannel<Message>) => {
    try {
      const ours =
        message.webhookId !== null
          ? directory.entityByWebhook(message.webhookId, message.author.username)
          : directory.entityByUserId(message.author.id);
      if (ours) return;
      const dm = message.guildId === null;
      const facts = messageFacts(message);
      const mapped = toInboundMessage(
        facts,
        directory,
        dm ? { receiver, partnerId: message.author.id } : undefined,
      );
      if (!mapped.ok) {
        log.debug('Discord message skipped', {
          message: message.id,
          channel: message.channelId,
          reason: mapped.reason,
        });
        return;
      }
      if (dm) o.voices.rememberDm(mapped.message.channel, message.channelId);
      if (store.inbox.insert(mapped.message).inserted) o.wakeEngine();
    } catch (error) {
      log.error('Discord message could not be stored', { message: message.id, error: String(error) });
    }
  };

  const onDelete = (message: AnyMessage) => {
    const stored = store.inbox.byPlatformId('discord', message.id);
    if (!stored || stored.entityId !== undefined) return;
    applyEdit(stored, '', { inbox: store.inbox, training: o.training });
    log.debug('Discord message deleted; untrained', { message: stored.id });
  };

  const onUpdate = (_old: AnyMessage, updated: AnyMessage) => {
    if (typeof updated.content !== 'string') return;
    const stored = store.inbox.byPlatformId('discord', updated.id);
    if (!stored || stored.entityId !== undefined) return;
    const nameOf = (id: string) => {
      const user = updated.mentions?.users.get(id);
      return directory.entityByUserId(id)?.username ?? user?.globalName ?? user?.username;
    };
    const text = readableContent(updated.content, nameOf).trim();
    // Every client hears the edit; the first one applies it. An edit that empties the text only untrains.
    const outcome = applyEdit(stored, text, { inbox: store.inbox, history: o.history, training: o.training });
    if (outcome !== 'unchanged') log.debug(`Discord message edited; ${outcome}`, { message: stored.id });
  };

  client.on(Events.MessageCreate, onCreate);
  client.on(Events.MessageDelete, onDelete);
  client.on(Events.MessageUpdate, onUpdate);
  return {
    handle: (message) => onCreate(message as OmitPartialGroupDMChannel<Message>),
    detach: () => {
      client.off(Events.MessageCreate, onCreate);
      client.off(Events.MessageDelete, onDelete);
      client.off(Events.MessageUpdate, onUpdate);
    },
  };
}
