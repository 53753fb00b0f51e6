// Prewarm: at start, the models of the enabled entities are loaded over the servers (planPrewarm spreads them by
// free memory, biggest first, evicting nothing), so the first replies do not pay for cold loads. Loads on one
// server run one after another; servers load in parallel. Failures are logged and left to on-demand placement.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { planPrewarm } from './core/index.js';
import type { ServerRegistry } from './server-registry.js';

export interface PrewarmResult {
  loaded: string[];
  alreadyLoaded: string[];
  unplaced: { key: string; reason: string }[];
  failed: { key: string; server: string; code: string }[];
}

export async function prewarm(
  registry: ServerRegistry,
  models: readonly string[],
  clock: Clock,
  logger: Logger,
): Promise<PrewarmResult> {
  const states = registry.states();
  const sizes = models.map((key) => ({
    key,
    sizeBytes: Math.max(0, ...states.map((s) => s.downloaded.get(key) ?? 0)),
  }));
  const plan = planPrewarm(sizes, states, clock.now());
  const result: PrewarmResult = {
    loaded: [],
    alreadyLoaded: plan.alreadyLoaded,
    unplaced: plan.unplaced.map(({ key, reason }) => ({ key, reason })),
    failed: [],
  };
  await Promise.all(
    [...plan.loads].map(async ([serverId, loads]) => {
      const server = registry.get(serverId);
      if (!server) return;
      for (const model of loads) {
        server.state.beginLoad(model.key, model.sizeBytes);
        try {
          const loaded = await server.client.load(model.key);
          server.state.finishLoad(model.key, loaded.instanceId, clock.now());
          result.loaded.push(model.key);
        } catch (error) {
          server.state.failLoad(model.key);
          const code = (error as { code?: string }).code ?? 'error';
          result.failed.push({ key: model.key, server: server.state.name, code });
        }
      }
    }),
  );
  logger.info('prewarm done', {
    loaded: result.loaded.length,
    alreadyLoaded: result.alreadyLoaded.length,
    unplaced: result.unplaced.map((u) => u.key),
    failed: result.failed.map((f) => `${f.key}@${f.server}: ${f.code}`),
  });
  return result;
}
