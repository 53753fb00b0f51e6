// The running cluster as the fleet uses it: the server registry, active health checks, a watch on the config
// file (servers added, removed or disabled without a restart), the router, and a prewarm of the enabled
// entities' models once the first health round has discovered what each server holds.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ClusterSettings, Environment, ServerConfig } from '../entities/config/index.js';
import { Cluster } from './cluster.js';
import { ConfigWatcher } from './config-watcher.js';
import { HealthMonitor } from './health-monitor.js';
import { prewarm } from './prewarm.js';
import { ServerRegistry } from './server-registry.js';

export interface ClusterRuntimeOptions {
  servers: readonly ServerConfig[];
  settings: ClusterSettings;
  /** Models to load at start (the enabled entities'), when `keepModelsLoaded` is on. */
  models: readonly string[];
  /** Watched for server changes; none in tests that do not need it. */
  configFile?: string;
  env: Environment;
  clock: Clock;
  logger: Logger;
}

export interface ClusterRuntime {
  cluster: Cluster;
  /** Resolves when the first health round and the prewarm are done (the fleet does not wait for it). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startClusterRuntime(o: ClusterRuntimeOptions): ClusterRuntime {
  const logger = o.logger.child({ component: 'cluster' });
  const registry = new ServerRegistry(o.servers);
  const monitor = new HealthMonitor({
    registry,
    intervalMs: o.settings.pollInterval ?? o.settings.healthCheckInterval,
    timeoutMs: o.settings.healthCheckTimeout,
    clock: o.clock,
    logger,
    onChange: () => cluster.wake(),
  });
  const cluster = new Cluster({
    registry,
    settings: o.settings,
    clock: o.clock,
    logger,
    rediscover: () => monitor.checkNow(),
  });
  const watcher =
    o.configFile === undefined
      ? undefined
      : new ConfigWatcher({
          file: o.configFile,
          env: o.env,
          logger,
          onServers: (servers) => {
            const change = registry.update(servers);
            logger.info('servers changed in the config', { ...change });
            void monitor.checkNow().then(() => cluster.wake());
          },
        });
  const ready = monitor
    .start()
    .then(async () => {
      if (o.settings.keepModelsLoaded && o.models.length > 0) {
        await prewarm(registry, o.models, o.clock, logger);
      }
    })
    .catch((error: unknown) => logger.warn('cluster start-up failed', { error: String(error) }));
  return {
    cluster,
    ready,
    async stop() {
      watcher?.close();
      await monitor.stop();
      await registry.close();
    },
  };
}
