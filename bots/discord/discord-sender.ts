// Sends the outbox's Discord rows. Part 0 answers the message natively (or, when the reply was streamed, edits
// the preview into the final text); later parts follow as plain messages. Every post carries a nonce derived
// from its row, so a resend after a crash or a gateway reconnect is dropped by Discord instead of doubled.
// What an entity posts is recorded in the inbox here, with its source and the message it answers; the
// gateway's copy of it is then a duplicate (see inbound-events.ts).
import { SnowflakeUtil } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import { entityMessage, type ReplySource } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { InboxRepository, OutboxRow } from '../../store/index.js';
import type { PlatformSender } from '../engine/outbox-dispatcher.js';
import { isGone, type EntityVoices, type Posted } from './entity-voices.js';
import { previewKey, type PreviewRegistry } from './preview-registry.js';
import { replyNonce } from './reply-payload.js';

export interface DiscordSenderOptions {
  voices: EntityVoices;
  previews: PreviewRegistry;
  inbox: InboxRepository;
  roster: EntityRoster;
  logger: Logger;
  /** Wakes the engine after an entity's post lands in the inbox (other entities may answer it). */
  onRecorded(): void;
}

export class DiscordSender implements PlatformSender {
  constructor(private readonly o: DiscordSenderOptions) {}

  async send(row: OutboxRow): Promise<string | null> {
    const entity = this.o.roster.get(row.entityId);
    if (!entity) {
      this.o.logger.warn('reply dropped: its entity is no longer configured', {
        outbox: row.id,
        entity: row.entityId,
      });
      return null;
    }
    const answered = this.o.inbox.get(row.messageId);
    try {
      const posted = await this.#deliver(
        entity,
        row,
        answered?.platform === 'discord' ? answered.platformId : undefined,
      );
      this.record(entity, row.channel, posted, row.text, { source: row.source, replyTo: row.messageId });
      return posted.id;
    } catch (error) {
      if (!isGone(error)) throw error;
      // Retrying cannot help: the channel or the message is gone, or the bot lost access.
      this.o.logger.warn('reply dropped: its Discord channel is gone or out of reach', {
        outbox: row.id,
        entity: entity.id,
        channel: row.channel,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  async #deliver(entity: EntityConfig, row: OutboxRow, replyTo: string | undefined): Promise<Posted> {
    const voice = await this.o.voices.voice(entity, row.channel);
    const key = previewKey(row.messageId, row.entityId);
    const preview = row.part === 0 ? this.o.previews.take(key) : undefined;
    if (preview) {
      try {
        const id = await preview.finalize(row.text);
        if (id !== undefined)
          return { id, authorId: voice.authorId, createdAt: SnowflakeUtil.timestampFrom(id) };
      } catch (error) {
        // The preview was deleted under us (10008 Unknown Message): post the reply as usual. Otherwise the
        // retry edits the same preview.
        if ((error as { code?: unknown }).code !== 10008) {
          this.o.previews.add(key, preview);
          this.o.previews.finished(key);
          throw error;
        }
      }
    }
    return voice.post(row.text, { replyTo: row.part === 0 ? replyTo : undefined, nonce: replyNonce(row) });
  }

  /** Puts an entity's post into the inbox (a no-op when the gateway's copy got there first). */
  record(
    entity: EntityConfig,
    channel: string,
    posted: Posted,
    text: string,
    extra: { source?: ReplySource; replyTo?: number } = {},
  ): void {
    const message = entityMessage({
      platform: 'discord',
      channel,
      platformId: posted.id,
      entity,
      authorId: posted.authorId,
      text,
      createdAt: posted.createdAt,
      ...extra,
    });
    if (this.o.inbox.insert(message).inserted) this.o.onRecorded();
  }
}
