// The conversation analyzer is pure: GIVEN a channel's history, a new message and the entities present,
// THEN the candidates that may answer it, with a reason and a probability.
import { describe, expect, it } from 'vitest';
import {
  activity,
  analyze,
  botRunLength,
  isQuestion,
  keywords,
  MentionIndex,
  type AnalyzerEntity,
  type Candidate,
} from '../../bots/analyzer/index.js';
import type { StoredMessage } from '../../core/message.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
let nextId = 1;

function human(text: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  const id = nextId++;
  return {
    id,
    platform: 'web',
    channel: 'general',
    platformId: `p${id}`,
    author: 'dana',
    authorId: 'user-dana',
    isBot: false,
    mentions: [],
    text,
    createdAt: T0,
    ...extra,
  };
}

function botMessage(entityId: string, text: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  return human(text, { author: entityId, authorId: `bot-${entityId}`, isBot: true, entityId, ...extra });
}

function entity(
  id: string,
  username: string,
  responseChance = 0,
  settings: Partial<AnalyzerEntity['conversationSettings']> = {},
): AnalyzerEntity {
  return {
    id,
    username,
    responseChance,
    conversationSettings: {
      respondsToHumanMessages: true,
      respondsToAllAiMessages: true,
      respondsToTheseAiOnly: [],
      ...settings,
    },
  };
}

function run(
  history: readonly StoredMessage[],
  message: StoredMessage,
  entities: readonly AnalyzerEntity[],
  maxBotExchanges = 3,
) {
  return analyze(history, message, entities, new MentionIndex(entities), { maxBotExchanges });
}

const candidateOf = (candidates: readonly Candidate[], id: string) =>
  candidates.find((c) => c.entityId === id);

describe('conversation analyzer: mentions', () => {
  const alice = entity('ent-1', 'Alice');
  const captain = entity('cap-1', 'Captain Bob');
  const cast = [alice, captain];

  it('GIVEN "@username" THEN that entity is a certain candidate', () => {
    const { candidates } = run([], human('@Alice what do you reckon'), cast);
    expect(candidates).toEqual([{ entityId: 'ent-1', reason: 'mentioned', probability: 1 }]);
  });

  it('GIVEN the username as a plain word THEN that entity is mentioned', () => {
    const { candidates } = run([], human('I told alice about it'), cast);
    expect(candidateOf(candidates, 'ent-1')).toEqual({
      entityId: 'ent-1',
      reason: 'mentioned',
      probability: 1,
    });
  });

  it('GIVEN the entity id THEN that entity is mentioned', () => {
    const { candidates } = run([], human('ping @ent-1 please'), cast);
    expect(candidateOf(candidates, 'ent-1')?.reason).toBe('mentioned');
  });

  it('GIVEN a name in another case THEN it still matches', () => {
    expect(run([], human('ALICE, come here'), cast).candidates.map((c) => c.entityId)).toEqual(['ent-1']);
    expect(run([], human('Ent-1 come here'), cast).candidates.map((c) => c.entityId)).toEqual(['ent-1']);
  });

  it('GIVEN a word that only contains the username THEN nobody is mentioned', () => {
    expect(run([], human('Alicent and Alicia are here'), cast).candidates).toEqual([]);
  });

  it('GIVEN a multi-word username THEN the whole name mentions it, one of its words does not', () => {
    expect(candidateOf(run([], human('hey captain bob, you there'), cast).candidates, 'cap-1')?.reason).toBe(
      'mentioned',
    );
    expect(candidateOf(run([], human('@Captain Bob ahoy'), cast).candidates, 'cap-1')?.reason).toBe(
      'mentioned',
    );
    expect(run([], human('the captain said so'), cast).candidates).toEqual([]);
  });

  it('GIVEN a mention the platform reported THEN that entity is mentioned', () => {
    const { candidates } = run([], human('look at this', { mentions: ['cap-1'] }), cast);
    expect(candidates).toEqual([{ entityId: 'cap-1', reason: 'mentioned', probability: 1 }]);
  });

  it('GIVEN a direct message to an entity THEN its owner answers for certain', () => {
    const { candidates } = run([], human('hello', { channel: 'dm:cap-1:user-dana' }), cast);
    expect(candidates).toEqual([{ entityId: 'cap-1', reason: 'mentioned', probability: 1 }]);
  });

  it('GIVEN several names THEN the index lists each entity once', () => {
    const index = new MentionIndex(cast);
    expect(index.mentioned('alice, Alice and @ent-1').sort()).toEqual(['ent-1']);
    expect(index.mentioned('Alice meets Captain Bob').sort()).toEqual(['cap-1', 'ent-1']);
    expect(index.mentioned('nobody here')).toEqual([]);
  });

  it('GIVEN an entity names itself in its own message THEN it never answers itself', () => {
    const { candidates } = run([], botMessage('ent-1', 'I am Alice, @ent-1 is me'), [
      entity('ent-1', 'Alice', 1),
    ]);
    expect(candidates).toEqual([]);
  });

  it('GIVEN an entity wrote the message THEN only the others may answer', () => {
    const cast2 = [entity('a', 'Ann', 0.5), entity('b', 'Ben', 0.5)];
    const { candidates } = run([human('hi all')], botMessage('a', 'hello there'), cast2);
    expect(candidates.map((c) => c.entityId)).toEqual(['b']);
  });
});

