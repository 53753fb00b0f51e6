// Which stored scopes the fleet trains, and what a new scope starts from.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarkovTraining } from '../../bots/generation/markov-training.js';
import { FakeClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { InboundMessage, StoredMessage } from '../../core/message.js';
import { validateConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { openDatabase, type Db } from '../../store/database.js';
import { InboxRepository, MarkovRepository } from '../../store/index.js';

let db: Db;
let inbox: InboxRepository;
let repo: MarkovRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  inbox = new InboxRepository(db);
  repo = new MarkovRepository(db);
});
afterEach(() => db.close());

function training(entities: unknown[]) {
  const { config } = validateConfig(
    { platforms: { web: { channels: ['general', 'other'] } }, entities },
    'test',
  );
  return new MarkovTraining({
    scopes: new MarkovScopes(repo, new FakeClock(0)),
    inbox,
    roster: new EntityRoster(config.entities),
    webChannels: ['general', 'other'],
    historyOnStart: 100,
    logger: silentLogger,
  });
}

let n = 0;
function store(channel: string, text: string, isBot = false): StoredMessage {
  const message: InboundMessage = {
    platform: 'web',
    channel,
    platformId: `p${++n}`,
    author: isBot ? 'Bot' : 'ivy',
    authorId: isBot ? 'bot' : 'ivy',
    isBot,
    mentions: [],
    text,
    createdAt: 0,
  };
  return { ...message, id: inbox.insert(message).id };
}

const texts = (scope: string) => [...repo.messagesAfter(scope)].map((m) => m.text);

describe('MarkovTraining', () => {
  it('trains the channel scope and the entity and named scopes of the entities in the channel', () => {
    const t = training([
      { id: 'a', username: 'A' },
      { id: 'b', username: 'B', markov: { scope: 'entity' } },
      { id: 'c', username: 'C', markov: { scope: 'shared' }, platforms: { web: { channels: ['other'] } } },
      { id: 'd', username: 'D', markov: { scope: 'shared' } },
    ]);
    t.learn(store('general', 'hello there'));
    t.learn(store('general', 'a bot line', true));
    t.learn(store('general', '   '));
    expect(texts('channel:web:general')).toEqual(['hello there']);
    expect(texts('entity:b')).toEqual(['hello there']);
    expect(texts('shared')).toEqual(['hello there']);
    t.learn(store('other', 'over here'));
    expect(texts('shared')).toEqual(['hello there', 'over here']);
    expect(texts('channel:web:other')).toEqual(['over here']);
  });

  it("starts a new scope from the channel's human history in the inbox", () => {
    store('general', 'said before anyone listened');
    store('general', 'a bot reply', true);
    const t = training([{ id: 'a', username: 'A' }]);
    t.learn(store('general', 'and now'));
    expect(texts('channel:web:general')).toEqual(['said before anyone listened', 'and now']);
  });

  it("puts the seed text in the entity scope with its channels' history, and untrains dropped lines", () => {
    store('general', 'history line');
    const entity = {
      id: 'b',
      username: 'B',
      markov: { scope: 'entity', seedText: ['one seed', 'two seed'] },
    };
    training([entity]).syncSeeds();
    expect(texts('entity:b')).toEqual(['one seed', 'two seed', 'history line']);
    training([{ ...entity, markov: { scope: 'entity', seedText: ['two seed', 'three seed'] } }]).syncSeeds();
    expect(texts('entity:b')).toEqual(['two seed', 'history line', 'three seed']);
    expect(repo.removalsAfter('entity:b', 0).map((r) => r.text)).toEqual(['one seed']);
  });

  it('keeps the seed text of a channel-scoped entity in its own seed scope', () => {
    training([{ id: 'a', username: 'A', markov: { seedText: ['my voice'] } }]).syncSeeds();
    expect(texts('seed:a')).toEqual(['my voice']);
    expect(repo.scope('channel:web:general')).toBeUndefined();
  });

  it('untrains a deleted message from every scope it trained', () => {
    const t = training([
      { id: 'a', username: 'A' },
      { id: 'b', username: 'B', markov: { scope: 'entity' } },
    ]);
    const message = store('general', 'regrettable words');
    t.learn(message);
    t.learn(store('general', 'fine words'));
    t.forget(message);
    expect(texts('channel:web:general')).toEqual(['fine words']);
    expect(texts('entity:b')).toEqual(['fine words']);
  });
});
