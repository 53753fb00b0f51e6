// Puts one inbound message and its reply parts straight into a store's outbox, for dispatcher tests.
import type { Platform } from '../../core/message.js';
import type { ChorusStore } from '../../store/index.js';

export function queueReplies(store: ChorusStore, platform: Platform, channel: string, texts: string[]): void {
  const { id } = store.inbox.insert({
    platform,
    channel,
    platformId: `${platform}:${channel}:1`,
    author: 'a',
    authorId: 'u',
    isBot: false,
    mentions: [],
    text: 'hi',
    createdAt: 0,
  });
  store.commitProcessed(
    [
      {
        messageId: id,
        posts: [],
        replies: texts.map((text, part) => ({
          messageId: id,
          entityId: 'ada',
          part,
          platform,
          channel,
          text,
          source: 'llm' as const,
          createdAt: 0,
        })),
      },
    ],
    0,
  );
}
