// /chorus markov train|stats|forget through discord.js on the fake Discord: a channel's history and its thread
// paged 100 at a time into the channel's scope (never the inbox), with progress edits, idempotent re-runs, stats,
// untraining one message or one person, and a training stopped by shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../fakes/discord/index.js';
import { group, startAdminHarness, str, sub, type AdminHarness } from '../support/discord-admin-harness.js';

const ERIN: FakeUser = { id: '900000000000000001', username: 'erin' };
const FINN: FakeUser = { id: '900000000000000002', username: 'finn' };
const ROBOT: FakeUser = { id: '900000000000000009', username: 'robot', bot: true };

const harnesses: AdminHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

/** A harness with 260 people's messages (erin 2 of 3, finn 1 of 3) and 6 bot posts in #general, 30 in #ideas. */
async function populated(
  options: { pool?: boolean } = {},
): Promise<AdminHarness & { general: string; ideas: string; finnCount: number; erinIds: string[] }> {
  const h = await startAdminHarness(options);
  harnesses.push(h);
  const general = h.channel('general');
  const ideas = h.channel('ideas');
  let finnCount = 0;
  const erinIds: string[] = [];
  for (let i = 0; i < 260; i++) {
    const author = i % 3 === 2 ? FINN : ERIN;
    const m = h.discord.post(general, author, `line ${i} about the sea and the wind number ${i}`);
    if (author === FINN) finnCount++;
    else erinIds.push(m.id);
    if (i % 50 === 0) h.discord.post(general, ROBOT, `beep ${i}`);
  }
  for (let i = 0; i < 30; i++) h.discord.post(ideas, FINN, `idea ${i}: a boat with ${i} sails`);
  return { ...h, general, ideas, finnCount: finnCount + 30, erinIds };
}

const scopeSize = (h: AdminHarness, channel: string) =>
  h.context.store.markov.scope(`channel:discord:${channel}`)?.messages;

