// After downtime, the messages posted meanwhile: when a bot becomes ready (at start, or after a new gateway
// session), each of its channels is read from the newest message the inbox holds onwards and fed through the
// usual inbound path. A channel the inbox has never seen is not imported (history is `chorus markov train`'s
// job), and a channel another bot caught up moments ago is skipped.
import type { Client, Message } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import type { InboxRepository } from '../../store/index.js';

export interface CatchUpOptions {
  inbox: InboxRepository;
  logger: Logger;
  /** Messages read per channel at most. */
  limit: number;
  /** channel id → when it was last caught up (ms), shared by every bot. */
  recent: Map<string, number>;
  /** A channel caught up less than this long ago (ms) is skipped. */
  freshMs: number;
  now(): number;
}

export async function catchUp(
  client: Client<true>,
  channels: readonly string[],
  handle: (message: Message) => void,
  o: CatchUpOptions,
): Promise<number> {
  let seen = 0;
  for (const id of channels) {
    const last = o.inbox.latest('discord', id, 1)[0];
    if (!last) continue;
    const previous = o.recent.get(id);
    if (previous !== undefined && o.now() - previous < o.freshMs) continue;
    o.recent.set(id, o.now());
    try {
      const channel = client.channels.cache.get(id) ?? (await client.channels.fetch(id));
      if (!channel?.isTextBased()) continue;
      const missed = await channel.messages.fetch({ after: last.platformId, limit: o.limit });
      const ordered = [...missed.values()].sort((a, b) => a.createdTimestamp - b.createdTimestamp);
      for (const message of ordered) handle(message);
      seen += ordered.length;
      if (ordered.length > 0)
        o.logger.info('caught up on Discord messages posted while away', {
          channel: id,
          messages: ordered.length,
        });
    } catch (error) {
      o.logger.warn('could not catch up on a Discord channel', {
        channel: id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return seen;
}
