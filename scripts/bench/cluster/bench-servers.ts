// The simulators, router and load drivers the cluster benchmark shares: in-process LM Studio simulators on
// 127.0.0.1 (optionally on a thread of their own), a cluster wired as the fleet wires it, and steady or closed-loop load.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { LmStudioClient, type ChatRequest } from '../../../cluster/client/index.js';
import { Cluster, type ClusterObserver } from '../../../cluster/cluster.js';
import { HealthMonitor } from '../../../cluster/health-monitor.js';
import { ServerRegistry } from '../../../cluster/server-registry.js';
import { LmStudioSimulator, type LmStudioSimulatorOptions } from '../../../cluster/simulator/index.js';
import { systemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { validateConfig, type ClusterSettings, type ServerConfig } from '../../../entities/config/index.js';
import { PACKAGE_ROOT } from '../../paths.js';

export const FIXTURE = resolve(PACKAGE_ROOT, '../shared/fixtures/saywhatwant-config-aientities.json');
export const MODEL = 'qwen/qwen3-8b';
/**
 * Slots per server in the routing and failover parts: enough that requests do not wait for one even when a stall of
 * the event loop lets a burst of them pile up, so that queueing (capacity, not routing) stays out of the figures.
 */
export const SLOTS = 128;
/** Requests at once while warming up. */
export const WARM_UP_CONCURRENCY = 16;
export const ask = (model: string): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'hello there, what do you think about the weather today?' }],
  maxTokens: 4,
});

/** No token or load delay (the router is measured, not a model), no background TTL sweeps. */
const SIMULATOR_DEFAULTS = { tokenDelayMs: 0, loadDelayMs: 0, sweepIntervalMs: 0 } as const;

/** Starts simulators on free ports of 127.0.0.1; stops the ones started if one fails. */
export async function startSimulators(
  options: readonly LmStudioSimulatorOptions[],
): Promise<LmStudioSimulator[]> {
  const sims: LmStudioSimulator[] = [];
  try {
    for (const [i, own] of options.entries()) {
      sims.push(await LmStudioSimulator.start({ ...SIMULATOR_DEFAULTS, seed: i + 1, ...own, port: 0 }));
    }
  } catch (error) {
    await Promise.all(sims.map((s) => s.stop()));
    throw error;
  }
  return sims;
}

