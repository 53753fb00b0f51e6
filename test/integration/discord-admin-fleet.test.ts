// /chorus through the whole fleet: the Discord platform attaches the admin commands to the commands entity's bot,
// and they reach the fleet's roster, the platform's connection states and its voices (own bot or webhook).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordPlatformWith } from '../../bots/discord/index.js';
import { createLogger } from '../../core/logger.js';
import { startFleet, type Fleet } from '../../scripts/fleet.js';
import { startFakeDiscord, type FakeDiscord, type FakeUser } from '../fakes/discord/index.js';
import { echoGenerator, tempDir, writeConfigFile } from '../support/test-fleet.js';

const ADA: FakeUser = { id: '700000000000000001', username: 'ada' };
const SAM: FakeUser = { id: '700000000000000002', username: 'sam' };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** With `nova`: a third entity with a bot of its own, disabled in the config. */
async function start(nova = false): Promise<{ fake: FakeDiscord; fleet: Fleet; general: string }> {
  const fake = await startFakeDiscord({
    bots: [
      { token: 'token-luna', username: 'Luna' },
      ...(nova ? [{ token: 'token-nova', username: 'Nova' }] : []),
    ],
    guilds: [{ name: 'Home', channels: [{ name: 'general' }] }],
  });
  cleanups.push(() => fake.close());
  const general = fake.channelId('general');
  const dir = tempDir('chorus-admin-fleet-');
  cleanups.push(() => dir.remove());
  const configFile = writeConfigFile(dir.path, {
    botSettings: { pollingInterval: 100 },
    markovSettings: { enabled: false },
    admins: { discord: [ADA.id] },
    platforms: {
      web: { channels: ['general'] },
      discord: { enabled: true, restBaseUrl: fake.restUrl, webhookHost: 'luna' },
    },
    entities: [
      {
        id: 'luna',
        username: 'Luna',
        responseChance: 0,
        platforms: {
          web: { enabled: false },
          discord: { token: { env: 'LUNA_TOKEN' }, channels: [general] },
        },
      },
      {
        id: 'sol',
        username: 'Sol',
        responseChance: 0,
        platforms: { web: { enabled: false }, discord: { channels: [general] } },
      },
      ...(nova
        ? [
            {
              id: 'nova',
              username: 'Nova',
              enabled: false,
              responseChance: 0,
              platforms: {
                web: { enabled: false },
                discord: { token: { env: 'NOVA_TOKEN' }, channels: [general] },
              },
            },
          ]
        : []),
    ],
  });
  const fleet = await startFleet({
    configFile,
    dataDir: join(dir.path, 'data'),
    port: 0,
    env: { LUNA_TOKEN: 'token-luna', NOVA_TOKEN: 'token-nova' },
    logger: createLogger((r) => {
      if (r.level === 'error')
        process.stderr.write(`fleet ${r.level}: ${r.message} ${JSON.stringify(r.fields)}\n`);
    }, 'warn'),
    generators: [echoGenerator],
    platforms: [(context) => startDiscordPlatformWith(context, { readyTimeoutMs: 5000, catchUpLimit: 0 })],
  });
  cleanups.push(() => fleet.stop());
  return { fake, fleet, general };
}

const chorus = (fake: FakeDiscord, channelId: string, user: FakeUser, options: object[]) =>
  fake.interact('token-luna', { channelId, user, permissions: '32', name: 'chorus', options });

describe('/chorus in the fleet', () => {
  it('GIVEN the fleet on Discord THEN an admin lists the entities with their connections, a non-admin is refused', async () => {
    const { fake, general } = await start();
    const appId = fake.bot('token-luna').applicationId;
    const guild = fake.guildId('Home');
    const deadline = Date.now() + 5000;
    while (fake.commands(appId, guild).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(fake.commands(appId, guild)).toMatchObject([{ name: 'chorus', default_member_permissions: '32' }]);

    const list = await chorus(fake, general, ADA, [{ type: 1, name: 'entities' }]).waitForResponse();
    expect(list).toContain('**Luna** `luna` — enabled, discord: ready');
    expect(list).toContain('**Sol** `sol` — enabled, discord: webhook');
    const refused = await chorus(fake, general, SAM, [{ type: 1, name: 'entities' }]).waitForResponse();
    expect(refused).toBe('Refused: you are not a Chorus admin (admins.discord)');
  });

  it('GIVEN say and entity disable THEN the entity speaks through its voice and leaves the roster', async () => {
    const { fake, fleet, general } = await start();
    const say = chorus(fake, general, ADA, [
      {
        type: 1,
        name: 'say',
        options: [
          { type: 3, name: 'entity', value: 'sol' },
          { type: 3, name: 'text', value: 'hello from the webhook' },
        ],
      },
    ]);
    await say.waitForResponse((c) => c.startsWith('Sol said'), 10_000);
    const posted = fake.messages(general).find((m) => m.content === 'hello from the webhook');
    expect(posted?.webhook_id).toBeDefined();
    expect(posted?.author.username).toBe('Sol');

    const off = chorus(fake, general, ADA, [
      {
        type: 2,
        name: 'entity',
        options: [{ type: 1, name: 'disable', options: [{ type: 3, name: 'entity', value: 'sol' }] }],
      },
    ]);
    await expect(off.waitForResponse()).resolves.toMatch(/^Sol is disabled/);
    expect(fleet.roster.cast('discord', general).entities.map((e) => e.id)).toEqual(['luna']);
  });

  it('GIVEN an entity disabled in the config THEN its bot is connected but silent, and entity enable brings it in', async () => {
    const { fake, general } = await start(true);
    const nova = fake.bot('token-nova').userId;
    const erin: FakeUser = { id: '700000000000000003', username: 'erin' };
    fake.post(general, erin, `<@${nova}> are you there?`, { mentions: [nova] });
    await new Promise((r) => setTimeout(r, 600));
    expect(fake.messages(general).some((m) => m.author.id === nova)).toBe(false);

    const on = chorus(fake, general, ADA, [
      {
        type: 2,
        name: 'entity',
        options: [{ type: 1, name: 'enable', options: [{ type: 3, name: 'entity', value: 'nova' }] }],
      },
    ]);
    await expect(on.waitForResponse()).resolves.toMatch(/^Nova is enabled/);
    const asked = fake.post(general, erin, `<@${nova}> and now?`, { mentions: [nova] });
    const [reply] = await fake.waitFor((m) => m.author.id === nova);
    expect(reply!.message_reference?.message_id).toBe(asked.id);
  });
});
