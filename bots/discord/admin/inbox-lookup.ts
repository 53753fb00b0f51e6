// Read-only look-ups in the inbox that only `markov forget` needs: a Discord message by its id, and a person's
// human messages in a channel.
import type { StoredMessage } from '../../../core/message.js';
import type { ChorusStore } from '../../../store/index.js';

export function discordMessage(store: ChorusStore, messageId: string): StoredMessage | undefined {
  const id = store.db
    .prepare("SELECT id FROM messages WHERE platform = 'discord' AND platform_id = ?")
    .pluck()
    .get(messageId) as number | undefined;
  return id === undefined ? undefined : store.inbox.get(id);
}

export function humanMessagesOf(store: ChorusStore, channel: string, authorId: string): StoredMessage[] {
  const ids = store.db
    .prepare(
      "SELECT id FROM messages WHERE platform = 'discord' AND channel = ? AND author_id = ? AND is_bot = 0 ORDER BY id",
    )
    .pluck()
    .all(channel, authorId) as number[];
  return ids.map((id) => store.inbox.get(id)).filter((m): m is StoredMessage => m !== undefined);
}

/** Which of these Discord message ids the inbox holds (the engine trains those as they arrive). */
export function discordIdsInInbox(store: ChorusStore, messageIds: readonly string[]): Set<string> {
  if (messageIds.length === 0) return new Set();
  const marks = messageIds.map(() => '?').join(', ');
  const found = store.db
    .prepare(`SELECT platform_id FROM messages WHERE platform = 'discord' AND platform_id IN (${marks})`)
    .pluck()
    .all(...messageIds) as string[];
  return new Set(found);
}
