// In-process notifications of new channel messages, for live views (the playground's server-sent events).
import { channelKey, type Platform, type StoredMessage } from '../core/message.js';

export type MessageListener = (message: StoredMessage) => void;

export class ChannelEvents {
  readonly #listeners = new Map<string, Set<MessageListener>>();

  subscribe(platform: Platform, channel: string, listener: MessageListener): () => void {
    const key = channelKey({ platform, channel });
    let set = this.#listeners.get(key);
    if (!set) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
    };
  }

  publish(message: StoredMessage): void {
    const set = this.#listeners.get(channelKey(message));
    if (set) for (const listener of set) listener(message);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }
}
