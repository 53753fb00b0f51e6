// `chorus bench engine`: the engine's own overhead, inbox → decision → outbox, with a no-op generator and
// 1,000 entities; plus idle RSS and time to ready of a real `chorus run` with the 32-entity fixture.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InboundMessage } from '../../core/message.js';
import { seededRandom } from '../../core/random.js';
import type { Generator } from '../../bots/generation/index.js';
import { startFleet } from '../fleet.js';
import { PACKAGE_ROOT } from '../paths.js';
import { percentile, round, type BenchResult } from './stats.js';

const ENTITIES = 1000;
const CHANNELS = 100;

const noopGenerator: Generator = {
  name: 'noop',
  generate: async () => ({ text: 'ok', source: 'llm', generator: 'noop' }),
};

function fleetConfig(trainOnMessages: boolean): object {
  const channels = Array.from({ length: CHANNELS }, (_, i) => `c${i}`);
  return {
    // A long polling interval: the benchmark wakes the engine itself, as adapters do.
    botSettings: { pollingInterval: 60_000, batchSize: 1000, maxRepliesPerMessage: 2 },
    platforms: { web: { enabled: false, channels } },
    markovSettings: { trainOnMessages },
    entities: Array.from({ length: ENTITIES }, (_, i) => ({
      id: `e${i}`,
      username: `Entity${i}`,
      responseChance: 0.1,
      platforms: { web: { channels: [`c${i % CHANNELS}`] } },
    })),
  };
}

function message(i: number, now: number): InboundMessage {
  return {
    platform: 'web',
    channel: `c${i % CHANNELS}`,
    platformId: `bench:${i}`,
    author: `person${i % 50}`,
    authorId: `p${i % 50}`,
    isBot: false,
    mentions: [],
    text:
      i % 7 === 0
        ? `hey Entity${i % ENTITIES} what do you think about this?`
        : 'just chatting about the weather today',
    createdAt: now,
  };
}

/** Throughput on a burst and latency under a steady load; `train`: human messages train Markov scopes (default). */
async function engineOverhead(dir: string, train: boolean) {
  const configFile = join(dir, `bench-config-${train}.json`);
  writeFileSync(configFile, JSON.stringify(fleetConfig(train)));
  const inserted = new Map<number, number>();
  const latencies: number[] = [];
  let processed = 0;
  let replies = 0;
  const fleet = await startFleet({
    configFile,
    dataDir: join(dir, `engine-${train}`),
    generators: [noopGenerator],
    random: seededRandom(42),
    onCommitted: (batch) => {
      const now = performance.now();
      for (const item of batch) {
        processed++;
        replies += item.replies.length;
        const t = inserted.get(item.messageId);
        if (t !== undefined) latencies.push(now - t);
      }
    },
  });
  const waitFor = async (count: number) => {
    while (processed < count) await new Promise((r) => setTimeout(r, 1));
  };

  // Throughput: a burst of messages already in the inbox (written as adapters do, timed apart), then drained.
  const total = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < total; i += 5000) {
    fleet.store.inbox.insertMany(Array.from({ length: 5000 }, (_, j) => message(i + j, Date.now())));
  }
  const insertSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  fleet.engine.wake();
  await waitFor(total);
  const seconds = (performance.now() - t1) / 1000;

  // Latency: a steady offered load below saturation, each message timed from its insert to its commit.
  const rate = 10_000;
  const perTick = 10;
  let next = total;
  const end = total + rate * 3;
  const tickStart = performance.now();
  while (next < end) {
    const due = total + Math.floor(((performance.now() - tickStart) / 1000) * rate);
    while (next < Math.min(due, end)) {
      const batch = Array.from({ length: Math.min(perTick, end - next) }, (_, j) =>
        message(next + j, Date.now()),
      );
      const ids = fleet.store.inbox.insertMany(batch);
      const at = performance.now();
      for (const r of ids) inserted.set(r.id, at);
      next += batch.length;
      fleet.engine.wake();
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await waitFor(end);
  await fleet.stop();
  latencies.sort((a, b) => a - b);
  return {
    throughput: total / seconds,
    insertRate: total / insertSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    repliesPerMessage: replies / processed,
    offeredRate: rate,
  };
}

/** Starts `chorus run` with the fixture, measures spawn → ready and the idle RSS after a few seconds. */
async function idleProcess(
  dir: string,
  fixture: string,
): Promise<{ readyMs: number; rssMb: number; startupMs: number }> {
  const cli = resolve(PACKAGE_ROOT, 'dist/scripts/chorus.js');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'run', '--config', fixture, '--data', join(dir, 'idle'), '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const { readyMs, startupMs } = await new Promise<{ readyMs: number; startupMs: number }>((ok, fail) => {
      let log = '';
      let readyMs = 0;
      let startupMs = 0;
      const check = () => readyMs && startupMs && ok({ readyMs, startupMs });
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('playground:')) readyMs = performance.now() - t0;
        check();
      });
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /chorus is ready.*startupMs=(\d+)/.exec(log);
        if (m) startupMs = Math.max(1, Number(m[1]));
        check();
      });
      child.on('exit', (code) => fail(new Error(`chorus run exited with ${code}: ${log.slice(-500)}`)));
    });
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { readyMs, rssMb: rssKb / 1024, startupMs };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function benchEngine(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-'));
  const notes: string[] = [];
  try {
    const e = await engineOverhead(dir, true);
    const untrained = await engineOverhead(dir, false);
    const fixture = resolve(PACKAGE_ROOT, '../shared/fixtures/saywhatwant-config-aientities.json');
    let idle: { readyMs: number; rssMb: number; startupMs: number } | undefined;
    if (existsSync(fixture) && existsSync(resolve(PACKAGE_ROOT, 'dist/scripts/chorus.js')))
      idle = await idleProcess(dir, fixture);
    else
      notes.push(
        'idle RSS and time to ready skipped: ../shared/fixtures or dist/ is missing (run npm run build)',
      );
    return {
      suite: 'engine',
      figures: {
        entities: ENTITIES,
        channels: CHANNELS,
        throughputMessagesPerSec: Math.round(e.throughput),
        throughputWithoutLiveTrainingPerSec: Math.round(untrained.throughput),
        latencyP99WithoutLiveTrainingMs: round(untrained.p99),
        inboxInsertMessagesPerSec: Math.round(e.insertRate),
        latencyOfferedRatePerSec: e.offeredRate,
        latencyP50Ms: round(e.p50),
        latencyP99Ms: round(e.p99),
        repliesPerMessage: round(e.repliesPerMessage),
        idleRssMb32Entities: idle ? round(idle.rssMb, 1) : null,
        startToReadyMs: idle ? Math.round(idle.readyMs) : null,
        startupInsideProcessMs: idle ? idle.startupMs : null,
      },
      budgets: [
        { figure: 'throughputMessagesPerSec', limit: '>= 50000', met: e.throughput >= 50_000 },
        { figure: 'latencyP99Ms', limit: '<= 2', met: e.p99 <= 2 },
        ...(idle
          ? [
              { figure: 'idleRssMb32Entities', limit: '<= 100', met: idle.rssMb <= 100 },
              { figure: 'startToReadyMs', limit: '<= 1000', met: idle.readyMs <= 1000 },
            ]
          : []),
      ],
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
