// `chorus bench markov`: on the Ubuntu IRC corpus, training text → persisted chain, cold load from SQLite,
// reply latency from a hot chain, memory, and the share of seeded attempts that succeed; then the npm package
// markov-strings on a subset it can finish, for speed ratios.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keywords } from '../../bots/analyzer/index.js';
import { systemClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { MarkovScopes, type ScopeModel } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';
import { MarkovPool } from '../../workers/markov-pool.js';
import { PACKAGE_ROOT } from '../paths.js';
import { percentile, round, type BenchResult } from './stats.js';

const CORPUS = resolve(PACKAGE_ROOT, '../shared/corpus/ubuntu-irc.tsv');
const SUBSET = 20_000;

function corpusTexts(): string[] {
  return readFileSync(CORPUS, 'utf8')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\t') + 1).trim())
    .filter((text) => text.length > 0);
}

function trainScope(
  dataDir: string,
  scope: string,
  texts: readonly string[],
): { seconds: number; model: ScopeModel } {
  const started = performance.now();
  const store = ChorusStore.open(dataDir);
  const scopes = new MarkovScopes(store.markov, systemClock);
  for (let i = 0; i < texts.length; i += 10_000) {
    scopes.add(
      scope,
      2,
      texts.slice(i, i + 10_000).map((text, j) => ({ source: `bench:${i + j}`, text })),
    );
  }
  const { model } = scopes.build(scope);
  const seconds = (performance.now() - started) / 1000;
  void store.close();
  return { seconds, model };
}

function replies(model: ScopeModel, prompts: readonly string[], count: number) {
  const random = seededRandom(7);
  const latencies: number[] = [];
  let seeded = 0;
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const words = keywords(prompts[(i * 7919) % prompts.length] as string);
    const t0 = performance.now();
    const outcome = model.reply({ keywords: words, random, minWords: 3, maxWords: 40, maxTries: 20 });
    latencies.push(performance.now() - t0);
    if (outcome.seeded) {
      seeded++;
      if (outcome.ok) ok++;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    seededSuccess: ok / Math.max(1, seeded),
  };
}

/** Replies as the fleet gets them: generate tasks on a one-thread pool, one at a time, the first one cold. */
async function poolReplies(dataDir: string, prompts: readonly string[], count: number) {
  const store = ChorusStore.open(dataDir);
  const pool = new MarkovPool({ dbFile: store.db.name, threads: 1, cacheBytes: 1024 * 1024 * 1024 });
  try {
    const latencies: number[] = [];
    for (let i = 0; i <= count; i++) {
      const words = keywords(prompts[(i * 7919) % prompts.length] as string);
      const t0 = performance.now();
      await pool.generate({
        scopes: ['irc'],
        keywords: words,
        seed: i,
        minWords: 3,
        maxWords: 40,
        maxTries: 20,
      });
      latencies.push(performance.now() - t0);
    }
    const firstMs = latencies.shift() as number;
    latencies.sort((a, b) => a - b);
    return { firstMs, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await pool.close();
    await store.close();
  }
}

interface MarkovStringsInstance {
  addData(data: string[]): void;
  generate(options: { maxTries: number; filter: (r: { string: string; refs: unknown[] }) => boolean }): {
    string: string;
  };
}

/** markov-strings v3 on the same subset: train, then 200 replies with the same length rule. */
function markovStrings(texts: readonly string[]): { trainSeconds: number; replyMs: number } {
  const Markov = (
    createRequire(import.meta.url)('markov-strings') as { default: new (o: object) => MarkovStringsInstance }
  ).default;
  const t0 = performance.now();
  const markov = new Markov({ stateSize: 2 });
  markov.addData([...texts]);
  const trainSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let made = 0;
  for (let i = 0; i < 200; i++) {
    try {
      markov.generate({ maxTries: 20, filter: (r) => r.string.split(' ').length >= 3 && r.refs.length > 1 });
      made++;
    } catch {
      // markov-strings throws when it fails to build a sentence within maxTries.
    }
  }
  return { trainSeconds, replyMs: (performance.now() - t1) / Math.max(1, made) };
}

export async function benchMarkov(): Promise<BenchResult> {
  if (!existsSync(CORPUS)) {
    return { suite: 'markov', figures: {}, budgets: [], notes: [`skipped: ${CORPUS} is absent`] };
  }
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-markov-'));
  try {
    const texts = corpusTexts();
    const full = trainScope(join(dir, 'full'), 'irc', texts);

    // Cold load: a fresh connection reads the snapshot blobs and adopts them.
    const coldTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const store = ChorusStore.open(join(dir, 'full'));
      const t0 = performance.now();
      new MarkovScopes(store.markov, systemClock).load('irc');
      coldTimes.push(performance.now() - t0);
      await store.close();
    }
    coldTimes.sort((a, b) => a - b);
    const hot = replies(full.model, texts, 3000);
    const pooled = await poolReplies(join(dir, 'full'), texts, 1000);

    const subset = texts.slice(0, SUBSET);
    const ours = trainScope(join(dir, 'subset'), 'subset', subset);
    const oursReplies = replies(ours.model, subset, 200);
    const theirs = markovStrings(subset);
    const trainRate = texts.length / full.seconds;
    const coldMs = percentile(coldTimes, 50);
    return {
      suite: 'markov',
      figures: {
        messages: texts.length,
        trainSeconds: round(full.seconds, 2),
        trainMessagesPerSec: Math.round(trainRate),
        coldLoadMsMedian: round(coldMs, 1),
        hotReplyP50Ms: round(hot.p50),
        hotReplyP99Ms: round(hot.p99),
        seededSuccessShare: round(hot.seededSuccess, 3),
        poolFirstReplyMs: round(pooled.firstMs, 1),
        poolReplyP50Ms: round(pooled.p50),
        poolReplyP99Ms: round(pooled.p99),
        chainBytes: full.model.stats.chainBytes,
        guardBytes: full.model.stats.guardBytes,
        subsetMessages: SUBSET,
        markovStringsTrainSeconds: round(theirs.trainSeconds, 2),
        markovStringsReplyMs: round(theirs.replyMs, 3),
        trainSpeedRatio: round(theirs.trainSeconds / ours.seconds, 1),
        replySpeedRatio: round(theirs.replyMs / Math.max(oursReplies.p50, 0.001), 1),
      },
      budgets: [
        { figure: 'trainMessagesPerSec', limit: '>= 200000', met: trainRate >= 200_000 },
        { figure: 'hotReplyP99Ms', limit: '<= 1', met: hot.p99 <= 1 },
        { figure: 'coldLoadMsMedian', limit: '<= 50', met: coldMs <= 50 },
        { figure: 'seededSuccessShare', limit: '>= 0.95', met: hot.seededSuccess >= 0.95 },
      ],
      notes: [
        'training, cold load and hot replies are timed in-process; pool figures are the fleet path: a generate task ' +
          'round trip through a piscina thread (the first one includes starting the thread and the cold load)',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
