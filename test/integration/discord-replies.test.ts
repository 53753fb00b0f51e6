// Chorus on Discord through the real discord.js client and the fake Discord: mentions, chance replies, the
// bot-to-bot cap, rate limits, long replies split, nobody pinged, DMs.
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import type { Generator } from '../../bots/generation/index.js';
import { ERIN, FINN, pause, startDiscordFleet, type DiscordFleet } from '../support/discord-fleet.js';

let running: DiscordFleet | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const longGenerator: Generator = {
  name: 'long',
  generate: async (req) => ({
    text: Array.from(
      { length: 120 },
      (_, i) => `Sentence number ${i} from ${req.entity.username} here.`,
    ).join(' '),
    source: 'llm',
    generator: 'long',
  }),
};

describe('Discord replies', () => {
  it('GIVEN a person mentions an entity THEN its own bot answers with a native reply that pings nobody', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'beta', username: 'Beta' },
      ],
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const asked = fake.post(running.channel(), ERIN, `<@${alpha}> hello there`, { mentions: [alpha] });
    const [reply] = await fake.waitFor((m) => m.author.id === alpha);
    expect(reply!.content).toMatch(/^Alpha answers #\d+$/);
    expect(reply!.message_reference?.message_id).toBe(asked.id);
    expect(reply!.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply!.nonce).toBeDefined();
    await pause(300);
    expect(fake.messages(running.channel()).filter((m) => m.author.bot)).toHaveLength(1);
    // The reply is in the inbox as alpha's, answering the person's message.
    const stored = running.fleet.store.inbox.byPlatformId('discord', reply!.id);
    expect(stored).toMatchObject({ entityId: 'alpha', isBot: true, source: 'llm' });
    expect(running.fleet.store.inbox.get(stored!.replyTo!)?.platformId).toBe(asked.id);
    expect(running.fleet.platforms[0]?.status?.()).toMatchObject({
      entities: { alpha: { state: 'ready' }, beta: { state: 'ready' } },
    });
  });

  it('GIVEN questions and a seeded random THEN the entity answers at its configured chance, reproducibly', async () => {
    const answered = async () => {
      running = await startDiscordFleet({
        entities: [{ id: 'alpha', username: 'Alpha', responseChance: 0.25 }],
        random: seededRandom(7),
      });
      const { fake } = running;
      for (let i = 0; i < 20; i++) fake.post(running.channel(), ERIN, `is question ${i} a good one?`);
      await pause(1500);
      await running.fleet.engine.idle();
      await pause(300);
      const replies = fake.messages(running.channel()).filter((m) => m.author.bot);
      const which = replies.map((r) => r.message_reference?.message_id);
      const posted = fake
        .messages(running.channel())
        .filter((m) => !m.author.bot)
        .map((m) => m.id);
      await running.stop();
      running = undefined;
      return which.map((id) => posted.indexOf(id!));
    };
    const first = await answered();
    // A question doubles the chance (0.5): some but not all of the 20 are answered.
    expect(first.length).toBeGreaterThan(2);
    expect(first.length).toBeLessThan(18);
    expect(await answered()).toEqual(first);
  });

  it('GIVEN two chatty entities THEN their bot-to-bot exchange stops at maxBotExchanges', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha', responseChance: 1 },
        { id: 'beta', username: 'Beta', responseChance: 1 },
      ],
      botSettings: { maxRepliesPerMessage: 1, maxBotExchanges: 3 },
    });
    const { fake } = running;
    fake.post(running.channel(), ERIN, 'hello both');
    await fake.waitFor((m) => m.author.bot === true, { count: 4 });
    await pause(800);
    await running.fleet.engine.idle();
    const bots = fake.messages(running.channel()).filter((m) => m.author.bot);
    // One reply to the person, then three bot-to-bot exchanges, then silence.
    expect(bots).toHaveLength(4);
    for (let i = 1; i < bots.length; i++) expect(bots[i]!.author.id).not.toBe(bots[i - 1]!.author.id);
  });

  it("GIVEN an entity's rate limit THEN mentions beyond it go unanswered", async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha', rateLimits: { maxPostsPerMinute: 2 } }],
      botSettings: { mentionWaitMs: 0 },
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    for (let i = 0; i < 5; i++) fake.post(running.channel(), ERIN, `<@${alpha}> ping ${i}`);
    await fake.waitFor((m) => m.author.id === alpha, { count: 2 });
    await pause(600);
    await running.fleet.engine.idle();
    expect(fake.messages(running.channel()).filter((m) => m.author.id === alpha)).toHaveLength(2);
  });

  it('GIVEN a reply longer than 2,000 characters THEN it is split on sentence boundaries, the first part replying', async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha' }],
      botSettings: { maxReplyLength: 6000 },
      generators: [longGenerator],
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const asked = fake.post(running.channel(), ERIN, `<@${alpha}> tell me everything @everyone`);
    const parts = await fake.waitFor((m) => m.author.id === alpha, { count: 3 });
    for (const part of parts) {
      expect(part.content.length).toBeLessThanOrEqual(2000);
      expect(part.content).toMatch(/here\.$/);
      expect(part.allowed_mentions?.parse).toEqual([]);
    }
    expect(parts[0]!.message_reference?.message_id).toBe(asked.id);
    expect(parts.slice(1).every((p) => p.message_reference === undefined)).toBe(true);
  });

  it('GIVEN entities in a thread THEN the bot answers there, and a webhook persona posts into the thread', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha', channels: ['ideas'] },
        { id: 'luna', username: 'Luna', token: false, channels: ['ideas'] },
      ],
      threads: [{ name: 'ideas', parent: 'general' }],
    });
    const { fake } = running;
    const thread = running.channel('ideas');
    const alpha = running.userId('alpha');
    fake.post(thread, ERIN, `<@${alpha}> and Luna, thoughts?`);
    const replies = await fake.waitFor((m) => m.channel_id === thread && m.author.bot === true, { count: 2 });
    expect(replies.map((r) => r.author.username).sort()).toEqual(['Alpha', 'Luna']);
    const execute = fake.requests.find((r) => r.method === 'POST' && /^\/webhooks\//.test(r.path));
    expect(execute?.query.thread_id).toBe(thread);
    expect(fake.webhooks(running.channel('general'))).toHaveLength(1);
  });

  it('GIVEN direct messages enabled THEN a DM is answered in the DM by that entity only', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha', dms: true },
        { id: 'beta', username: 'Beta', responseChance: 1 },
      ],
    });
    const { fake } = running;
    const asked = fake.dm(running.token('alpha'), FINN, 'just between us');
    const [reply] = await fake.waitFor((m) => m.channel_id === asked.channel_id && m.author.bot === true);
    expect(reply!.author.id).toBe(running.userId('alpha'));
    expect(reply!.message_reference?.message_id).toBe(asked.id);
    const stored = running.fleet.store.inbox.byPlatformId('discord', asked.id);
    expect(stored?.channel).toBe(`dm:alpha:${FINN.id}`);
  });

  it('GIVEN direct messages disabled THEN a DM is ignored', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha', responseChance: 1 }] });
    const { fake } = running;
    const asked = fake.dm(running.token('alpha'), FINN, 'hello?');
    await pause(500);
    expect(running.fleet.store.inbox.byPlatformId('discord', asked.id)).toBeUndefined();
    expect(fake.messages(asked.channel_id).filter((m) => m.author.bot)).toHaveLength(0);
  });
});
