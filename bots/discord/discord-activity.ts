// What Discord shows while an entity's reply is generated: its typing indicator, renewed before Discord's
// 10-second expiry until the generation ends, and, once the cluster streams text, a preview reply edited in
// place (streamed-preview.ts). Nothing here may fail a reply: Discord errors are logged and ignored.
import type { Logger } from '../../core/logger.js';
import type { StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { ReplyActivity, ReplyProgress } from '../engine/reply-activity.js';
import type { EntityVoices, Voice } from './entity-voices.js';
import { previewKey, type PreviewRegistry } from './preview-registry.js';
import { StreamedPreview, type Scheduler } from './streamed-preview.js';

export interface DiscordActivityOptions {
  voices: EntityVoices;
  previews: PreviewRegistry;
  scheduler: Scheduler;
  /** `platforms.discord.streamEditIntervalMs`. */
  editIntervalMs: number;
  /** How often the typing indicator is renewed, in ms (Discord shows it for 10 s). */
  typingIntervalMs: number;
  logger: Logger;
}

export class DiscordActivity implements ReplyActivity {
  constructor(private readonly o: DiscordActivityOptions) {}

  begin(entity: EntityConfig, message: StoredMessage): ReplyProgress | undefined {
    if (message.platform !== 'discord') return undefined;
    const { scheduler, logger } = this.o;
    const log = (what: string) => (error: unknown) =>
      logger.debug(what, {
        entity: entity.id,
        channel: message.channel,
        error: error instanceof Error ? error.message : String(error),
      });
    const voice: Promise<Voice | undefined> = this.o.voices
      .voice(entity, message.channel)
      .catch((error: unknown) => (log('no voice for reply activity')(error), undefined));

    let ended = false;
    let cancelTyping: (() => void) | undefined;
    const type = () => {
      if (ended) return;
      void voice.then((v) => v?.typing?.()).catch(log('typing indicator failed'));
      cancelTyping = scheduler.after(this.o.typingIntervalMs, type);
    };
    type();

    const key = previewKey(message.id, entity.id);
    let preview: StreamedPreview | undefined;
    const need = async () => {
      const v = await voice;
      if (!v) throw new Error('no voice');
      return v;
    };
    return {
      update: (text) => {
        if (ended) return;
        if (!preview) {
          if (!text.trim()) return;
          preview = new StreamedPreview(
            {
              post: async (t) => (await (await need()).post(t, { replyTo: message.platformId })).id,
              edit: async (id, t) => (await need()).edit(id, t),
              remove: async (id) => (await need()).remove(id),
            },
            this.o.editIntervalMs,
            scheduler,
            log('streamed preview failed'),
          );
          this.o.previews.add(key, preview);
        }
        preview.update(text);
      },
      end: () => {
        ended = true;
        cancelTyping?.();
        if (preview) this.o.previews.finished(key);
      },
    };
  }
}
