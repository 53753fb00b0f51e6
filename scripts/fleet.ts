// The composition root: builds the whole fleet from a config file and a data directory, wiring every
// side effect (clock, randomness, logger, generators) through options so tests can substitute them.
import { type Clock, systemClock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Platform, StoredMessage } from '../core/message.js';
import type { Random } from '../core/random.js';
import { ChannelEvents } from '../bots/channel-events.js';
import { ChannelHistory } from '../bots/engine/channel-history.js';
import { CommitQueue } from '../bots/engine/commit-queue.js';
import { MessageHandler } from '../bots/engine/message-handler.js';
import { OutboxDispatcher, type PlatformSender } from '../bots/engine/outbox-dispatcher.js';
import { PollingEngine } from '../bots/engine/polling-engine.js';
import { Responder } from '../bots/engine/responder.js';
import { GeneratorChain, UnavailableGenerator, type Generator } from '../bots/generation/index.js';
import { entityModel } from '../bots/generation/chat-prompt.js';
import { ClusterGenerator } from '../bots/generation/cluster-generator.js';
import { MarkovGenerator } from '../bots/generation/markov-generator.js';
import { MarkovTraining } from '../bots/generation/markov-training.js';
import type { ReplyActivity } from '../bots/engine/reply-activity.js';
import type { PlatformContext, PlatformStarter, RunningPlatform } from '../bots/platform.js';
import { WebAdapter } from '../bots/web/web-adapter.js';
import { startWebServer, type RunningWebServer } from '../bots/web/web-server.js';
import {
  loadConfig,
  type ChorusConfig,
  type Environment,
  type LoadedConfig,
} from '../entities/config/index.js';
import { EntityRoster } from '../entities/entity-roster.js';
import { RateLimiter, type PostingLimits } from '../entities/rate-limiter.js';
import { startClusterRuntime } from '../cluster/cluster-runtime.js';
import { MarkovScopes } from '../markov/markov-scopes.js';
import { ChorusStore } from '../store/index.js';
import { MarkovPool } from '../workers/markov-pool.js';
import type { ProcessedMessage } from '../store/chorus-store.js';
import { PLATFORM_STARTERS } from './platforms.js';

export interface FleetOptions {
  configFile: string;
  dataDir: string;
  /** Overrides platforms.web.host / port. */
  host?: string;
  port?: number;
  env?: Environment;
  logger?: Logger;
  clock?: Clock;
  random?: Random;
  /** Reply generators in order of preference (default: the Markov fallback, or none when it is disabled). */
  generators?: Generator[];
  /** Called after each group commit with the messages it stored (benchmarks). */
  onCommitted?: (batch: readonly ProcessedMessage[]) => void;
  /** How long shutdown waits for replies in progress before aborting them, in ms. */
  shutdownGraceMs?: number;
  /** The chat platforms to start (default: Discord and Signal, each when the config enables it). */
  platforms?: readonly PlatformStarter[];
}

