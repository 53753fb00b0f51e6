// What happens to one inbound message: analyze, select responders, generate, and commit the replies
// together with the "processed" mark.
import type { Logger } from '../../core/logger.js';
import type { StoredMessage } from '../../core/message.js';
import type { Random } from '../../core/random.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import { selectResponders } from '../../entities/entity-manager.js';
import type { RateLimiter } from '../../entities/rate-limiter.js';
import type { NewOutboxRow } from '../../store/index.js';
import { analyze } from '../analyzer/index.js';
import type { ChannelHistory } from './channel-history.js';
import type { CommitQueue } from './commit-queue.js';
import type { Reply, Responder } from './responder.js';

export interface MessageHandlerOptions {
  roster: EntityRoster;
  limiter: RateLimiter;
  responder: Responder;
  history: ChannelHistory;
  commits: CommitQueue;
  random: Random;
  logger: Logger;
  maxRepliesPerMessage: number;
  maxBotExchanges: number;
  now: () => number;
}

export class MessageHandler {
  constructor(private readonly o: MessageHandlerOptions) {}

  async handle(message: StoredMessage): Promise<void> {
    const { roster, limiter, history, logger } = this.o;
    const context = history.before(message);
    const cast = roster.cast(message.platform, message.channel);
    const analysis = analyze(context, message, cast.entities, cast.mentions, {
      maxBotExchanges: this.o.maxBotExchanges,
    });
    const { selected, limited } = selectResponders(
      analysis.candidates,
      this.o.random,
      limiter,
      this.o.maxRepliesPerMessage,
    );
    if (limited.length > 0)
      logger.debug('rate limit held back entities', { message: message.id, entities: limited });
    // The generators see the history up to and including the message being answered.
    const window = [...context];
    history.append(message);

    const replies = await Promise.all(
      selected.map(async (s): Promise<Reply | null> => {
        const entity = roster.get(s.entityId);
        const reply = entity
          ? await this.o.responder.respond(entity, message, window).catch((error: unknown) => {
              logger.error('reply failed', { entity: s.entityId, message: message.id, error: String(error) });
              return null;
            })
          : null;
        if (!reply) limiter.release(s.entityId, s.postAt);
        return reply;
      }),
    );

    const rows: NewOutboxRow[] = [];
    const posts: { entityId: string; at: number }[] = [];
    const createdAt = this.o.now();
    replies.forEach((reply, i) => {
      if (!reply) return;
      posts.push({ entityId: reply.entityId, at: (selected[i] as { postAt: number }).postAt });
      reply.parts.forEach((text, part) =>
        rows.push({
          messageId: message.id,
          entityId: reply.entityId,
          part,
          platform: message.platform,
          channel: message.channel,
          text,
          source: reply.source,
          createdAt,
        }),
      );
    });
    await this.o.commits.commit({ messageId: message.id, replies: rows, posts });
  }
}
