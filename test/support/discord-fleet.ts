// Starts a fake Discord and a real fleet whose Discord platform logs every entity's bot in to it through the
// real discord.js client. Entities get a token `{ env: '<ID>_TOKEN' }` unless they say `token: false`.
import { join } from 'node:path';
import type { Generator } from '../../bots/generation/index.js';
import { startDiscordPlatformWith, type DiscordPlatformTuning } from '../../bots/discord/index.js';
import { createLogger, type LogRecord } from '../../core/logger.js';
import type { Random } from '../../core/random.js';
import { startFleet, type Fleet } from '../../scripts/fleet.js';
import { startFakeDiscord, type FakeDiscord, type FakeUser } from '../fakes/discord/index.js';
import { echoGenerator, tempDir, writeConfigFile } from './test-fleet.js';

export const ERIN: FakeUser = { id: '900000000000000001', username: 'erin' };
export const FINN: FakeUser = { id: '900000000000000002', username: 'finn' };

export interface DiscordEntitySpec {
  id: string;
  username: string;
  responseChance?: number;
  /** false: no token (speaks through webhooks). */
  token?: boolean;
  dms?: boolean;
  /** Channel names of the fake guild (default: ['general']). */
  channels?: string[];
  avatarUrl?: string;
  rateLimits?: Record<string, unknown>;
}

export interface DiscordFleetOptions {
  entities: DiscordEntitySpec[];
  botSettings?: Record<string, unknown>;
  discord?: Record<string, unknown>;
  markovSettings?: Record<string, unknown>;
  generators?: Generator[];
  random?: Random;
  tuning?: Partial<DiscordPlatformTuning>;
  /** Tokens the fake refuses from the start (entity ids). */
  badTokens?: string[];
  /** Public threads in the fake guild, by name, under a channel name. */
  threads?: { name: string; parent: string }[];
  /** Entity ids whose bots the fake knows but whose application lacks the Message Content intent. */
  noMessageContent?: string[];
}

export interface DiscordFleet {
  fake: FakeDiscord;
  /** The running fleet (a new one after restart). */
  fleet: Fleet;
  /** The fake channel id of a channel name. */
  channel(name?: string): string;
  token(entityId: string): string;
  userId(entityId: string): string;
  logs: LogRecord[];
  /** Stops the fleet, runs `whileDown`, and starts it again on the same data directory. */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
  stop(): Promise<void>;
}

export const tokenOf = (entityId: string) => `token-${entityId}`;
const userIdOf = (i: number) => `8000000000000000${10 + i}`;

export async function startDiscordFleet(options: DiscordFleetOptions): Promise<DiscordFleet> {
  const channelNames = [
    ...new Set(['general', 'random', ...options.entities.flatMap((e) => e.channels ?? [])]),
  ];
  const withBots = options.entities.filter((e) => e.token !== false);
  const fake = await startFakeDiscord({
    bots: withBots
      .filter((e) => !options.badTokens?.includes(e.id))
      .map((e, i) => ({
        token: tokenOf(e.id),
        username: e.username,
        userId: userIdOf(i),
        ...(options.noMessageContent?.includes(e.id) && { disallowedIntents: 1 << 15 }),
      })),
    guilds: [
      {
        name: 'chorus-test',
        channels: [
          ...channelNames
            .filter((n) => !options.threads?.some((t) => t.name === n))
            .map((name) => ({ name })),
          ...(options.threads ?? []),
        ],
      },
    ],
    heartbeatIntervalMs: 5000,
  });
  const dir = tempDir('chorus-discord-');
  const env: Record<string, string> = {};
  const entities = options.entities.map((e) => {
    if (e.token !== false) env[`${e.id.toUpperCase()}_TOKEN`] = tokenOf(e.id);
    return {
      id: e.id,
      username: e.username,
      responseChance: e.responseChance ?? 0,
      ...(e.rateLimits && { rateLimits: e.rateLimits }),
      platforms: {
        web: { enabled: false },
        discord: {
          channels: (e.channels ?? ['general']).map((name) => fake.channelId(name)),
          dms: e.dms ?? false,
          ...(e.token !== false && { token: { env: `${e.id.toUpperCase()}_TOKEN` } }),
          ...(e.avatarUrl && { avatarUrl: e.avatarUrl }),
        },
      },
    };
  });
  const config = {
    botSettings: {
      pollingInterval: 100,
      maxRepliesPerMessage: 2,
      maxBotExchanges: 0,
      ...options.botSettings,
    },
    markovSettings: { enabled: false, ...options.markovSettings },
    platforms: {
      web: { channels: ['general'] },
      discord: {
        enabled: true,
        restBaseUrl: fake.restUrl,
        // Token-less entities speak through the webhooks of the first entity with a bot.
        ...(withBots.length < options.entities.length && { webhookHost: withBots[0]?.id }),
        ...options.discord,
      },
    },
    entities,
  };
  const logs: LogRecord[] = [];
  const configFile = writeConfigFile(dir.path, config);
  const launch = () =>
    startFleet({
      configFile,
      dataDir: join(dir.path, 'data'),
      port: 0,
      env,
      logger: createLogger((r) => {
        logs.push(r);
        if (r.level === 'error' || r.level === 'warn') {
          process.stderr.write(`fleet ${r.level}: ${r.message} ${JSON.stringify(r.fields ?? {})}\n`);
        }
      }, 'debug'),
      generators: options.generators ?? [echoGenerator],
      ...(options.random && { random: options.random }),
      platforms: [
        (context) => startDiscordPlatformWith(context, { readyTimeoutMs: 5000, ...options.tuning }),
      ],
    });
  const fleet = await launch().catch(async (error: unknown) => {
    await fake.close();
    dir.remove();
    throw error;
  });
  const ids = new Map(withBots.map((e, i) => [e.id, userIdOf(i)]));
  let stopped = false;
  const running: DiscordFleet = {
    fake,
    fleet,
    logs,
    async restart(whileDown) {
      await running.fleet.stop();
      stopped = true;
      await whileDown?.();
      running.fleet = await launch();
      stopped = false;
    },
    channel: (name = 'general') => fake.channelId(name),
    token: tokenOf,
    userId: (entityId) => {
      const id = ids.get(entityId);
      if (!id) throw new Error(`no bot for ${entityId}`);
      return id;
    },
    async stop() {
      if (!stopped) await running.fleet.stop();
      await fake.close();
      dir.remove();
    },
  };
  return running;
}

/** Resolves after `ms`. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