export interface Fleet {
  config: ChorusConfig;
  loaded: LoadedConfig;
  store: ChorusStore;
  roster: EntityRoster;
  limiter: RateLimiter;
  engine: PollingEngine;
  /** The playground's address, when the web platform is enabled. */
  url: string | undefined;
  /** Milliseconds from the start of startFleet to ready. */
  startupMs: number;
  /** The chat platforms that started (Discord, Signal). */
  platforms: readonly RunningPlatform[];
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

function entityLimits(config: ChorusConfig): Map<string, PostingLimits> {
  return new Map(
    config.entities.map((e) => [
      e.id,
      {
        minGapMs: e.rateLimits.minSecondsBetweenPosts * 1000,
        maxPerMinute: e.rateLimits.maxPostsPerMinute,
        maxPerHour: e.rateLimits.maxPostsPerHour,
      },
    ]),
  );
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const started = performance.now();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const loaded = loadConfig(options.configFile, options.env ?? process.env);
  for (const warning of loaded.warnings) logger.warn(`config: ${warning}`);
  const { config } = loaded;
  const settings = config.botSettings;

  const store = ChorusStore.open(options.dataDir);
  const roster = new EntityRoster(config.entities);
  const limiter = new RateLimiter(
    clock,
    {
      minGapMs: config.globalSettings.minTimeBetweenMessages,
      maxPerMinute: config.globalSettings.maxMessagesPerMinute,
      maxPerHour: config.globalSettings.maxMessagesPerHour,
    },
    entityLimits(config),
  );
  store.ratePosts.prune(clock.now() - HOUR);
  limiter.restore(store.ratePosts.since(clock.now() - HOUR));

  const random = options.random ?? Math.random;
  const webChannels = config.platforms.web.channels.filter((c) => c !== '*');
  const markovSettings = config.markovSettings;
  const training = markovSettings.enabled
    ? new MarkovTraining({
        scopes: new MarkovScopes(store.markov, clock),
        inbox: store.inbox,
        roster,
        webChannels,
        historyOnStart: markovSettings.historyOnStart,
        logger,
      })
    : undefined;
  training?.syncSeeds();
  const pool =
    training && !options.generators
      ? new MarkovPool({
          dbFile: store.db.name,
          ...(markovSettings.workerThreads !== undefined && { threads: markovSettings.workerThreads }),
          cacheBytes: markovSettings.cacheMegabytes * 1024 * 1024,
        })
      : undefined;
  const markov =
    training && pool
      ? new MarkovGenerator({ pool, training, settings: markovSettings, random, logger })
      : undefined;
  const clusterRuntime = options.generators
    ? undefined
    : startClusterRuntime({
        servers: config.lmStudioServers,
        settings: config.clusterSettings,
        models: [...new Set(config.entities.filter((e) => e.enabled).map(entityModel))].filter(
          (m): m is string => m !== undefined,
        ),
        configFile: options.configFile,
        env: options.env ?? process.env,
        clock,
        logger,
      });
  const shutdown = new AbortController();
  const fallback = markov ?? new UnavailableGenerator();
  const generator = new GeneratorChain(
    options.generators ??
      (clusterRuntime ? [new ClusterGenerator(clusterRuntime.cluster), fallback] : [fallback]),
    logger,
  );
  const responder = new Responder({
    generator,
    logger,
    timeoutMs: settings.generationTimeout,
    maxReplyLength: settings.maxReplyLength,
    partLimit: (platform) =>
      platform === 'discord' ? Math.min(2000, settings.maxReplyLength) : settings.maxReplyLength,
    signal: shutdown.signal,
  });
  const maxNom = Math.max(20, ...config.entities.map((e) => e.nom));
  const history = new ChannelHistory(store.inbox, Math.min(maxNom, 200));

  const events = new ChannelEvents();
  const senders = new Map<Platform, PlatformSender>();
  const activities = new Map<Platform, ReplyActivity>();
  const platforms: RunningPlatform[] = [];
  // The engine and dispatcher refer to each other through these late-bound callbacks.
  let wakeEngine = () => undefined as void;
  let wakeDispatcher = () => undefined as void;
  const commits = new CommitQueue(store, clock, (batch) => {
    wakeDispatcher();
    options.onCommitted?.(batch);
  });
  const handler = new MessageHandler({
    roster,
    limiter,
    responder,
    history,
    commits,
    random,
    logger,
    ...(training &&
      markovSettings.trainOnMessages && { training: (m: StoredMessage) => training.trainingFor(m) }),
    maxRepliesPerMessage: settings.maxRepliesPerMessage,
    maxBotExchanges: settings.maxBotExchanges,
    mentionWaitMs: settings.mentionWaitMs,
    now: () => clock.now(),
    activity: (entity, message) => activities.get(message.platform)?.begin(entity, message),
  });
  const engine = new PollingEngine({
    inbox: store.inbox,
    commits,
    handle: (m, done) => handler.handle(m, done),
    logger,
    pollingIntervalMs: settings.pollingInterval,
    batchSize: settings.batchSize,
  });
  const dispatcher = new OutboxDispatcher({ outbox: store.outbox, senders, clock, logger });
  wakeEngine = () => engine.wake();
  wakeDispatcher = () => dispatcher.wake();

  let web: RunningWebServer | undefined;
  const webConfig = config.platforms.web;
  if (webConfig.enabled) {
    const adapter = new WebAdapter({
      inbox: store.inbox,
      roster,
      events,
      clock,
      onInbound: () => wakeEngine(),
    });
    senders.set('web', adapter);
    web = await startWebServer({
      host: options.host ?? webConfig.host,
      port: options.port ?? webConfig.port,
      logger,
      adapter,
      inbox: store.inbox,
      roster,
      events,
      channels: webChannels,
      limiter,
      outbox: store.outbox,
      health: () => ({
        ready: true,
        inFlight: engine.inFlight,
        outbox: store.outbox.counts(),
        platforms: Object.fromEntries(platforms.map((p) => [p.platform, p.status?.() ?? {}])),
      }),
      ...(clusterRuntime && { cluster: () => clusterRuntime.cluster.status() }),
    }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
  }

  const context: PlatformContext = {
    config,
    loaded,
    env: options.env ?? process.env,
    store,
    roster,
    limiter,
    clock,
    random,
    logger,
    events,
    history,
    responder,
    wakeEngine: () => wakeEngine(),
    training,
    markovPool: pool,
    cluster: clusterRuntime?.cluster,
    signal: shutdown.signal,
  };
  for (const start of options.platforms ?? PLATFORM_STARTERS) {
    const platform = await start(context).catch((error: unknown) => {
      logger.error('a chat platform failed to start; the rest of the fleet runs without it', {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    });
    if (!platform) continue;
    platforms.push(platform);
    senders.set(platform.platform, platform.sender);
    if (platform.activity) activities.set(platform.platform, platform.activity);
  }

  const pruneTimer = setInterval(() => store.ratePosts.prune(clock.now() - HOUR), 10 * 60_000);
  pruneTimer.unref();
  dispatcher.start();
  engine.start();
  const startupMs = performance.now() - started;
  logger.info('chorus is ready', {
    entities: config.entities.length,
    web: web?.url ?? 'disabled',
    platforms: platforms.map((p) => p.platform),
    generator: generator.name,
    startupMs: Math.round(startupMs),
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      clearInterval(pruneTimer);
      await web?.close();
      const grace = setTimeout(
        () => shutdown.abort(new Error('shutting down')),
        options.shutdownGraceMs ?? 5000,
      );
      await engine.stop();
      clearTimeout(grace);
      await dispatcher.stop();
      for (const platform of platforms) await platform.stop();
      await clusterRuntime?.stop();
      await pool?.close();
      await store.close();
      logger.info('stopped');
    })());

  return { config, loaded, store, roster, limiter, engine, url: web?.url, startupMs, platforms, stop };
}
