// Discord message → inbox message: conversations, authors, mentions, replies, readable text, skips.
import { describe, expect, it } from 'vitest';
import {
  MAX_INBOUND_CHARS,
  readableContent,
  toInboundMessage,
  type DiscordDirectory,
  type DiscordMessageFacts,
} from '../../bots/discord/message-mapping.js';
import { validateConfig, type EntityConfig } from '../../entities/config/index.js';

const { config } = validateConfig(
  {
    entities: [
      { id: 'alpha', username: 'Alpha', platforms: { discord: { channels: ['100'], dms: true } } },
      { id: 'luna', username: 'Luna', platforms: { discord: { channels: ['100'] } } },
    ],
  },
  'test',
);
const [alpha, luna] = config.entities as [EntityConfig, EntityConfig];

const directory: DiscordDirectory = {
  entityByUserId: (id) => (id === '1' ? alpha : undefined),
  entityByWebhook: (webhookId, username) => (webhookId === 'w1' && username === 'Luna' ? luna : undefined),
  isWatched: (channel) => channel === '100',
  inboxIdOf: (id) => (id === '555' ? 42 : undefined),
};

function facts(over: Partial<DiscordMessageFacts> = {}): DiscordMessageFacts {
  return {
    id: '777',
    channelId: '100',
    guildId: '9',
    author: { id: '2', username: 'erin', displayName: 'Erin B', bot: false },
    webhookId: null,
    content: 'hello there',
    mentions: new Map(),
    referenceId: undefined,
    attachments: 0,
    embeds: 0,
    createdAt: 1000,
    ...over,
  };
}

describe('Discord message mapping', () => {
  it("GIVEN a person's message in a watched channel THEN it maps to the channel id with the display name", () => {
    expect(toInboundMessage(facts(), directory)).toEqual({
      ok: true,
      message: {
        platform: 'discord',
        channel: '100',
        platformId: '777',
        author: 'Erin B',
        authorId: '2',
        isBot: false,
        mentions: [],
        text: 'hello there',
        createdAt: 1000,
      },
    });
  });

  it("GIVEN a mention of an entity's bot and of a person THEN mentions hold the entity id and the user id, and the text their names", () => {
    const result = toInboundMessage(
      facts({
        content: '<@1> and <@!3>, see <#100> <@&5> <:wave:123>',
        mentions: new Map([
          ['1', 'AlphaBot'],
          ['3', 'Finn'],
        ]),
      }),
      directory,
    );
    expect(result.ok && result.message.mentions).toEqual(['alpha', '3']);
    expect(result.ok && result.message.text).toBe('@Alpha and @Finn, see #channel @role :wave:');
  });

  it('GIVEN a reply to a stored message THEN replyTo is its inbox id; to an unknown one THEN no replyTo', () => {
    const known = toInboundMessage(facts({ referenceId: '555' }), directory);
    const unknown = toInboundMessage(facts({ referenceId: '556' }), directory);
    expect(known.ok && known.message.replyTo).toBe(42);
    expect(unknown.ok && 'replyTo' in unknown.message).toBe(false);
  });

  it('GIVEN a post by one of our webhooks THEN it is the persona entity; another bot THEN a bot without entity', () => {
    const persona = toInboundMessage(
      facts({ webhookId: 'w1', author: { id: 'w1', username: 'Luna', displayName: 'Luna', bot: true } }),
      directory,
    );
    expect(persona.ok && persona.message).toMatchObject({ entityId: 'luna', isBot: true, author: 'Luna' });
    const other = toInboundMessage(
      facts({ author: { id: '8', username: 'otherbot', displayName: 'Other', bot: true } }),
      directory,
    );
    expect(other.ok && other.message).toMatchObject({ isBot: true, author: 'Other' });
    expect(other.ok && other.message.entityId).toBeUndefined();
  });

  it('GIVEN a direct message THEN the conversation is dm:<receiver>:<person>, only when the receiver takes DMs', () => {
    const dm = facts({ guildId: null, channelId: 'dm-chan' });
    const taken = toInboundMessage(dm, directory, { receiver: alpha, partnerId: '2' });
    expect(taken.ok && taken.message.channel).toBe('dm:alpha:2');
    expect(toInboundMessage(dm, directory, { receiver: luna, partnerId: '2' })).toEqual({
      ok: false,
      reason: 'direct messages disabled',
    });
  });

  it('GIVEN messages without text or outside the watched channels THEN they are skipped with a reason', () => {
    const skip = (over: Partial<DiscordMessageFacts>) => {
      const r = toInboundMessage(facts(over), directory);
      return r.ok ? 'kept' : r.reason;
    };
    expect(skip({ content: '   ' })).toBe('empty');
    expect(skip({ content: '', attachments: 2 })).toBe('attachment only');
    expect(skip({ content: '', embeds: 1 })).toBe('embed only');
    expect(skip({ channelId: '200' })).toBe('unwatched channel');
    expect(skip({ content: 'look', attachments: 1 })).toBe('kept');
  });

  it('GIVEN an oversized text THEN it is cut to the inbound limit', () => {
    const r = toInboundMessage(facts({ content: 'x'.repeat(MAX_INBOUND_CHARS * 2) }), directory);
    expect(r.ok && r.message.text.length).toBe(MAX_INBOUND_CHARS);
  });

  it('GIVEN a mention of an unknown user THEN it reads as @someone', () => {
    expect(readableContent('hi <@999>', () => undefined)).toBe('hi @someone');
  });
});