describe('conversation analyzer: chance and questions', () => {
  it('GIVEN a plain message THEN each entity is a candidate with its responseChance', () => {
    const { candidates, question } = run([], human('nice weather today'), [
      entity('a', 'Ann', 0.25),
      entity('b', 'Ben', 0.5),
    ]);
    expect(question).toBe(false);
    expect(candidates).toEqual([
      { entityId: 'a', reason: 'chance', probability: 0.25 },
      { entityId: 'b', reason: 'chance', probability: 0.5 },
    ]);
  });

  it('GIVEN a question THEN the responseChance doubles, capped at 1', () => {
    const { candidates, question } = run([], human('anyone seen my keys?'), [
      entity('a', 'Ann', 0.3),
      entity('b', 'Ben', 0.7),
    ]);
    expect(question).toBe(true);
    expect(candidates).toEqual([
      { entityId: 'a', reason: 'question', probability: 0.6 },
      { entityId: 'b', reason: 'question', probability: 1 },
    ]);
  });

  it('GIVEN responseChance 0 THEN no candidate, for a statement or a question', () => {
    const quiet = [entity('a', 'Ann', 0)];
    expect(run([], human('nice weather today'), quiet).candidates).toEqual([]);
    expect(run([], human('is it going to rain?'), quiet).candidates).toEqual([]);
  });

  it('GIVEN responseChance 0 and a mention THEN the entity is still certain', () => {
    expect(run([], human('Ann, nice weather today'), [entity('a', 'Ann', 0)]).candidates).toEqual([
      { entityId: 'a', reason: 'mentioned', probability: 1 },
    ]);
  });

  it('GIVEN a mention in a question THEN the mention wins over the question', () => {
    expect(run([], human('Ann, are you there?'), [entity('a', 'Ann', 0.2)]).candidates).toEqual([
      { entityId: 'a', reason: 'mentioned', probability: 1 },
    ]);
  });
});

describe('isQuestion', () => {
  it.each([
    'are you there?',
    'so that happened?',
    'Where is everyone',
    'how do I install this',
    'Is it raining',
    'anyone around',
    'Could you help me',
  ])('GIVEN %j THEN it is a question', (text) => {
    expect(isQuestion(text)).toBe(true);
  });

  it.each(['is', 'Is it', 'how so', 'I like cheese', 'This is fine', 'whatever works', ''])(
    'GIVEN %j THEN it is not a question',
    (text) => {
      expect(isQuestion(text)).toBe(false);
    },
  );
});

describe('conversation analyzer: replies', () => {
  const cast = [entity('a', 'Ann', 0), entity('b', 'Ben', 0.2)];

  it("GIVEN a reply to an entity's message THEN that entity is certain", () => {
    const earlier = botMessage('a', 'the answer is 42');
    const history = [human('what is the answer'), earlier];
    const { candidates } = run(history, human('tell me more', { replyTo: earlier.id }), cast);
    expect(candidates).toEqual([
      { entityId: 'a', reason: 'reply', probability: 1 },
      { entityId: 'b', reason: 'chance', probability: 0.2 },
    ]);
  });

  it("GIVEN a reply to a human's message THEN nobody is certain", () => {
    const earlier = human('I made soup');
    const { candidates } = run([earlier], human('nice soup', { replyTo: earlier.id }), cast);
    expect(candidates).toEqual([{ entityId: 'b', reason: 'chance', probability: 0.2 }]);
  });

  it('GIVEN a reply to a message no longer in the history THEN nobody is certain', () => {
    const { candidates } = run([human('hello')], human('nice soup', { replyTo: 999_999 }), cast);
    expect(candidates).toEqual([{ entityId: 'b', reason: 'chance', probability: 0.2 }]);
  });
});

