// Delivery on Discord under trouble: 429s, dropped gateway connections, resent outbox rows, vanished channels,
// bad, revoked and under-privileged tokens (one entity fails; the others keep answering).
import { afterEach, describe, expect, it } from 'vitest';
import { ERIN, FINN, pause, startDiscordFleet, type DiscordFleet } from '../support/discord-fleet.js';

let running: DiscordFleet | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const MESSAGES = /^\/channels\/\d+\/messages$/;

describe('Discord delivery', () => {
  it('GIVEN Discord answers 429 THEN the reply waits for retry_after and is posted once', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    fake.rateLimit({ method: 'POST', path: MESSAGES }, 0.4);
    fake.post(running.channel(), ERIN, `<@${alpha}> are you there`);
    await fake.waitFor((m) => m.author.id === alpha);
    await pause(500);
    const posts = fake.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path) && r.token);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.messages(running.channel()).filter((m) => m.author.id === alpha)).toHaveLength(1);
  });

  it('GIVEN the gateway connection drops THEN it resumes and the message sent meanwhile is answered exactly once', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'beta', username: 'Beta' },
      ],
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    fake.dropConnection(running.token('alpha'));
    fake.dropConnection(running.token('beta'));
    fake.post(running.channel(), ERIN, `<@${alpha}> did you miss this?`);
    await fake.waitFor((m) => m.author.id === alpha, { timeoutMs: 10_000 });
    await pause(500);
    await running.fleet.engine.idle();
    expect(fake.resumes(running.token('alpha'))).toBeGreaterThanOrEqual(1);
    expect(fake.identifies(running.token('alpha'))).toBe(1);
    expect(fake.messages(running.channel()).filter((m) => m.author.bot)).toHaveLength(1);
    expect(running.fleet.platforms[0]?.status?.()).toMatchObject({ entities: { alpha: { state: 'ready' } } });
  });

  it('GIVEN an outbox row is sent again (a crash before it was marked sent) THEN Discord keeps one message', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    fake.post(running.channel(), ERIN, `<@${alpha}> once only`);
    const [reply] = await fake.waitFor((m) => m.author.id === alpha);
    const row = running.fleet.store.outbox.recent(1)[0]!;
    const again = await running.fleet.platforms[0]!.sender.send(row);
    expect(again).toBe(reply!.id);
    expect(fake.messages(running.channel()).filter((m) => m.author.id === alpha)).toHaveLength(1);
  });

  it('GIVEN the fleet was down THEN on start it answers what was posted meanwhile, once', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const channel = running.channel();
    fake.post(channel, ERIN, `<@${alpha}> before the break`);
    await fake.waitFor((m) => m.author.id === alpha);
    let missed = '';
    await running.restart(() => {
      missed = fake.post(channel, FINN, `<@${alpha}> while you were away`).id;
    });
    const replies = await fake.waitFor((m) => m.author.id === alpha, { count: 2 });
    expect(replies[1]!.message_reference?.message_id).toBe(missed);
    await pause(400);
    await running.fleet.engine.idle();
    expect(fake.messages(channel).filter((m) => m.author.id === alpha)).toHaveLength(2);
  });

  it('GIVEN a session that cannot be resumed THEN the bot identifies anew and answers what it missed, once', async () => {
    running = await startDiscordFleet({
      entities: [{ id: 'alpha', username: 'Alpha' }],
      // discord.js waits 5 s between two IDENTIFYs of a token; the fake does not need that.
      tuning: {
        catchUpFreshMs: 0,
        clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } },
      },
    });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const channel = running.channel();
    fake.post(channel, ERIN, `<@${alpha}> first`);
    await fake.waitFor((m) => m.author.id === alpha);
    fake.dropConnection(running.token('alpha'), { invalidateSession: true });
    const missed = fake.post(channel, FINN, `<@${alpha}> did you hear this?`);
    const replies = await fake.waitFor((m) => m.author.id === alpha, { count: 2, timeoutMs: 10_000 });
    expect(replies[1]!.message_reference?.message_id).toBe(missed.id);
    expect(fake.identifies(running.token('alpha'))).toBe(2);
    await pause(400);
    expect(fake.messages(channel).filter((m) => m.author.id === alpha)).toHaveLength(2);
  });

  it('GIVEN a reply for a channel that no longer exists THEN it is dropped with a warning, not retried forever', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const sent = await running.fleet.platforms[0]!.sender.send({
      id: 9999,
      messageId: 424242,
      entityId: 'alpha',
      part: 0,
      platform: 'discord',
      channel: '123456789012345678',
      text: 'into the void',
      source: 'llm',
      createdAt: Date.now(),
      attempts: 0,
    });
    expect(sent).toBeNull();
    expect(running.logs.some((r) => r.level === 'warn' && /channel is gone/.test(r.message))).toBe(true);
  });

  it('GIVEN the message answered was deleted meanwhile THEN the reply is posted without the reference', async () => {
    running = await startDiscordFleet({ entities: [{ id: 'alpha', username: 'Alpha' }] });
    const { fake } = running;
    const alpha = running.userId('alpha');
    const channel = running.channel();
    const gone = fake.post(channel, ERIN, 'soon gone');
    await pause(200);
    fake.delete(channel, gone.id);
    const answered = running.fleet.store.inbox.byPlatformId('discord', gone.id)!;
    const id = await running.fleet.platforms[0]!.sender.send({
      id: 777,
      messageId: answered.id,
      entityId: 'alpha',
      part: 0,
      platform: 'discord',
      channel,
      text: 'answering a ghost',
      source: 'llm',
      createdAt: Date.now(),
      attempts: 0,
    });
    const [reply] = await fake.waitFor((m) => m.author.id === alpha);
    expect(reply!.id).toBe(id);
    expect(reply!.content).toBe('answering a ghost');
  });

  it('GIVEN one bad token THEN that entity fails with an error naming it and the others keep answering', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'beta', username: 'Beta' },
      ],
      badTokens: ['beta'],
    });
    const { fake } = running;
    const error = running.logs.find((r) => r.level === 'error' && /beta/.test(r.message));
    expect(error?.message).toMatch(/entity "beta".*token was refused/);
    expect(JSON.stringify(running.logs)).not.toContain(running.token('beta'));
    expect(running.fleet.platforms[0]?.status?.()).toMatchObject({
      entities: { alpha: { state: 'ready' }, beta: { state: 'failed' } },
    });
    const alpha = running.userId('alpha');
    fake.post(running.channel(), ERIN, `<@${alpha}> still there?`);
    await fake.waitFor((m) => m.author.id === alpha);
  });

  it('GIVEN a token revoked while running THEN that entity is reported failed and the others keep answering', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'beta', username: 'Beta' },
      ],
    });
    const { fake } = running;
    fake.revoke(running.token('beta'));
    await pause(300);
    expect(running.logs.some((r) => r.level === 'error' && /entity "beta"/.test(r.message))).toBe(true);
    expect(running.fleet.platforms[0]?.status?.()).toMatchObject({ entities: { beta: { state: 'failed' } } });
    const alpha = running.userId('alpha');
    fake.post(running.channel(), ERIN, `<@${alpha}> and you?`);
    await fake.waitFor((m) => m.author.id === alpha);
  });

  it('GIVEN an application without the Message Content intent THEN the error says to enable it', async () => {
    running = await startDiscordFleet({
      entities: [
        { id: 'alpha', username: 'Alpha' },
        { id: 'beta', username: 'Beta' },
      ],
      noMessageContent: ['beta'],
    });
    const error = running.logs.find((r) => r.level === 'error' && /entity "beta"/.test(r.message));
    expect(error?.message).toMatch(/Message Content/);
  });
});
