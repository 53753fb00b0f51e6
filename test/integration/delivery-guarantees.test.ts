// No inbound message is lost or answered twice: under concurrency, across SIGKILL, and across restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import {
  allMessages,
  echoGenerator,
  post,
  startTestFleet,
  tempDir,
  testConfig,
  waitFor,
  writeConfigFile,
  type ApiMessage,
} from '../support/test-fleet.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function repliesByMessage(messages: ApiMessage[]): Map<number, ApiMessage[]> {
  const map = new Map<number, ApiMessage[]>();
  for (const m of messages)
    if (m.replyTo !== undefined) map.set(m.replyTo, [...(map.get(m.replyTo) ?? []), m]);
  return map;
}

async function postAll(url: string, texts: string[], concurrency: number): Promise<number[]> {
  const ids: number[] = new Array(texts.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < texts.length) {
        const i = next++;
        ids[i] = await post(url, 'general', `person${i % 7}`, texts[i]!);
      }
    }),
  );
  return ids;
}

describe('delivery guarantees', () => {
  it('1,000 messages posted concurrently get exactly the expected replies', async () => {
    const dir = tempDir();
    const fleet = await startTestFleet(dir.path);
    cleanups.push(
      () => dir.remove(),
      () => fleet.stop(),
    );
    // Even messages name Alpha, every third names Beta too; the rest name nobody.
    const texts = Array.from(
      { length: 1000 },
      (_, i) => `${i % 2 === 0 ? '@Alpha ' : ''}${i % 3 === 0 ? 'Beta ' : ''}msg ${i}`,
    );
    const ids = await postAll(fleet.url, texts, 50);
    const expected = texts.reduce(
      (n, t) => n + (t.includes('@Alpha') ? 1 : 0) + (t.includes('Beta') ? 1 : 0),
      0,
    );
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.filter((x) => x.entity).length >= expected,
      30_000,
    );
    await fleet.engine.idle();
    const replies = repliesByMessage(await allMessages(fleet.url, 'general'));
    ids.forEach((id, i) => {
      const want = [texts[i]!.includes('@Alpha') && 'alpha', texts[i]!.includes('Beta') && 'beta'].filter(
        Boolean,
      );
      expect((replies.get(id) ?? []).map((r) => r.entity).sort(), `replies to message ${i}`).toEqual(want);
    });
    expect(messages.filter((m) => m.entity)).toHaveLength(expected);
  });

  it('a process killed with SIGKILL between receiving and sending loses nothing and duplicates nothing', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const config = writeConfigFile(dir.path, testConfig());
    const data = join(dir.path, 'data');
    const start = (delayMs: number) =>
      new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['test/support/fleet-child.mjs', config, data], {
          env: { ...process.env, CHORUS_TEST_DELAY_MS: String(delayMs) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        cleanups.push(() => void child.kill('SIGKILL'));
        child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
        child.stdout!.once('data', (d: Buffer) =>
          resolve({ child, url: (JSON.parse(d.toString()) as { url: string }).url }),
        );
      });

    const first = await start(25);
    const ids = await postAll(
      first.url,
      Array.from({ length: 150 }, (_, i) => `@Alpha question ${i}`),
      10,
    );
    await waitFor(
      () => allMessages(first.url, 'general'),
      (m) => m.filter((x) => x.entity).length >= 20,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start(0);
    const messages = await waitFor(
      () => allMessages(second.url, 'general'),
      (m) => m.filter((x) => x.entity).length >= ids.length,
      20_000,
    );
    // Give a duplicate every chance to appear before counting.
    await new Promise((r) => setTimeout(r, 300));
    const replies = repliesByMessage(await allMessages(second.url, 'general'));
    for (const id of ids)
      expect(
        replies.get(id)?.map((r) => r.entity),
        `replies to ${id}`,
      ).toEqual(['alpha']);
    expect(messages.filter((m) => !m.entity)).toHaveLength(ids.length);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });

  it('a restart keeps the rate-limit state', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const clock = new FakeClock(Date.UTC(2026, 10, 21, 9, 0));
    const config = testConfig({
      entities: [{ id: 'alpha', username: 'Alpha', responseChance: 0, rateLimits: { maxPostsPerMinute: 2 } }],
    });
    const replies = async (url: string) => (await allMessages(url, 'general')).filter((m) => m.entity).length;

    let fleet = await startTestFleet(dir.path, config, { generators: [echoGenerator], clock });
    for (let i = 0; i < 3; i++) await post(fleet.url, 'general', 'dana', `@Alpha ${i}`);
    await waitFor(
      () => replies(fleet.url),
      (n) => n === 2,
    );
    await fleet.engine.idle();
    await fleet.stop();

    clock.advance(30_000);
    fleet = await startTestFleet(dir.path, config, { generators: [echoGenerator], clock });
    cleanups.push(() => fleet.stop());
    await post(fleet.url, 'general', 'dana', '@Alpha still limited?');
    await fleet.engine.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(await replies(fleet.url)).toBe(2);

    clock.advance(31_000);
    await post(fleet.url, 'general', 'dana', '@Alpha and now?');
    await waitFor(
      () => replies(fleet.url),
      (n) => n === 3,
    );
  });

  it('a mention that arrives during the minimum gap is answered once the gap has passed', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const config = testConfig({
      botSettings: { pollingInterval: 200, mentionWaitMs: 5000 },
      entities: [
        { id: 'alpha', username: 'Alpha', responseChance: 0, rateLimits: { minSecondsBetweenPosts: 0.3 } },
      ],
    });
    const fleet = await startTestFleet(dir.path, config);
    cleanups.push(() => fleet.stop());
    const first = await post(fleet.url, 'general', 'hana', '@Alpha one');
    const second = await post(fleet.url, 'general', 'hana', '@Alpha two');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.filter((x) => x.entity).length >= 2,
    );
    const replies = messages.filter((m) => m.entity);
    expect(replies.map((r) => r.replyTo)).toEqual([first, second]);
    // The limit applies to the posts as counted (rate_posts), not to when the adapter delivered them.
    const posts = fleet.store.ratePosts.since(0).map((p) => p.at);
    expect(posts).toHaveLength(2);
    expect(posts[1]! - posts[0]!).toBeGreaterThanOrEqual(300);
  });
});