describe('conversation analyzer: conversationSettings', () => {
  it('GIVEN respondsToHumanMessages=false THEN it ignores humans but answers bots', () => {
    const shy = entity('shy', 'Shy', 0.5, { respondsToHumanMessages: false });
    expect(run([], human('hello there'), [shy]).candidates).toEqual([]);
    expect(run([human('hi')], botMessage('other', 'hello there'), [shy]).candidates).toEqual([
      { entityId: 'shy', reason: 'chance', probability: 0.5 },
    ]);
  });

  it('GIVEN respondsToAllAiMessages=false THEN it ignores bots but answers humans', () => {
    const humanOnly = entity('h', 'Hugo', 0.5, { respondsToAllAiMessages: false });
    expect(run([human('hi')], botMessage('other', 'hello there'), [humanOnly]).candidates).toEqual([]);
    expect(run([], human('hello there'), [humanOnly]).candidates).toEqual([
      { entityId: 'h', reason: 'chance', probability: 0.5 },
    ]);
  });

  it('GIVEN respondsToTheseAiOnly by id THEN it answers only those bots', () => {
    const picky = entity('p', 'Pia', 0.5, { respondsToAllAiMessages: false, respondsToTheseAiOnly: ['bob'] });
    expect(run([human('hi')], botMessage('bob', 'hello'), [picky]).candidates).toHaveLength(1);
    expect(run([human('hi')], botMessage('carol', 'hello'), [picky]).candidates).toEqual([]);
  });

  it('GIVEN respondsToTheseAiOnly by username THEN it matches the author name, case-insensitively', () => {
    const picky = entity('p', 'Pia', 0.5, { respondsToTheseAiOnly: ['Carol The Cat'] });
    const fromCarol = botMessage('carol', 'meow', { author: 'carol the cat' });
    const fromBob = botMessage('bob', 'woof', { author: 'Bob' });
    expect(run([human('hi')], fromCarol, [picky]).candidates).toEqual([
      { entityId: 'p', reason: 'chance', probability: 0.5 },
    ]);
    expect(run([human('hi')], fromBob, [picky]).candidates).toEqual([]);
  });

  it('GIVEN respondsToTheseAiOnly THEN humans are still answered', () => {
    const picky = entity('p', 'Pia', 0.5, { respondsToTheseAiOnly: ['bob'] });
    expect(run([], human('hello'), [picky]).candidates).toHaveLength(1);
  });
});