describe('/chorus markov', () => {
  it('GIVEN 266 messages in a channel and 30 in its thread THEN train pages through both with progress edits, into the channel scope only', async () => {
    const h = await populated();
    const i = h.run([group('markov', sub('train'))]);
    const summary = await i.waitForResponse((c) => c.startsWith('Trained'), 10_000);
    expect(i.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    const progress = i.edits
      .map((e: { content: string }) => e.content)
      .filter((c: string) => c.startsWith('Training'));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toContain(`Training <#${h.general}>…`);
    expect(progress.some((c: string) => c.includes('Reading thread ideas'))).toBe(true);
    expect(summary).toContain('296 messages read in 4 pages, 1/1 threads.');
    expect(summary).toContain('290 trained (290 new row(s) over 1 scope(s)');
    expect(summary).toContain('0 already trained live');
    expect(summary).toContain('6 skipped');
    expect(scopeSize(h, h.general)).toBe(290);
    expect(h.context.store.inbox.latest('discord', h.general, 1)).toEqual([]);
    const pages = h.discord.requests.filter(
      (r) => r.method === 'GET' && r.path === `/channels/${h.general}/messages`,
    );
    expect(pages.map((r) => r.query['limit'])).toEqual(['100', '100', '100']);
    expect(pages[0]!.query['before']).toBeUndefined();
    expect(pages[1]!.query['before']).toBeDefined();

    const again = h.run([group('markov', sub('train'))]);
    await expect(again.waitForResponse((c) => c.startsWith('Trained'), 10_000)).resolves.toContain(
      '290 trained (0 new row(s) over 1 scope(s)',
    );
    expect(scopeSize(h, h.general)).toBe(290);

    const stats = h.run([group('markov', sub('stats'))]);
    await expect(stats.waitForResponse((c) => c.includes('messages'))).resolves.toContain(
      `**channel:discord:${h.general}**: 290 messages, state size 2`,
    );
  });

  it('GIVEN the Markov worker pool THEN train rebuilds the scope there and stats report the chain', async () => {
    const h = await populated({ pool: true });
    await h.run([group('markov', sub('train'))]).waitForResponse((c) => c.startsWith('Trained'), 10_000);
    const stats = h.run([group('markov', sub('stats'))]);
    const text = await stats.waitForResponse((c) => c.includes('messages'), 10_000);
    expect(text).toMatch(
      new RegExp(
        `\\*\\*channel:discord:${h.general}\\*\\*: 290 messages, state size 2; chain: \\d+ words, \\d+ states, \\d+ transitions`,
      ),
    );
  });

  it('GIVEN trained history THEN forget untrains one message, then every message of one person', async () => {
    const h = await populated();
    await h.run([group('markov', sub('train'))]).waitForResponse((c) => c.startsWith('Trained'), 10_000);
    const one = h.run([group('markov', sub('forget', [str('message_id', h.erinIds[7]!)]))]);
    await expect(one.waitForResponse((c) => c.startsWith('Forgot'))).resolves.toBe(
      `Forgot message ${h.erinIds[7]}: 1 imported row(s) removed from the scopes, 0 live message(s) untrained`,
    );
    expect(scopeSize(h, h.general)).toBe(289);
    const finn = h.run([group('markov', sub('forget', [{ type: 6, name: 'user', value: FINN.id }]))]);
    await expect(finn.waitForResponse((c) => c.startsWith('Forgot'))).resolves.toContain(
      `${h.finnCount} imported row(s) removed`,
    );
    expect(scopeSize(h, h.general)).toBe(289 - h.finnCount);
    const nothing = h.run([group('markov', sub('forget', [{ type: 6, name: 'user', value: FINN.id }]))]);
    await expect(nothing.waitForResponse((c) => c.startsWith('Nothing'))).resolves.toContain(
      'Nothing to forget',
    );
  });

  it('GIVEN a message the inbox already holds THEN train leaves it to the engine rather than training it twice', async () => {
    const h = await populated();
    const id = h.erinIds[3]!;
    h.context.store.inbox.insert({
      platform: 'discord',
      channel: h.general,
      platformId: id,
      author: 'erin',
      authorId: ERIN.id,
      isBot: false,
      mentions: [],
      text: 'line as the engine saw it',
      createdAt: Date.now(),
    });
    const i = h.run([group('markov', sub('train'))]);
    await expect(i.waitForResponse((c) => c.startsWith('Trained'), 10_000)).resolves.toContain(
      '289 trained (289 new row(s) over 1 scope(s); known ones are skipped), 1 already trained live from the inbox',
    );
    // The scope, created by the training, starts from the inbox's history: the message is in it once, as inbox's.
    const scope = `channel:discord:${h.general}`;
    expect(h.context.training!.scopesOf('discord', h.general)).toEqual([scope]);
    expect(scopeSize(h, h.general)).toBe(290);
    expect(h.context.store.markov.sources(scope, 'inbox:')).toHaveLength(1);
    expect(h.context.store.markov.sources(scope, `discord:${ERIN.id}:${id}`)).toEqual([]);
  });

  it('GIVEN a live message trained through the inbox THEN forget by its id untrains it too', async () => {
    const h = await populated();
    const live = h.discord.post(h.general, ERIN, 'a live line the engine trained');
    const stored = {
      platform: 'discord' as const,
      channel: h.general,
      platformId: live.id,
      author: 'erin',
      authorId: ERIN.id,
      isBot: false,
      mentions: [],
      text: live.content,
      createdAt: Date.now(),
    };
    h.context.training!.learn({ ...stored, id: h.context.store.inbox.insert(stored).id });
    expect(scopeSize(h, h.general)).toBe(1);
    const i = h.run([group('markov', sub('forget', [str('message_id', live.id)]))]);
    await expect(i.waitForResponse((c) => c.startsWith('Forgot'))).resolves.toBe(
      `Forgot message ${live.id}: 0 imported row(s) removed from the scopes, 1 live message(s) untrained`,
    );
    expect(scopeSize(h, h.general)).toBe(0);
  });

  it('GIVEN a training running in a channel THEN a second one there is refused', async () => {
    const h = await populated();
    h.discord.rateLimit({ method: 'PATCH', path: /\/messages\/%40original$/ }, 1, { count: 1 });
    const first = h.run([group('markov', sub('train'))]);
    const deadline = Date.now() + 5000;
    while (first.callbacks.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const second = h.run([group('markov', sub('train'))]);
    await expect(second.waitForResponse()).resolves.toBe(
      `/chorus markov train failed: a training of <#${h.general}> is already running`,
    );
    await first.waitForResponse((c) => c.startsWith('Trained'), 10_000);
  });

  it('GIVEN a channel where no entity speaks THEN train refuses with the reason', async () => {
    const h = await startAdminHarness({ extraGuilds: ['Annex'] });
    harnesses.push(h);
    const lobby = h.channel('Annex-lobby');
    const i = h.run([group('markov', sub('train', [{ type: 7, name: 'channel', value: lobby }]))]);
    await expect(i.waitForResponse()).resolves.toBe(
      `/chorus markov train failed: no enabled entity speaks in <#${lobby}>, so it trains no Markov scope`,
    );
  });

  it('GIVEN Chorus shuts down during a training THEN it stops between pages and says how far it got', async () => {
    const h = await populated();
    // The first progress edit waits a second behind a 429, so the shutdown lands after the first page.
    h.discord.rateLimit({ method: 'PATCH', path: /\/messages\/%40original$/ }, 1, { count: 1 });
    const pageRequests = () =>
      h.discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${h.general}/messages`);
    const i = h.run([group('markov', sub('train'))]);
    const deadline = Date.now() + 5000;
    while (pageRequests().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    h.shutdown();
    const summary = await i.waitForResponse((c) => c.startsWith('Stopped'), 10_000);
    expect(summary).toContain('Chorus is shutting down');
    expect(summary).toContain('100 messages read in 1 pages');
    expect(pageRequests()).toHaveLength(1);
    // The newest 100 messages hold two bot posts.
    expect(scopeSize(h, h.general)).toBe(98);
  });
});
