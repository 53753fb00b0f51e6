// The /chorus admin commands through the real discord.js Client on the fake Discord: registration, who may run
// them, and each command's effect on the roster, the rate limiter, the cluster and the channel.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  group,
  num,
  startAdminHarness,
  STRANGER,
  str,
  sub,
  type AdminHarness,
  type AdminHarnessOptions,
} from '../support/discord-admin-harness.js';

const harnesses: AdminHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

async function harness(o: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const h = await startAdminHarness(o);
  harnesses.push(h);
  return h;
}

/** Polls a condition every 10 ms; rejects after 5 s. */
async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const EPHEMERAL = 64;

describe('/chorus registration', () => {
  it('GIVEN the bot is ready in two guilds THEN /chorus is registered with one bulk PUT per guild, Manage Guild, guilds only', async () => {
    const h = await harness({ extraGuilds: ['Annex'] });
    const guilds = [h.discord.guildId('Home'), h.discord.guildId('Annex')];
    await until(
      () => guilds.every((g) => h.discord.commands(h.applicationId, g).length === 1),
      'registration',
    );
    for (const guild of guilds) {
      const puts = h.discord.requests.filter(
        (r) => r.method === 'PUT' && r.path === `/applications/${h.applicationId}/guilds/${guild}/commands`,
      );
      expect(puts).toHaveLength(1);
      expect(h.discord.commands(h.applicationId, guild)).toMatchObject([
        { name: 'chorus', default_member_permissions: '32', contexts: [0] },
      ]);
    }
    expect(h.discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/commands'))).toEqual([]);
  });
});

describe('/chorus authorisation', () => {
  it('GIVEN a user not in admins.discord THEN refused ephemerally, nothing changes, and the refusal is logged', async () => {
    const h = await harness();
    const i = h.run([group('entity', sub('disable', [str('entity', 'luna')]))], STRANGER);
    await expect(i.waitForResponse()).resolves.toBe('Refused: you are not a Chorus admin (admins.discord)');
    expect(i.callbacks).toMatchObject([{ type: 4, data: { flags: EPHEMERAL } }]);
    expect(h.context.roster.get('luna')?.enabled).toBe(true);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'refused a /chorus command',
        fields: expect.objectContaining({ user: STRANGER.id, command: '/chorus entity disable' }),
      }),
    );
  });

  it('GIVEN a server admin (Administrator permission) not in the allowlist THEN still refused', async () => {
    const h = await harness();
    const i = h.run([sub('entities')], STRANGER, '8');
    await expect(i.waitForResponse()).resolves.toMatch(/^Refused: you are not a Chorus admin/);
  });

  it('GIVEN no admins configured THEN refused with how to add one', async () => {
    const h = await harness({ admins: [] });
    const i = h.run([sub('entities')], ADMIN);
    await expect(i.waitForResponse()).resolves.toContain(
      `no Chorus admins are configured: add your Discord user id (${ADMIN.id}) to "admins"`,
    );
  });
});

describe('/chorus entities and entity', () => {
  it('GIVEN an admin THEN entities lists each entity with its state, connection, chance, limits and rate state', async () => {
    const h = await harness();
    h.context.limiter.tryAcquire('luna');
    const i = h.run([sub('entities')]);
    const text = await i.waitForResponse();
    expect(i.callbacks).toMatchObject([{ type: 4, data: { flags: EPHEMERAL } }]);
    expect(text).toContain('**Entities** (2 of 2 enabled)');
    expect(text).toContain('**Luna** `luna` — enabled, discord: ready');
    expect(text).toMatch(
      /chance 0\.3; limits: ≥10s apart, ≤3\/min; 1 posts in the last minute, 1 in the last hour, next post in (9|10)s/,
    );
    expect(text).toContain('**Sol** `sol` — enabled, discord: webhook');
  });

  it('GIVEN entity disable THEN the entity leaves the channel cast, and enable brings it back', async () => {
    const h = await harness();
    const general = h.channel('general');
    const cast = () => h.context.roster.cast('discord', general).entities.map((e) => e.id);
    expect(cast()).toEqual(['luna', 'sol']);
    const off = h.run([group('entity', sub('disable', [str('entity', 'Luna')]))]);
    await expect(off.waitForResponse()).resolves.toMatch(/^Luna is disabled/);
    expect(cast()).toEqual(['sol']);
    const on = h.run([group('entity', sub('enable', [str('entity', 'luna')]))]);
    await expect(on.waitForResponse()).resolves.toMatch(/^Luna is enabled/);
    expect(cast()).toEqual(['luna', 'sol']);
  });

  it('GIVEN entity set THEN the roster and the rate limiter take the new chance and limits', async () => {
    const h = await harness();
    const i = h.run([
      group(
        'entity',
        sub('set', [
          str('entity', 'luna'),
          num('response_chance', 0.9),
          num('min_seconds_between_posts', 0),
          num('max_posts_per_minute', 0, 4),
          num('max_posts_per_hour', 1, 4),
        ]),
      ),
    ]);
    const text = await i.waitForResponse();
    expect(text).toContain('chance 0.3 → 0.9');
    expect(text).toContain('limits: ≥10s apart, ≤3/min → ≤1/h');
    expect(h.context.roster.get('luna')).toMatchObject({
      responseChance: 0.9,
      rateLimits: { minSecondsBetweenPosts: 0, maxPostsPerHour: 1 },
    });
    expect(h.context.roster.get('luna')?.rateLimits.maxPostsPerMinute).toBeUndefined();
    expect(h.context.limiter.tryAcquire('luna')).toBeDefined();
    expect(h.context.limiter.check('luna')).toMatchObject({ ok: false, reason: 'entity rate limit' });
  });

  it('GIVEN bad values or an unknown entity THEN a clear ephemeral error and no change', async () => {
    const h = await harness();
    const bad = h.run([group('entity', sub('set', [str('entity', 'luna'), num('response_chance', 2)]))]);
    await expect(bad.waitForResponse()).resolves.toBe(
      '/chorus entity set: response_chance must be a number from 0 to 1 (got 2)',
    );
    const unknown = h.run([group('entity', sub('disable', [str('entity', 'zed')]))]);
    await expect(unknown.waitForResponse()).resolves.toBe(
      '/chorus entity disable failed: unknown entity "zed"; known: luna, sol',
    );
    expect(unknown.callbacks).toMatchObject([{ type: 4, data: { flags: EPHEMERAL } }]);
    expect(h.context.roster.get('luna')).toMatchObject({ enabled: true, responseChance: 0.3 });
  });
});