describe('conversation analyzer: the bot-to-bot cap', () => {
  const listener = entity('z', 'Zed', 0.5);

  /** A human message followed by `bots` bot messages, alternating between two entities. */
  function exchange(bots: number): StoredMessage[] {
    const history = [human('start a debate')];
    for (let i = 0; i < bots; i++) history.push(botMessage(i % 2 === 0 ? 'a' : 'b', `point ${i}`));
    return history;
  }

  it('GIVEN human, botA THEN a new bot message has botRun 2', () => {
    const history = exchange(1);
    expect(botRunLength(history, botMessage('b', 'reply'))).toBe(2);
    expect(run(history, botMessage('b', 'reply'), [listener]).botRun).toBe(2);
  });

  it('GIVEN only a human message before THEN a bot message has botRun 1', () => {
    expect(botRunLength(exchange(0), botMessage('a', 'first'))).toBe(1);
  });

  it('GIVEN a human in the middle THEN the run counts only the bots after it', () => {
    const history = [...exchange(4), human('stop it'), botMessage('a', 'sorry')];
    expect(botRunLength(history, botMessage('b', 'me too'))).toBe(2);
  });

  it('GIVEN maxBotExchanges 3 THEN bot messages are answerable while botRun <= 3', () => {
    for (const before of [0, 1, 2]) {
      const history = exchange(before);
      const message = botMessage('c', 'next point');
      const analysis = run(history, message, [listener], 3);
      expect(analysis.botRun).toBe(before + 1);
      expect(analysis.candidates).toEqual([{ entityId: 'z', reason: 'chance', probability: 0.5 }]);
    }
  });

  it('GIVEN maxBotExchanges 3 and botRun 4 THEN nobody answers, not even a mentioned entity', () => {
    const history = exchange(3);
    const analysis = run(history, botMessage('c', 'Zed, what do you think?'), [listener], 3);
    expect(analysis.botRun).toBe(4);
    expect(analysis.candidates).toEqual([]);
  });

  it('GIVEN a long bot run THEN a human message is still answered', () => {
    const analysis = run(exchange(10), human('ok bots, enough'), [listener], 3);
    expect(analysis.candidates).toHaveLength(1);
  });

  it('GIVEN maxBotExchanges 0 THEN bots never answer bots', () => {
    const mentioned = run(exchange(0), botMessage('a', 'Zed?'), [listener], 0);
    expect(mentioned.botRun).toBe(1);
    expect(mentioned.candidates).toEqual([]);
    expect(run([], human('Zed?'), [listener], 0).candidates).toHaveLength(1);
  });
});

describe('conversation analyzer: activity', () => {
  /** `count` messages spread over the `spanMs` before T0. */
  function spread(count: number, spanMs: number): StoredMessage[] {
    return Array.from({ length: count }, (_, i) =>
      human(`m${i}`, { createdAt: T0 - spanMs + Math.floor((i * spanMs) / count) + 1 }),
    );
  }

  it('GIVEN no history THEN the channel is quiet', () => {
    expect(activity([], T0)).toEqual({ perMinute: 0, level: 'quiet' });
  });

  it('GIVEN 4 messages in the last five minutes THEN it is quiet', () => {
    expect(activity(spread(4, 5 * 60_000), T0)).toEqual({ perMinute: 0.8, level: 'quiet' });
  });

  it('GIVEN 5 messages in the last five minutes THEN it is active', () => {
    expect(activity(spread(5, 5 * 60_000), T0)).toEqual({ perMinute: 1, level: 'active' });
  });

  it('GIVEN 50 messages in the last five minutes THEN it is busy', () => {
    expect(activity(spread(50, 5 * 60_000), T0)).toEqual({ perMinute: 10, level: 'busy' });
  });

  it('GIVEN older messages THEN only the last five minutes count, the boundary excluded', () => {
    const old = [
      ...spread(100, 60 * 60_000).map((m) => ({ ...m, createdAt: m.createdAt - 10 * 60_000 })),
      human('on the boundary', { createdAt: T0 - 5 * 60_000 }),
    ];
    const history = [...old, ...spread(5, 60_000)];
    expect(activity(history, T0)).toEqual({ perMinute: 1, level: 'active' });
  });

  it('GIVEN a message THEN the analysis reports the activity of its history', () => {
    const analysis = run(spread(50, 60_000), human('hi'), []);
    expect(analysis.activity).toBe('busy');
    expect(analysis.messagesPerMinute).toBe(10);
  });
});

describe('keywords', () => {
  it('GIVEN a sentence THEN stopwords and short words are dropped, longest first', () => {
    expect(keywords('The quick brown fox jumps over the lazy dog')).toEqual([
      'quick',
      'brown',
      'jumps',
      'lazy',
      'fox',
    ]);
  });

  it('GIVEN only stopwords, short words and numbers THEN there are no keywords', () => {
    expect(keywords('I am ok, it is so 2024 and we go up')).toEqual([]);
  });

  it('GIVEN repeated words and a limit THEN each word appears once, at most `max` of them', () => {
    expect(keywords('Markov markov MARKOV chains and chains', 5)).toEqual(['markov', 'chains']);
    expect(keywords('elephant giraffe penguin dolphin', 2)).toEqual(['elephant', 'giraffe']);
  });

  it('GIVEN a mention and punctuation THEN the words are lower-cased and bare', () => {
    expect(keywords('@Alice: Kubernetes... really?!')).toEqual(['kubernetes', 'alice']);
  });
});
