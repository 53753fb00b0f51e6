// What happens to one inbound message: analyze, select responders, generate, and queue the commit that stores
// the replies together with the "processed" mark.
import type { Logger } from '../../core/logger.js';
import type { StoredMessage } from '../../core/message.js';
import type { Random } from '../../core/random.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import { selectResponders, type Deferral, type Selection } from '../../entities/entity-manager.js';
import type { RateLimiter } from '../../entities/rate-limiter.js';
import type { NewOutboxRow, ScopeRows } from '../../store/index.js';
import { analyze } from '../analyzer/index.js';
import type { ChannelHistory } from './channel-history.js';
import type { CommitCallback, CommitQueue } from './commit-queue.js';
import type { ReplyActivity } from './reply-activity.js';
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
  /** Sees every message once, in channel order; what it returns is stored with the message's commit. */
  training?: (message: StoredMessage) => readonly ScopeRows[] | undefined;
  /** How long a mentioned entity may wait for its rate limit before the mention is dropped. */
  mentionWaitMs?: number;
  /** Waits; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** What the message's platform shows while a reply is generated (typing, a streamed preview). */
  activity?: ReplyActivity['begin'];
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class MessageHandler {
  constructor(private readonly o: MessageHandlerOptions) {}

  /**
   * Decides who answers one message and queues the commit once the replies are generated; `done` is called
   * after the commit. Returns a promise only when there is generation to wait for, so the common case of
   * nobody answering costs no promise at all and the channel moves straight on.
   */
  handle(message: StoredMessage, done: CommitCallback): Promise<void> | undefined {
    const { roster, limiter, history } = this.o;
    const context = history.before(message);
    const training = this.o.training?.(message);
    const cast = roster.cast(message.platform, message.channel);
    const analysis = analyze(context, message, cast.entities, cast.mentions, {
      maxBotExchanges: this.o.maxBotExchanges,
    });
    const { selected, deferred, limited } = selectResponders(
      analysis.candidates,
      this.o.random,
      limiter,
      this.o.maxRepliesPerMessage,
      this.o.mentionWaitMs ?? 0,
    );
    if (limited.length > 0) {
      this.o.logger.debug('rate limit held back entities', { message: message.id, entities: limited });
    }
    if (selected.length === 0 && deferred.length === 0) {
      history.append(message);
      this.o.commits.commit({ messageId: message.id, replies: [], posts: [], training }, done);
      return undefined;
    }
    // Generators see the history before the message as it is now.
    const window = context.slice();
    history.append(message);
    return this.#awaitDeferred(deferred, selected).then((all) =>
      this.#generate(message, window, all).then((replies) =>
        this.o.commits.commit({ ...this.#toCommit(message, all, replies), training }, done),
      ),
    );
  }

  /**
   * Waits for the deferred entities' limits to allow a post, then adds those that may post. Timers may fire a
   * little before the clock reaches the slot, so it checks again within the `mentionWaitMs` budget.
   */
  async #awaitDeferred(deferred: readonly Deferral[], selected: Selection[]): Promise<Selection[]> {
    if (deferred.length === 0) return selected;
    const sleep = this.o.sleep ?? realSleep;
    const all = [...selected];
    let waiting = [...deferred];
    let budget = this.o.mentionWaitMs ?? 0;
    while (waiting.length > 0 && budget >= 0) {
      const wait = Math.max(...waiting.map((d) => d.waitMs)) + 2;
      await sleep(wait);
      budget -= wait;
      const still: Deferral[] = [];
      for (const d of waiting) {
        const postAt = this.o.limiter.tryAcquire(d.entityId);
        if (postAt !== undefined) all.push({ entityId: d.entityId, reason: d.reason, postAt });
        else {
          const decision = this.o.limiter.check(d.entityId);
          if (!decision.ok && decision.retryAfterMs <= budget)
            still.push({ ...d, waitMs: decision.retryAfterMs });
        }
      }
      waiting = still;
    }
    return all;
  }

  #generate(message: StoredMessage, window: readonly StoredMessage[], selected: readonly Selection[]) {
    const { roster, limiter, logger, responder } = this.o;
    return Promise.all(
      selected.map(async (s): Promise<Reply | null> => {
        const entity = roster.get(s.entityId);
        const progress = entity && this.o.activity?.(entity, message);
        const reply = entity
          ? await responder
              .respond(entity, message, window, progress && ((text) => progress.update(text)))
              .catch((error: unknown) => {
                logger.error('reply failed', {
                  entity: s.entityId,
                  message: message.id,
                  error: String(error),
                });
                return null;
              })
              .finally(() => progress?.end())
          : null;
        if (!reply) limiter.release(s.entityId, s.postAt);
        return reply;
      }),
    );
  }

  #toCommit(message: StoredMessage, selected: readonly Selection[], replies: readonly (Reply | null)[]) {
    const rows: NewOutboxRow[] = [];
    const posts: { entityId: string; at: number }[] = [];
    const createdAt = this.o.now();
    replies.forEach((reply, i) => {
      if (!reply) return;
      // Posts only matter to limits; an entity without any need not cost a row per reply.
      if (this.o.limiter.isLimited(reply.entityId)) {
        posts.push({ entityId: reply.entityId, at: (selected[i] as Selection).postAt });
      }
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
    return { messageId: message.id, replies: rows, posts };
  }
}
