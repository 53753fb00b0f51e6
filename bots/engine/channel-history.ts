// Recent messages per channel, kept in memory for the analyzer and the context window.
// Loaded from the inbox the first time a channel is seen; bounded in channels and in messages per channel.
import { LRUCache } from 'lru-cache';
import { channelKey, type StoredMessage } from '../../core/message.js';
import type { InboxRepository } from '../../store/index.js';

export class ChannelHistory {
  readonly #channels: LRUCache<string, StoredMessage[]>;

  constructor(
    private readonly inbox: InboxRepository,
    /** Messages kept per channel: at least the largest `nom` of any entity. */
    private readonly depth: number,
    maxChannels = 5000,
  ) {
    this.#channels = new LRUCache({ max: maxChannels });
  }

  /** The messages of the channel before `message`, oldest first. */
  before(message: StoredMessage): readonly StoredMessage[] {
    const key = channelKey(message);
    let list = this.#channels.get(key);
    if (!list) {
      list = this.inbox.before(message.platform, message.channel, message.id, this.depth);
      this.#channels.set(key, list);
    }
    return list;
  }

  /** Replaces a message the history holds by its edited version (nothing when the channel is not cached). */
  replace(message: StoredMessage): void {
    const list = this.#channels.get(channelKey(message));
    const i = list?.findIndex((m) => m.id === message.id) ?? -1;
    if (list && i >= 0) list[i] = message;
  }

  /** Records that `message` is now part of its channel's history (call in channel order). */
  append(message: StoredMessage): void {
    const list = this.#channels.get(channelKey(message));
    if (!list) return;
    list.push(message);
    if (list.length > this.depth * 2) list.splice(0, list.length - this.depth);
  }
}
