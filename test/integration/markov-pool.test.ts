// The Markov worker pool for real: piscina threads running the compiled worker against a SQLite file.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';
import { MarkovPool } from '../../workers/markov-pool.js';
import { tempDir } from '../support/test-fleet.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Varied lines (a seeded shuffle of a small vocabulary), so replies can recombine them without copying one.
const vocabulary = (
  'the harbour my sister old cook a quokka captain our neighbour watched painted followed remembered ' +
  'storm warm sun red kite night market quiet beach last train rain morning bread songs lanterns tide'
).split(' ');
const random = seededRandom(5);
const pick = () => vocabulary[Math.floor(random() * vocabulary.length)] as string;
const lines = Array.from({ length: 40_000 }, () =>
  Array.from({ length: 4 + Math.floor(random() * 10) }, pick).join(' '),
);
const line = (i: number) => lines[i] as string;

function open(messages: number) {
  const dir = tempDir();
  const store = ChorusStore.open(join(dir.path, 'data'));
  const scopes = new MarkovScopes(store.markov, new FakeClock(0));
  scopes.add(
    'talk',
    2,
    Array.from({ length: messages }, (_, i) => ({ source: `m${i}`, text: line(i) })),
  );
  cleanups.push(
    () => dir.remove(),
    () => store.close(),
  );
  return { store, scopes };
}

function pool(store: ChorusStore, threads: number) {
  const markov = new MarkovPool({ dbFile: store.db.name, threads, cacheBytes: 64 * 1024 * 1024 });
  cleanups.push(() => markov.close());
  return markov;
}

const limits = { minWords: 3, maxWords: 40, maxTries: 20 };

describe('MarkovPool', () => {
  it('answers generate tasks from a stored scope on its threads, seeded from keywords', async () => {
    const { store } = open(300);
    const markov = pool(store, 2);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        markov.generate({ scopes: ['talk'], keywords: ['quokka'], seed: i, ...limits }),
      ),
    );
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: true, scope: 'talk', seeded: true });
      if (answer.ok) expect(answer.text.toLowerCase()).toContain('quokka');
    }
  });

  it('gives the same reply for the same seed', async () => {
    const { store } = open(300);
    const markov = pool(store, 1);
    const task = { scopes: ['talk'], keywords: ['captain'], seed: 42, ...limits };
    expect(await markov.generate(task)).toEqual(await markov.generate(task));
  });

  it('tries the scopes in order and reports failure when none can answer', async () => {
    const { store, scopes } = open(300);
    scopes.ensure('empty', 2);
    const markov = pool(store, 1);
    expect(
      await markov.generate({ scopes: ['empty', 'talk'], keywords: [], seed: 1, ...limits }),
    ).toMatchObject({
      ok: true,
      scope: 'talk',
    });
    expect(await markov.generate({ scopes: ['empty'], keywords: [], seed: 1, ...limits })).toEqual({
      ok: false,
      reason: 'empty chain',
      tries: 0,
    });
  });

  it('keeps a scope hot and catches it up with messages stored since', async () => {
    const { store, scopes } = open(300);
    const markov = pool(store, 1);
    const first = await markov.run({ kind: 'stats', scope: 'talk' });
    expect(first).toMatchObject({ messages: 300, pending: 0 });
    expect(first.loadMs).toBeGreaterThan(0);
    const news = [
      'a zeppelin over the harbour',
      'my sister saw the zeppelin at the night market',
      'the zeppelin followed the last train',
      'our neighbour painted a zeppelin in the rain',
      'the old cook remembered a zeppelin and the tide',
    ];
    scopes.add(
      'talk',
      2,
      news.map((text, i) => ({ source: `new${i}`, text })),
    );
    const second = await markov.run({ kind: 'stats', scope: 'talk' });
    expect(second).toMatchObject({ messages: 305, pending: 5, loadMs: 0 });
    const answer = await markov.generate({ scopes: ['talk'], keywords: ['zeppelin'], seed: 3, ...limits });
    expect(answer).toMatchObject({ ok: true });
    expect(answer.ok && answer.text).toContain('zeppelin');
  });

  it('brings the snapshot up to date on build, so a later cold load has nothing pending', async () => {
    const { store, scopes } = open(300);
    const markov = pool(store, 1);
    await markov.run({ kind: 'build', scope: 'talk' });
    scopes.add('talk', 2, [{ source: 'late', text: 'one more line about the harbour and the storm' }]);
    expect(await markov.run({ kind: 'build', scope: 'talk' })).toMatchObject({ messages: 301, pending: 0 });
    expect(store.markov.scope('talk')).toMatchObject({ snapshotSeq: 301 });
  });

  it('rejects a task for an unknown scope with the scope named', async () => {
    const { store } = open(10);
    const markov = pool(store, 1);
    await expect(markov.run({ kind: 'stats', scope: 'nope' })).rejects.toThrow('unknown scope "nope"');
  });

  it('keeps the event loop free while a thread builds a large scope', async () => {
    const { store } = open(40_000);
    const markov = pool(store, 1);
    const order: string[] = [];
    const build = markov.run({ kind: 'build', scope: 'talk' }).then(() => order.push('build'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('timer');
    await build;
    expect(order).toEqual(['timer', 'build']);
  });
});
