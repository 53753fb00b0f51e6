// The seam between the fleet and a chat platform (Discord, Signal). The fleet builds one context with every
// shared part and hands it to each platform's starter; a started platform gives back the sender the outbox
// dispatcher uses for its messages, what it shows while replies are generated, and a way to stop it.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Platform } from '../core/message.js';
import type { Random } from '../core/random.js';
import type { ChorusConfig, Environment, LoadedConfig } from '../entities/config/index.js';
import type { EntityRoster } from '../entities/entity-roster.js';
import type { RateLimiter } from '../entities/rate-limiter.js';
import type { Cluster } from '../cluster/cluster.js';
import type { ChorusStore } from '../store/index.js';
import type { MarkovPool } from '../workers/markov-pool.js';
import type { ChannelEvents } from './channel-events.js';
import type { ChannelHistory } from './engine/channel-history.js';
import type { PlatformSender } from './engine/outbox-dispatcher.js';
import type { ReplyActivity } from './engine/reply-activity.js';
import type { Responder } from './engine/responder.js';
import type { MarkovTraining } from './generation/markov-training.js';

export interface PlatformContext {
  config: ChorusConfig;
  /** The loaded config, with resolved secrets (`loaded.secrets.get('entities[3].platforms.discord.token')`). */
  loaded: LoadedConfig;
  env: Environment;
  store: ChorusStore;
  roster: EntityRoster;
  limiter: RateLimiter;
  clock: Clock;
  random: Random;
  logger: Logger;
  events: ChannelEvents;
  history: ChannelHistory;
  /** Generates and post-processes an entity's reply with the engine's generator chain (admin `say`, briefings). */
  responder: Responder;
  /** Wakes the polling engine after messages were inserted into the inbox. */
  wakeEngine(): void;
  /** Present when the Markov fallback is enabled. */
  training?: MarkovTraining | undefined;
  markovPool?: MarkovPool | undefined;
  /** Present when the fleet runs the LM Studio cluster. */
  cluster?: Cluster | undefined;
  /** Aborted when the fleet shuts down. */
  signal: AbortSignal;
}

export interface RunningPlatform {
  platform: Platform;
  sender: PlatformSender;
  activity?: ReplyActivity | undefined;
  /** For /healthz and the dashboard. */
  status?(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts a platform when the config enables it; resolves to undefined when it is disabled. */
export type PlatformStarter = (context: PlatformContext) => Promise<RunningPlatform | undefined>;
