// What arrives from Signal, whichever way it was received: commands go to the router (once per envelope,
// even when redelivered), other messages into the inbox with the chat mapping — a group's internal id as the
// channel when some entity lists the group, `dm:<entity>:<person>` for direct messages, and
// `${sourceUuid}:${sourceDevice}:${timestamp}` as the platform id, so a redelivery is stored once.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { dmChannel, type InboundMessage } from '../../core/message.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { Db, InboxRepository } from '../../store/index.js';
import type { ChannelHistory } from '../engine/channel-history.js';
import { applyEdit } from '../engine/message-edits.js';
import type { MarkovTraining } from '../generation/markov-training.js';
import type { SignalStateRepository } from '../../store/signal-state-repository.js';
import { parseIncoming, textWithMentions, type SignalIncoming } from './client/index.js';
import type { CommandRouter } from './commands/command-router.js';
import type { CommandContext } from './commands/command.js';
import type { DmOwners } from './dm-owner.js';

export interface SignalInboundOptions {
  ownNumber: string;
  inbox: InboxRepository;
  db: Db;
  state: SignalStateRepository;
  roster: EntityRoster;
  owners: DmOwners;
  router: CommandRouter;
  /** Numbers (E.164) or account UUIDs allowed to run admin commands. */
  admins: readonly string[];
  clock: Clock;
  logger: Logger;
  wakeEngine(): void;
  /** Present when the Markov fallback trains on messages: edits and deletions untrain. */
  training?: MarkovTraining | undefined;
  /** The engine's recent history, shown an edited message's new text. */
  history?: ChannelHistory | undefined;
  /** Answers a command: in the group, or to the person as the DM's entity. */
  reply(target: { group?: string; person: string }, text: string): Promise<void>;
}

/** A person's Signal address: the UUID, or the number when no UUID is known. */
export const personOf = (m: SignalIncoming): string => m.sourceUuid || (m.sourceNumber ?? '');

export const platformIdOf = (m: Pick<SignalIncoming, 'sourceUuid' | 'sourceDevice' | 'timestamp'>): string =>
  `${m.sourceUuid}:${m.sourceDevice}:${m.timestamp}`;