describe('/chorus cluster', () => {
  it('GIVEN no LM Studio servers THEN cluster status says so', async () => {
    const h = await harness();
    const i = h.run([group('cluster', sub('status'))]);
    await expect(i.waitForResponse()).resolves.toBe(
      '/chorus cluster status failed: no LM Studio servers configured (lmStudioServers in the config)',
    );
  });

  it('GIVEN simulators THEN load puts the model on a server, status shows it, and unload removes it', async () => {
    const h = await harness({ lmStudios: 2 });
    const sims = h.lmStudios!.sims;
    const load = h.run([
      group('cluster', sub('load', [str('model', 'qwen/qwen3-8b'), str('server', 'sim1')])),
    ]);
    await expect(load.waitForResponse((c) => c.startsWith('Loaded'))).resolves.toBe(
      'Loaded qwen/qwen3-8b on sim1',
    );
    expect(load.callbacks).toEqual([{ type: 5, data: { flags: EPHEMERAL } }]);
    expect(sims[1]!.instances().map((x) => x.model)).toEqual(['qwen/qwen3-8b']);

    const status = h.run([group('cluster', sub('status'))]);
    const text = await status.waitForResponse();
    expect(text).toContain('**Cluster** (');
    expect(text).toMatch(/\*\*sim1\*\* `127\.0\.0\.1:\d+` — healthy, breaker closed, 0\/4 slots busy/);
    expect(text).toContain('loaded: qwen/qwen3-8b');

    const unload = h.run([group('cluster', sub('unload', [str('model', 'qwen/qwen3-8b')]))]);
    await expect(unload.waitForResponse((c) => c.startsWith('Unloaded'))).resolves.toBe(
      'Unloaded qwen/qwen3-8b from sim1',
    );
    expect(sims[1]!.instances()).toEqual([]);
    const again = h.run([group('cluster', sub('unload', [str('model', 'qwen/qwen3-8b')]))]);
    await expect(again.waitForResponse((c) => c.includes('failed'))).resolves.toBe(
      '/chorus cluster unload failed: qwen/qwen3-8b is not loaded on any server',
    );
  });
});

describe('/chorus say', () => {
  it('GIVEN text THEN the entity posts it in this channel and the admin gets an ephemeral confirmation', async () => {
    const h = await harness();
    const general = h.channel('general');
    const i = h.run([sub('say', [str('entity', 'luna'), str('text', 'ahoy, all')])]);
    await expect(i.waitForResponse((c) => c.startsWith('Luna said'))).resolves.toBe(
      'Luna said (1 message): ahoy, all',
    );
    expect(i.callbacks).toEqual([{ type: 5, data: { flags: EPHEMERAL } }]);
    expect(h.spoken).toEqual([{ entityId: 'luna', channelId: general, text: 'ahoy, all' }]);
    expect(h.discord.messages(general).map((m) => [m.author.username, m.content])).toEqual([
      ['Luna', 'ahoy, all'],
    ]);
  });

  it('GIVEN no text THEN the entity answers the latest message of the channel with the generator chain', async () => {
    const h = await harness();
    const general = h.channel('general');
    const empty = h.run([sub('say', [str('entity', 'luna')])]);
    await expect(empty.waitForResponse((c) => c.includes('failed'))).resolves.toBe(
      '/chorus say failed: nothing to answer in this channel yet; give the text to say',
    );
    h.context.store.inbox.insert({
      platform: 'discord',
      channel: general,
      platformId: '1',
      author: 'erin',
      authorId: '900000000000000001',
      isBot: false,
      mentions: [],
      text: 'what about the tides?',
      createdAt: Date.now(),
    });
    const i = h.run([sub('say', [str('entity', 'luna')])]);
    await i.waitForResponse((c) => c.startsWith('Luna said'));
    expect(h.discord.messages(general).map((m) => m.content)).toEqual([
      'luna muses about: what about the tides?',
    ]);
  });
});