// Simulators on a thread of their own, so that their half of every request (parsing it, streaming the reply) does not
// run on the router's event loop: on one thread, the two halves together top out below 2,000 streamed requests/s
// on this kind of machine. Evaluated from source text, as store/wal-checkpointer.ts does.
const SIMULATOR_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ LmStudioSimulator }) => {
  const sims = [];
  for (const options of workerData.options) sims.push(await LmStudioSimulator.start(options));
  parentPort.postMessage({ op: 'started', urls: sims.map((sim) => sim.url) });
  parentPort.on('message', async (message) => {
    if (message.op === 'down') await sims[message.index].faults.down();
    else {
      await Promise.all(sims.map((sim) => sim.stop()));
      parentPort.close();
    }
  });
});
`;

/** What the simulator thread is told: kill simulator `index`, or stop them all and exit. */
type SimulatorThreadMessage = { op: 'down'; index: number } | { op: 'stop' };

class SimulatorThread {
  private constructor(
    readonly urls: readonly string[],
    readonly worker: Worker,
  ) {}

  /** Starts one simulator per options object (only plain data: they cross to the thread). */
  static async start(options: readonly LmStudioSimulatorOptions[]): Promise<SimulatorThread> {
    const worker = new Worker(SIMULATOR_THREAD_SOURCE, {
      eval: true,
      workerData: {
        module: new URL('../../../cluster/simulator/index.js', import.meta.url).href,
        options: options.map((own, i) => ({ ...SIMULATOR_DEFAULTS, seed: i + 1, ...own, port: 0 })),
      },
    });
    const urls = await new Promise<string[]>((ok, fail) => {
      worker.once('message', (message: { urls: string[] }) => ok(message.urls));
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`the simulator thread exited with ${code}`)));
    });
    return new SimulatorThread(urls, worker);
  }

  /** Kills simulator `index`: its listener closes and its connections are destroyed. */
  down(index: number): void {
    this.#send({ op: 'down', index });
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.worker.once('exit', done));
    this.#send({ op: 'stop' });
    await exited;
  }

  #send(message: SimulatorThreadMessage): void {
    this.worker.postMessage(message);
  }
}

/** Four simulators holding MODEL (loaded explicitly, as prewarm does), and their servers with SLOTS slots each. */
export async function fourServers(): Promise<{
  thread: SimulatorThread;
  servers: ServerConfig[];
  settings: ClusterSettings;
}> {
  const thread = await SimulatorThread.start(
    Array.from({ length: 4 }, () => ({
      models: [{ key: MODEL, sizeGb: 5 }],
      preload: [MODEL],
      memoryGb: 16,
      parallel: SLOTS,
    })),
  );
  const { config } = validateConfig(
    {
      lmStudioServers: thread.urls.map((url, i) => ({
        ip: '127.0.0.1',
        port: Number(new URL(url).port),
        name: `sim${i}`,
        capabilities: { maxMemory: 16, parallelSlots: SLOTS },
      })),
      entities: [],
    },
    'bench',
    {},
  );
  return { thread, servers: config.lmStudioServers, settings: config.clusterSettings };
}

export interface Router {
  registry: ServerRegistry;
  cluster: Cluster;
  stop(): Promise<void>;
}

/** The pieces wired as cluster-runtime.ts wires them (health checks at the configured interval), first round done. */
export async function startRouter(
  servers: readonly ServerConfig[],
  settings: ClusterSettings,
  extra: { observe?: ClusterObserver; makeClient?: (url: string) => LmStudioClient } = {},
): Promise<Router> {
  const registry = new ServerRegistry(servers, extra.makeClient ? { makeClient: extra.makeClient } : {});
  const monitor = new HealthMonitor({
    registry,
    intervalMs: settings.pollInterval ?? settings.healthCheckInterval,
    timeoutMs: settings.healthCheckTimeout,
    clock: systemClock,
    logger: silentLogger,
    onChange: () => cluster.wake(),
  });
  const cluster = new Cluster({
    registry,
    settings,
    clock: systemClock,
    logger: silentLogger,
    rediscover: () => monitor.checkNow(),
    ...(extra.observe && { observe: extra.observe }),
  });
  await monitor.start();
  return {
    registry,
    cluster,
    async stop() {
      await monitor.stop();
      await registry.close();
    },
  };
}

/**
 * Offers `rate` requests/s for `ms` (those due at every 1 ms tick, none awaited before the next), then waits for all
 * of them; resolves with the seconds taken. `onTick` sees the time since the start.
 */
export async function steadyLoad(
  rate: number,
  ms: number,
  send: () => Promise<void>,
  onTick?: (elapsedMs: number) => void,
): Promise<number> {
  const total = Math.round((rate * ms) / 1000);
  const pending: Promise<void>[] = [];
  const start = performance.now();
  while (pending.length < total) {
    const elapsed = performance.now() - start;
    onTick?.(elapsed);
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
    // Each in a macrotask of its own, as requests arrive: one's timing does not include the next one's start.
    while (pending.length < due) pending.push(new Promise((done) => setImmediate(() => done(send()))));
    await sleep(1);
  }
  await Promise.all(pending);
  return (performance.now() - start) / 1000;
}

/** `count` sends, `concurrency` at a time. */
export async function closedLoop(
  count: number,
  concurrency: number,
  send: () => Promise<void>,
): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await send();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Part 1: the router's own time per request at a steady 2,000 requests/s over 4 servers that hold the model. */
