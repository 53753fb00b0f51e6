// What Chorus takes from Discord: odd messages (oversized, empty, embed-only, attachment-only, unknown
// channels) handled without a crash, edits and deletions updating the channel's Markov chain, and webhook
// personas recorded as their entity's messages.
import { afterEach, describe, expect, it } from 'vitest';
import { ERIN, FINN, pause, startDiscordFleet, type DiscordFleet } from '../support/discord-fleet.js';
import { waitFor } from '../support/test-fleet.js';

let running: DiscordFleet | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const scopeTexts = (running: DiscordFleet, channel: string): string[] =>
  (
    running.fleet.store.db
      .prepare('SELECT text FROM markov_messages WHERE scope = ? ORDER BY seq')
      .all(`channel:discord:${channel}`) as { text: string }[]
  ).map((r) => r.text);

describe('Discord inbound', () => {
  it('GIVEN oversized, empty, embed-only, attachment-only and unknown-channel messages THEN each is handled and the bot keeps answering', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const channel = running.channel();
    const huge = fake.post(channel, ERIN, `<@${alpha}> ${'word '.repeat(2000)}`);
    const empty = fake.post(channel, ERIN, '');
    const embed = fake.post(channel, ERIN, '', { embeds: [{ title: 'a link preview' }] });
    const file = fake.post(channel, ERIN, '', { attachments: [{ filename: 'cat.png', size: 1234 }] });
    const elsewhere = fake.post(running.channel('random'), ERIN, `<@${alpha}> over here?`);
    await fake.waitFor((m) => m.author.id === alpha);
    const inbox = running.fleet.store.inbox;
    expect(inbox.byPlatformId('discord', huge.id)?.text.length).toBeLessThanOrEqual(4000);
    for (const skipped of [empty, embed, file, elsewhere]) {
      expect(inbox.byPlatformId('discord', skipped.id)).toBeUndefined();
    }
    const reasons = running.logs
      .filter((r) => r.message === 'Discord message skipped')
      .map((r) => r.fields.reason);
    expect(new Set(reasons)).toEqual(
      new Set(['empty', 'embed only', 'attachment only', 'unwatched channel']),
    );
    // The mention markup became the entity's name, and the person's display name is the author.
    expect(inbox.byPlatformId('discord', huge.id)).toMatchObject({
      author: 'erin',
      authorId: ERIN.id,
      mentions: ['alpha'],
      isBot: false,
    });
    expect(inbox.byPlatformId('discord', huge.id)?.text.startsWith('@Alpha word')).toBe(true);
    fake.post(channel, FINN, `<@${alpha}> still fine?`);
    await fake.waitFor((m) => m.author.id === alpha, { count: 2 });
  });

  it("GIVEN a person edits and then deletes a message THEN the channel's Markov chain forgets the old text and learns the new", async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha' }],
      markovSettings: { enabled: true },
    });
    const { fake } = running;
    const channel = running.channel();
    const first = fake.post(channel, ERIN, 'the harbour lights were warm tonight');
    const second = fake.post(channel, ERIN, 'the gulls were loud over the boats');
    await pause(400);
    await running.fleet.engine.idle();
    expect(scopeTexts(running, channel)).toEqual([
      'the harbour lights were warm tonight',
      'the gulls were loud over the boats',
    ]);

    fake.edit(channel, first.id, 'the harbour lights were cold tonight');
    await pause(300);
    expect(scopeTexts(running, channel)).toEqual([
      'the gulls were loud over the boats',
      'the harbour lights were cold tonight',
    ]);
    expect(running.fleet.store.inbox.byPlatformId('discord', first.id)?.text).toBe(
      'the harbour lights were cold tonight',
    );

    fake.delete(channel, second.id);
    await pause(300);
    expect(scopeTexts(running, channel)).toEqual(['the harbour lights were cold tonight']);
  });

  it('GIVEN an entity without a token THEN it speaks through a channel webhook with its name and avatar, and its posts count as its own', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        {
          id: 'luna',
          username: 'Luna',
          token: false,
          avatarUrl: 'http://127.0.0.1:9/luna.png',
          responseChance: 1,
        },
      ],
      botSettings: { maxRepliesPerMessage: 1, maxBotExchanges: 1 },
    });
    const { fake } = running;
    const channel = running.channel();
    fake.post(channel, ERIN, 'Luna, how is the moon today');
    const [post] = await fake.waitFor((m) => m.webhook_id !== undefined);
    expect(post!.author.username).toBe('Luna');
    expect(post!.content).toMatch(/^Luna answers #\d+$/);
    expect(post!.allowed_mentions?.parse).toEqual([]);
    const execute = fake.requests.find((r) => r.method === 'POST' && /^\/webhooks\//.test(r.path));
    expect(execute?.body).toMatchObject({ username: 'Luna', avatar_url: 'http://127.0.0.1:9/luna.png' });
    expect(fake.webhooks(channel)).toHaveLength(1);
    const inbox = running.fleet.store.inbox;
    const stored = await waitFor(
      () => inbox.byPlatformId('discord', post!.id),
      (m) => m !== undefined,
    );
    expect(stored).toMatchObject({ entityId: 'luna', isBot: true });

    // A second reply reuses the channel's webhook.
    fake.post(channel, FINN, 'Luna, and the stars');
    await fake.waitFor((m) => m.webhook_id !== undefined, { count: 2 });
    expect(fake.webhooks(channel)).toHaveLength(1);
  });
});