export class SignalInbound {
  readonly #findQuoted;
  readonly #findReply;
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly o: SignalInboundOptions) {
    // A quote names the author and the timestamp, not the device: find the author's message by range scan
    // over the (platform, platform_id) index.
    this.#findQuoted = o.db
      .prepare(
        `SELECT id FROM messages WHERE platform = 'signal' AND platform_id >= ? AND platform_id < ?
         AND platform_id LIKE ? ORDER BY id DESC LIMIT 1`,
      )
      .pluck();
    this.#findReply = o.db
      .prepare(`SELECT id FROM messages WHERE platform = 'signal' AND platform_id = ?`)
      .pluck();
  }

  /** Handles one received item (a polled array element or a websocket frame). Never throws. */
  handle(item: unknown): void {
    let incoming: SignalIncoming | undefined;
    try {
      incoming = parseIncoming(item, this.o.ownNumber);
      if (incoming) this.#route(incoming);
    } catch (error) {
      this.o.logger.error('a received Signal item could not be handled; skipped', {
        error: error instanceof Error ? error.message : String(error),
        ...(incoming && { platformId: platformIdOf(incoming) }),
      });
    }
  }

  /** Resolves once the commands received so far are answered (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  #route(m: SignalIncoming): void {
    if (m.kind === 'edit' || m.kind === 'delete') return this.#editOrDelete(m);
    if (m.kind !== 'message') return;
    const group = m.groupInternalId;
    if (group !== undefined && !this.#groupConfigured(group)) {
      this.o.logger.debug('message from a Signal group no entity lists; ignored', { group });
      return;
    }
    const person = personOf(m);
    const owner = group === undefined ? this.o.owners.ownerOf(person) : undefined;
    const text = textWithMentions(m).trim();
    if (text.startsWith('/')) {
      this.#command(m, text, person, group, owner?.id);
      return;
    }
    if (group === undefined && !owner) {
      this.o.logger.warn('a Signal DM arrived but no enabled entity takes Signal DMs; ignored');
      return;
    }
    if (text === '') return; // attachments only: nothing an entity can answer
    const channel = group ?? dmChannel(owner?.id as string, person);
    const message: InboundMessage = {
      platform: 'signal',
      channel,
      platformId: platformIdOf(m),
      author: m.sourceName || m.sourceNumber || person,
      authorId: person,
      isBot: false,
      mentions: [],
      text,
      createdAt: this.o.clock.now(),
    };
    const replyTo = m.quote ? this.#quoted(m.quote) : undefined;
    if (replyTo !== undefined) message.replyTo = replyTo;
    const { inserted } = this.o.inbox.insert(message);
    if (inserted) this.o.wakeEngine();
    else this.o.logger.debug('Signal message already in the inbox (redelivered)', { id: message.platformId });
  }

  /** An edit replaces the stored text and retrains; a deletion untrains (the history keeps the text). */
  #editOrDelete(m: SignalIncoming): void {
    if (m.targetTimestamp === undefined) return;
    const id = this.#findQuoted.get(...this.#authorRange(m.sourceUuid, m.targetTimestamp)) as
      number | undefined;
    const stored = id === undefined ? undefined : this.o.inbox.get(id);
    if (!stored || stored.isBot) return;
    const edited = m.kind === 'edit' ? textWithMentions(m).trim() : '';
    // A message edited into a command leaves the conversation like a deleted one.
    const text = edited.startsWith('/') ? '' : edited;
    const outcome = applyEdit(stored, text, this.o);
    if (outcome !== 'unchanged')
      this.o.logger.debug(`Signal message ${m.kind}: ${outcome}`, { message: stored.id });
  }

  /** Bounds and pattern for an author's message with a timestamp, from any of their devices. */
  #authorRange(author: string, timestamp: number): [string, string, string] {
    return [`${author}:`, `${author};`, `${author}:%:${timestamp}`];
  }

  #groupConfigured(internalId: string): boolean {
    return this.o.roster.all().some((e) => e.platforms.signal?.groups.includes(internalId));
  }

  /** The inbox id of a quoted message: ours (by its sent timestamp) or a person's (by author and timestamp). */
  #quoted(quote: NonNullable<SignalIncoming['quote']>): number | undefined {
    const ours =
      quote.authorNumber === this.o.ownNumber ||
      (quote.authorUuid === undefined && quote.authorNumber === undefined);
    if (ours) {
      const outboxId = this.o.state.outboxIdOf(quote.id);
      if (outboxId !== undefined) {
        const id = this.#findReply.get(`reply:${outboxId}`) as number | undefined;
        if (id !== undefined) return id;
      }
      // A briefing (sent outside the outbox) is stored by its timestamp.
      const briefing = this.#findReply.get(`self:${quote.id}`) as number | undefined;
      if (briefing !== undefined) return briefing;
    }
    for (const author of [quote.authorUuid, quote.authorNumber]) {
      if (author === undefined) continue;
      const id = this.#findQuoted.get(...this.#authorRange(author, quote.id)) as number | undefined;
      if (id !== undefined) return id;
    }
    return undefined;
  }

  #command(
    m: SignalIncoming,
    text: string,
    person: string,
    group: string | undefined,
    entityId: string | undefined,
  ): void {
    if (!this.o.state.markCommandSeen(platformIdOf(m), this.o.clock.now())) {
      this.o.logger.debug('Signal command already answered (redelivered)', { id: platformIdOf(m) });
      return;
    }
    const target = group === undefined ? { person } : { group, person };
    const context: CommandContext = {
      person,
      number: m.sourceNumber ?? undefined,
      name: m.sourceName,
      channel: group ?? dmChannel(entityId ?? '-', person),
      entityId,
      isAdmin:
        (m.sourceNumber !== null && this.o.admins.includes(m.sourceNumber)) ||
        this.o.admins.includes(m.sourceUuid),
      now: this.o.clock.now(),
      reply: (answer) => this.o.reply(target, answer),
    };
    // Commands run side by side (a reply waiting out a rate limit must not hold up /admin challenge); their
    // replies still go out one at a time. A failure is logged, never thrown at the receive loop.
    const run = this.o.router
      .handle(text, context)
      .then(
        () => undefined,
        (error: unknown) =>
          this.o.logger.error('a Signal command could not be answered', {
            error: error instanceof Error ? error.message : String(error),
          }),
      )
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }
}
