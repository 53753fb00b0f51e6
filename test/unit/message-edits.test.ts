// A person's edit or deletion of a stored message: untrained from Markov, the new text stored, retrained, and
// shown in the engine's recent history.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelHistory } from '../../bots/engine/channel-history.js';
import { applyEdit } from '../../bots/engine/message-edits.js';
import type { MarkovTraining } from '../../bots/generation/markov-training.js';
import type { StoredMessage } from '../../core/message.js';
import { ChorusStore, openDatabase } from '../../store/index.js';

const stores: ChorusStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function setup() {
  const store = new ChorusStore(openDatabase(':memory:'));
  stores.push(store);
  const insert = (text: string, n: number): StoredMessage => {
    const message = {
      platform: 'discord' as const,
      channel: 'c1',
      platformId: `m${n}`,
      author: 'erin',
      authorId: 'u1',
      isBot: false,
      mentions: [],
      text,
      createdAt: n,
    };
    return { ...message, id: store.inbox.insert(message).id };
  };
  const calls: string[] = [];
  const training = {
    forget: (m: StoredMessage) => calls.push(`forget ${m.text}`),
    learn: (m: StoredMessage) => calls.push(`learn ${m.text}`),
  } as unknown as MarkovTraining;
  const history = new ChannelHistory(store.inbox, 10);
  return { store, insert, calls, training, history };
}

describe('applyEdit', () => {
  it('GIVEN an edit THEN the old text is untrained, the new one stored, retrained and in the recent history', () => {
    const { store, insert, calls, training, history } = setup();
    const first = insert('the sea is calm', 1);
    const next = insert('what next?', 2);
    expect(history.before(next).map((m) => m.text)).toEqual(['the sea is calm']);
    expect(applyEdit(first, 'the sea is rough', { inbox: store.inbox, history, training })).toBe('retrained');
    expect(calls).toEqual(['forget the sea is calm', 'learn the sea is rough']);
    expect(store.inbox.get(first.id)?.text).toBe('the sea is rough');
    expect(history.before(next).map((m) => m.text)).toEqual(['the sea is rough']);
  });

  it('GIVEN a deletion or the same text THEN it only untrains, or does nothing', () => {
    const { store, insert, calls, training } = setup();
    const message = insert('hello there', 1);
    expect(applyEdit(message, 'hello there', { inbox: store.inbox, training })).toBe('unchanged');
    expect(applyEdit(message, '', { inbox: store.inbox, training })).toBe('untrained');
    expect(calls).toEqual(['forget hello there']);
    expect(store.inbox.get(message.id)?.text).toBe('hello there');
  });
});
