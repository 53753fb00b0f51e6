// The web playground as a platform: people post into channels over HTTP; replies are "sent" by writing them
// into the channel's history. The reply's platform id is derived from its outbox row, so a resend after a
// crash is ignored by the inbox's uniqueness and nobody sees a reply twice.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { entityMessage, type StoredMessage } from '../../core/message.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { InboxRepository, OutboxRow } from '../../store/index.js';
import type { ChannelEvents } from '../channel-events.js';
import type { PlatformSender } from '../engine/outbox-dispatcher.js';

export interface WebAdapterOptions {
  inbox: InboxRepository;
  roster: EntityRoster;
  events: ChannelEvents;
  clock: Clock;
  /** Called after a message lands in the inbox, to wake the engine. */
  onInbound: () => void;
}

export class WebAdapter implements PlatformSender {
  constructor(private readonly o: WebAdapterOptions) {}

  /** A person posts in a channel. Returns the stored message. */
  post(channel: string, author: string, text: string): StoredMessage {
    const message = {
      platform: 'web' as const,
      channel,
      platformId: `post:${randomUUID()}`,
      author,
      authorId: `web:${author.toLowerCase()}`,
      isBot: false,
      mentions: [],
      text,
      createdAt: this.o.clock.now(),
    };
    const { id } = this.o.inbox.insert(message);
    const stored = { ...message, id };
    this.o.events.publish(stored);
    this.o.onInbound();
    return stored;
  }

  async send(row: OutboxRow): Promise<string> {
    const message = entityMessage({
      platform: 'web',
      channel: row.channel,
      platformId: `reply:${row.id}`,
      entity: { id: row.entityId, username: this.o.roster.get(row.entityId)?.username ?? row.entityId },
      text: row.text,
      createdAt: this.o.clock.now(),
      source: row.source,
      replyTo: row.messageId,
    });
    const { id, inserted } = this.o.inbox.insert(message);
    if (inserted) {
      this.o.events.publish({ ...message, id });
      this.o.onInbound();
    }
    return String(id);
  }
}
