// The model-affinity hit rate of the 32-entity fixture on its 2 servers of 120 GB, requests one at a time and overlapping.
import { entityModel } from '../../../bots/generation/chat-prompt.js';
import { prewarm } from '../../../cluster/prewarm.js';
import { LmStudioSimulator, type ModelSpec } from '../../../cluster/simulator/index.js';
import { systemClock } from '../../../core/clock.js';
import { createLogger, silentLogger, type Logger } from '../../../core/logger.js';
import { seededRandom } from '../../../core/random.js';
import { loadConfig } from '../../../entities/config/index.js';
import { FIXTURE, ask, closedLoop, startRouter, startSimulators } from './bench-servers.js';

function sizeGbFor(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return 7 + (hash % 201) / 100;
}

/** Counts the simulators' loads and unloads from their log lines. */
function residencyCounter(): { logger: Logger; loads: number; jitLoads: number; unloads: number } {
  const counts = { loads: 0, jitLoads: 0, unloads: 0 };
  const logger = createLogger(({ message, fields }) => {
    if (message === 'loading model') {
      counts.loads++;
      if (fields.jit === true) counts.jitLoads++;
    } else if (message === 'model unloaded') counts.unloads++;
  });
  return Object.assign(counts, { logger });
}

/**
 * Part 2: the fixture's entities asking at random, one request at a time, then `overlapping` more 4 at a time. A hit
 * is a request served by a server where its model was loaded (not loading) when it was sent.
 */
export async function affinity(warmup: number, measured: number, overlapping: number) {
  const { config } = loadConfig(FIXTURE, {});
  const entities = config.entities.filter((e) => e.enabled && entityModel(e) !== undefined);
  const models = [...new Set(entities.map((e) => entityModel(e) as string))];
  const specs: ModelSpec[] = models.map((key) => ({ key, sizeGb: sizeGbFor(key) }));
  const counter = residencyCounter();
  const sims = await startSimulators(
    config.lmStudioServers.map((server) => ({
      models: specs,
      memoryGb: server.capabilities.maxMemory,
      loadDelayMs: 5,
      logger: counter.logger,
    })),
  );
  const servers = config.lmStudioServers.map((s, i) => ({
    ...s,
    ip: '127.0.0.1',
    port: (sims[i] as LmStudioSimulator).port,
  }));
  const simOf = new Map(servers.map((s, i) => [s.name ?? `${s.ip}:${s.port}`, sims[i] as LmStudioSimulator]));
  const router = await startRouter(servers, {
    ...config.clusterSettings,
    loadBalancingStrategy: 'model-affinity',
  });
  try {
    const warmed = await prewarm(router.registry, models, systemClock, silentLogger);
    const random = seededRandom(42);
    const run = async (count: number, concurrency: number) => {
      const tally = {
        hits: 0,
        failed: 0,
        /** Sum over requests of the models loaded anywhere when each was sent. */
        resident: 0,
        loads: counter.loads,
        jitLoads: counter.jitLoads,
        unloads: counter.unloads,
      };
      await closedLoop(count, concurrency, async () => {
        const entity = entities[Math.floor(random() * entities.length)] as (typeof entities)[number];
        const model = entityModel(entity) as string;
        const loaded = [...simOf].map(([name, sim]) => ({ name, instances: sim.instances() }));
        const holders = loaded
          .filter(({ instances }) => instances.some((i) => i.model === model && i.state === 'loaded'))
          .map(({ name }) => name);
        tally.resident += new Set(
          loaded.flatMap(({ instances }) =>
            instances.filter((i) => i.state === 'loaded').map((i) => i.model),
          ),
        ).size;
        try {
          const reply = await router.cluster.chat(ask(model), entity.defaultPriority);
          if (holders.includes(reply.server)) tally.hits++;
        } catch {
          tally.failed++;
        }
      });
      return {
        hitRate: tally.hits / Math.max(1, count - tally.failed),
        residentModels: tally.resident / count,
        failed: tally.failed,
        loads: counter.loads - tally.loads,
        jitLoads: counter.jitLoads - tally.jitLoads,
        evictions: counter.unloads - tally.unloads,
      };
    };
    await run(warmup, 1);
    const steady = await run(measured, 1);
    const overlap = await run(overlapping, 4);
    return {
      entities: entities.length,
      models: models.length,
      modelsGb: specs.reduce((sum, s) => sum + (s.sizeGb ?? 0), 0),
      memoryGb: servers.reduce((sum, s) => sum + s.capabilities.maxMemory, 0),
      prewarmed: warmed.loaded.length,
      requests: measured,
      steady,
      overlapping,
      overlap,
    };
  } finally {
    await router.stop();
    await Promise.all(sims.map((s) => s.stop()));
  }
}

/** Part 3: steady load over 4 servers; one is killed mid-run. Health checks keep their default 5 s interval. */
