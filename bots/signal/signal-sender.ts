// Sends the engine's replies (outbox rows) to Signal. Several entities share the one Signal number, so in a
// group where more than one of them speaks a reply starts with the entity's name. A row's text is split below
// 2,000 UTF-8 bytes (the responder splits by characters); the first chunk quotes the message answered when
// it is recent. The reply then joins the channel's history in the inbox, like a message read back.
//
// Repeat safety: Signal has no idempotency key, so a resend is a second message. Each chunk's timestamp is
// stored as soon as Signal accepts it (signal_deliveries) and a resent row skips those chunks: only the one
// chunk in flight when the process died (accepted by Signal, not yet recorded) can arrive twice.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { dmEntity, entityMessage } from '../../core/message.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { InboxRepository, OutboxRow } from '../../store/index.js';
import type { SignalStateRepository } from '../../store/signal-state-repository.js';
import type { PlatformSender } from '../engine/outbox-dispatcher.js';
import { splitUtf8 } from './byte-split.js';
import { toGroupSendId, type OutgoingMessage } from './client/index.js';
import type { SendGate } from './send-gate.js';
import type { SignalOutbound } from './signal-outbound.js';

export interface SignalSenderOptions {
  outbound: SignalOutbound;
  gate: SendGate;
  inbox: InboxRepository;
  state: SignalStateRepository;
  roster: EntityRoster;
  clock: Clock;
  logger: Logger;
  /** The bot's own number: the author of the replies it quotes. */
  ownNumber: string;
  wakeEngine(): void;
  /** Quote the message answered when it is at most this old, in ms. */
  quoteWithinMs?: number;
}

/** A person's message id in the inbox: `${sourceUuid}:${sourceDevice}:${timestamp}`. */
const PERSON_MESSAGE = /^([^:]+):(\d+):(\d+)$/;
const REPLY_MESSAGE = /^reply:(\d+)$/;

/** The Signal recipient of a channel: the person of a DM (`dm:<entity>:<person>`), else the group's send id. */
export function recipientOf(channel: string): string {
  const owner = dmEntity(channel);
  if (owner === undefined) return toGroupSendId(channel);
  const person = channel.slice(`dm:${owner}:`.length);
  if (person === '') throw new Error(`the Signal DM channel "${channel}" names no person`);
  return person;
}

export class SignalSender implements PlatformSender {
  constructor(private readonly o: SignalSenderOptions) {}

  /** While a rate limit pauses sends, the dispatcher keeps Signal's rows pending without counting attempts. */
  paused(): boolean {
    return this.o.gate.closed;
  }

  async send(row: OutboxRow): Promise<string | null> {
    const { roster, state } = this.o;
    const entity = roster.get(row.entityId);
    const username = entity?.username ?? row.entityId;
    const recipient = recipientOf(row.channel);
    const group = dmEntity(row.channel) === undefined;
    const shared = group && roster.cast('signal', row.channel).entities.length > 1;
    const chunks = splitUtf8(shared ? `${username}: ${row.text}` : row.text);
    if (chunks.length === 0) return null;
    const done = state.deliveries(row.id);
    const quote = row.part === 0 && !done.has(0) ? this.#quoteFor(row, group) : undefined;
    for (const [index, chunk] of chunks.entries()) {
      if (done.has(index)) continue;
      const message: OutgoingMessage = { recipients: [recipient], message: chunk };
      if (index === 0 && quote) message.quote = quote;
      const timestamp = await this.o.outbound.sendNow(message);
      state.recordDelivery(row.id, index, timestamp);
      done.set(index, timestamp);
    }
    const { inserted } = this.o.inbox.insert(
      entityMessage({
        platform: 'signal',
        channel: row.channel,
        platformId: `reply:${row.id}`,
        entity: { id: row.entityId, username },
        text: row.text,
        createdAt: this.o.clock.now(),
        source: row.source,
        replyTo: row.messageId,
      }),
    );
    if (inserted) this.o.wakeEngine();
    return String(done.get(0));
  }

  /** Quote the answered message when it is recent; in a DM only when the person wrote again since. */
  #quoteFor(row: OutboxRow, group: boolean): OutgoingMessage['quote'] {
    const answered = this.o.inbox.get(row.messageId);
    if (!answered || answered.platform !== 'signal') return undefined;
    if (this.o.clock.now() - answered.createdAt > (this.o.quoteWithinMs ?? 10 * 60_000)) return undefined;
    if (!group && !this.o.inbox.after('signal', row.channel, answered.id, 20).some((m) => !m.isBot))
      return undefined;
    const text = answered.text.slice(0, 200);
    const person = PERSON_MESSAGE.exec(answered.platformId);
    if (person) return { timestamp: Number(person[3]), author: person[1] as string, text };
    const reply = REPLY_MESSAGE.exec(answered.platformId);
    const timestamp = reply ? this.o.state.deliveries(Number(reply[1])).get(0) : undefined;
    return timestamp === undefined ? undefined : { timestamp, author: this.o.ownNumber, text };
  }
}
