// What Discord shows while a reply is generated: the entity's typing indicator, renewed until the reply is
// ready, and a reply streamed from the cluster shown as one message edited in place, then finalised.
import { afterEach, describe, expect, it } from 'vitest';
import type { Generator } from '../../bots/generation/index.js';
import { ERIN, pause, startDiscordFleet, type DiscordFleet } from '../support/discord-fleet.js';

let running: DiscordFleet | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const WORDS =
  'the tide comes in slowly over the stones and the gulls wait on the old pier for the boats'.split(' ');

/** Streams one more word every `stepMs`, like the cluster does with tokens. */
function streamingGenerator(stepMs: number): Generator {
  return {
    name: 'streaming',
    generate: async (req) => {
      let text = '';
      for (const word of WORDS) {
        text = text ? `${text} ${word}` : word;
        req.onPartial?.(text);
        await pause(stepMs);
      }
      return { text: `${text}.`, source: 'llm', generator: 'streaming' };
    },
  };
}

function slowGenerator(ms: number): Generator {
  return {
    name: 'slow',
    generate: async (req) => {
      await pause(ms);
      return { text: `${req.entity.username} thought about it`, source: 'llm', generator: 'slow' };
    },
  };
}

const typingCalls = (running: DiscordFleet) =>
  running.fake.requests.filter((r) => r.method === 'POST' && /\/typing$/.test(r.path)).length;

describe('Discord reply activity', () => {
  it('GIVEN a slow reply THEN the typing indicator is renewed until the reply is sent, then stops', async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha' }],
      generators: [slowGenerator(700)],
      tuning: { typingIntervalMs: 150 },
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    fake.post(running.channel(), ERIN, `<@${alpha}> take your time`);
    const [reply] = await fake.waitFor((m) => m.author.id === alpha);
    expect(reply!.content).toBe('Alpha thought about it');
    const typed = typingCalls(running);
    expect(typed).toBeGreaterThanOrEqual(3);
    expect(
      fake.requests.filter((r) => r.token === running!.token('alpha') && /\/typing$/.test(r.path)),
    ).toHaveLength(typed);
    await pause(500);
    expect(typingCalls(running)).toBe(typed);
  });

  it('GIVEN a reply that does not stream THEN only typing and the reply are shown (no edits)', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    fake.post(running.channel(), ERIN, `<@${alpha}> quick one`);
    await fake.waitFor((m) => m.author.id === alpha);
    await pause(200);
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(typingCalls(running)).toBeGreaterThanOrEqual(1);
  });

  it('GIVEN a streamed reply THEN one preview reply is edited at most once per interval and finalised in place', async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha' }],
      generators: [streamingGenerator(40)],
      discord: { streamEditIntervalMs: 300 },
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const asked = fake.post(running.channel(), ERIN, `<@${alpha}> describe the harbour`);
    const final = `${WORDS.join(' ')}.`;
    await fake.waitFor((m) => m.author.id === alpha && m.content === final, { timeoutMs: 8000 });
    await pause(300);
    const mine = fake.messages(running.channel()).filter((m) => m.author.id === alpha);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message_reference?.message_id).toBe(asked.id);
    expect(mine[0]!.edited_timestamp).not.toBeNull();
    const edits = fake.requests.filter(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${mine[0]!.id}`),
    );
    // 18 partials over ~720 ms would be 17 edits unthrottled; at one per 300 ms there are at most a few.
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(5);
    expect(edits.at(-1)!.body.content).toBe(final);
    expect(
      edits.every(
        (e) => (e.body as { allowed_mentions?: { parse?: string[] } }).allowed_mentions?.parse?.length === 0,
      ),
    ).toBe(true);
    // The inbox holds the final text once, as alpha's reply.
    const stored = running.fleet.store.inbox.byPlatformId('discord', mine[0]!.id);
    expect(stored).toMatchObject({ entityId: 'alpha', text: final });
  });

  it('GIVEN a webhook persona streams its reply THEN its webhook post is edited in place, with no typing indicator', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'luna', username: 'Luna', token: false },
      ],
      generators: [streamingGenerator(40)],
      discord: { streamEditIntervalMs: 300 },
    });
    const { fake } = running;
    fake.post(running.channel(), ERIN, 'Luna, describe the harbour');
    const final = `${WORDS.join(' ')}.`;
    const [post] = await fake.waitFor((m) => m.webhook_id !== undefined && m.content === final, {
      timeoutMs: 8000,
    });
    await pause(300);
    expect(fake.messages(running.channel()).filter((m) => m.webhook_id !== undefined)).toHaveLength(1);
    const edits = fake.requests.filter(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${post!.id}`),
    );
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(5);
    expect(typingCalls(running)).toBe(0);
    expect(running.fleet.store.inbox.byPlatformId('discord', post!.id)).toMatchObject({
      entityId: 'luna',
      text: final,
    });
  });
});
