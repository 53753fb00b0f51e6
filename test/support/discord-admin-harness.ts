// A small rig for the /chorus admin commands: a fake Discord, the real discord.js Client of the commands bot with
// attachAdminCommands, and the fleet's parts the commands touch built for real (a ChorusStore in a temp dir, the
// roster, rate limiter, Markov training, channel history, a responder with a fixed generator and, when asked, the
// LM Studio cluster over simulators). Entities: luna (own token) and sol (webhook), both in #general; luna also
// in #random. #ideas is a thread of #general.
import { Client, GatewayIntentBits } from 'discord.js';
import { attachAdminCommands, type AdminCommandDeps } from '../../bots/discord/admin/index.js';
import { ChannelEvents } from '../../bots/channel-events.js';
import { ChannelHistory } from '../../bots/engine/channel-history.js';
import { Responder } from '../../bots/engine/responder.js';
import type { Generator } from '../../bots/generation/index.js';
import { MarkovTraining } from '../../bots/generation/markov-training.js';
import type { PlatformContext } from '../../bots/platform.js';
import { Cluster } from '../../cluster/cluster.js';
import { ServerRegistry } from '../../cluster/server-registry.js';
import { systemClock } from '../../core/clock.js';
import { memoryLogger, type LogRecord } from '../../core/logger.js';
import { seededRandom } from '../../core/random.js';
import { validateConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';
import { RateLimiter } from '../../entities/rate-limiter.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';
import { MarkovPool } from '../../workers/markov-pool.js';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeInteraction,
  type FakeUser,
} from '../fakes/discord/index.js';
import { startFakeLmStudios, type FakeLmStudios } from '../fakes/lmstudio.js';
import { tempDir } from './test-fleet.js';

export const ADMIN: FakeUser = { id: '800000000000000001', username: 'ada' };
export const STRANGER: FakeUser = { id: '800000000000000002', username: 'sam' };
export const MANAGE_GUILD = '32';
const TOKEN = 'token-luna';

/** Says what it answers, so tests can tell generated replies apart. */
export const fixedGenerator: Generator = {
  name: 'fixed',
  generate: async (req) => ({
    text: `luna muses about: ${req.message.text}`,
    source: 'llm',
    generator: 'fixed',
  }),
};

export interface AdminHarnessOptions {
  admins?: string[];
  /** Start this many LM Studio simulators and a cluster over them (default: no cluster). */
  lmStudios?: number;
  progressIntervalMs?: number;
  /** Run the Markov worker pool (one thread) over the store. */
  pool?: boolean;
  /** Extra guilds (each with a #lobby) to check registration per guild. */
  extraGuilds?: string[];
}

export interface AdminHarness {
  discord: FakeDiscord;
  client: Client;
  context: PlatformContext;
  store: ChorusStore;
  logs: LogRecord[];
  lmStudios: FakeLmStudios | undefined;
  channel(name: string): string;
  /** The commands bot's application id. */
  applicationId: string;
  /** Runs /chorus with raw options (a subcommand path and values) as `user` (default the admin). */
  run(options: object[], user?: FakeUser, permissions?: string, channel?: string): FakeInteraction;
  spoken: { entityId: string; channelId: string; text: string }[];
  /** Aborts the context's signal, as the fleet's shutdown does. */
  shutdown(): void;
  stop(): Promise<void>;
}

export const sub = (name: string, options: object[] = []) => ({ type: 1, name, options });
export const group = (name: string, subcommand: object) => ({ type: 2, name, options: [subcommand] });
export const str = (name: string, value: string) => ({ type: 3, name, value });
export const num = (name: string, value: number, type = 10) => ({ type, name, value });

export async function startAdminHarness(o: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const discord = await startFakeDiscord({
      bots: [{ token: TOKEN, username: 'Luna' }],
      guilds: [
        {
          name: 'Home',
          channels: [{ name: 'general' }, { name: 'random' }, { name: 'ideas', parent: 'general' }],
        },
        ...(o.extraGuilds ?? []).map((name) => ({ name, channels: [{ name: `${name}-lobby` }] })),
      ],
    });
    cleanups.push(() => discord.close());
    const channel = (name: string) => discord.channelId(name);
    const lmStudios = o.lmStudios ? await startFakeLmStudios(o.lmStudios, { memoryGb: 16 }) : undefined;
    if (lmStudios) cleanups.push(() => lmStudios.stop());

    const { config, warnings, secrets } = validateConfig(
      {
        admins: { discord: o.admins ?? [ADMIN.id] },
        platforms: { discord: { enabled: true, restBaseUrl: discord.restUrl, webhookHost: 'luna' } },
        lmStudioServers: (lmStudios?.urls ?? []).map((url, i) => ({
          ip: '127.0.0.1',
          port: Number(new URL(url).port),
          name: `sim${i}`,
          capabilities: { maxMemory: 16, parallelSlots: 4 },
        })),
        entities: [
          {
            id: 'luna',
            username: 'Luna',
            responseChance: 0.3,
            rateLimits: { minSecondsBetweenPosts: 10, maxPostsPerMinute: 3 },
            platforms: {
              web: { enabled: false },
              discord: { token: { env: 'LUNA_TOKEN' }, channels: [channel('general'), channel('random')] },
            },
          },
          {
            id: 'sol',
            username: 'Sol',
            platforms: { web: { enabled: false }, discord: { channels: [channel('general')] } },
          },
        ],
      },
      'test',
      { LUNA_TOKEN: TOKEN },
    );
    const dir = tempDir('chorus-admin-');
    cleanups.push(() => dir.remove());
    const store = ChorusStore.open(dir.path);
    cleanups.push(() => store.close());
    const logger = memoryLogger();
    const clock = systemClock;
    const roster = new EntityRoster(config.entities);
    const limiter = new RateLimiter(
      clock,
      { minGapMs: 0 },
      new Map(
        config.entities.map((e) => [
          e.id,
          {
            minGapMs: e.rateLimits.minSecondsBetweenPosts * 1000,
            maxPerMinute: e.rateLimits.maxPostsPerMinute,
            maxPerHour: e.rateLimits.maxPostsPerHour,
          },
        ]),
      ),
    );
    const training = new MarkovTraining({
      scopes: new MarkovScopes(store.markov, clock),
      inbox: store.inbox,
      roster,
      webChannels: [],
      historyOnStart: 100,
      logger,
    });
    const markovPool = o.pool
      ? new MarkovPool({ dbFile: store.db.name, threads: 1, cacheBytes: 16 * 1024 * 1024 })
      : undefined;
    if (markovPool) cleanups.push(() => markovPool.close());
    let cluster: Cluster | undefined;
    if (lmStudios) {
      const registry = new ServerRegistry(config.lmStudioServers);
      cleanups.push(() => registry.close());
      await Promise.all(
        registry.all().map(async ({ state, client }) => state.applyDiscovery(await client.modelsV1())),
      );
      cluster = new Cluster({ registry, settings: config.clusterSettings, clock, logger });
    }
    const shutdown = new AbortController();
    cleanups.push(() => shutdown.abort());
    const context: PlatformContext = {
      config,
      loaded: { config, warnings, secrets },
      env: {},
      store,
      roster,
      limiter,
      clock,
      random: seededRandom(1),
      logger,
      events: new ChannelEvents(),
      history: new ChannelHistory(store.inbox, 50),
      responder: new Responder({
        generator: fixedGenerator,
        logger,
        timeoutMs: 5000,
        maxReplyLength: 2000,
        partLimit: () => 2000,
      }),
      wakeEngine: () => undefined,
      training,
      markovPool,
      cluster,
      signal: shutdown.signal,
    };

    const client = new Client({
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
      rest: { api: discord.restUrl },
      allowedMentions: { parse: [], repliedUser: false },
    });
    cleanups.push(() => client.destroy());
    const spoken: AdminHarness['spoken'] = [];
    const deps: AdminCommandDeps = {
      context,
      speak: async (entityId, channelId, text) => {
        spoken.push({ entityId, channelId, text });
        const target = await client.channels.fetch(channelId);
        if (!target?.isSendable()) throw new Error(`cannot post in ${channelId}`);
        return (await target.send(text)).id;
      },
      connections: () =>
        new Map([
          ['luna', 'ready'],
          ['sol', 'webhook'],
        ]),
    };
    // Attached before login, as the adapter does: registration happens on ready.
    const admin = attachAdminCommands(client, deps, { progressIntervalMs: o.progressIntervalMs ?? 0 });
    cleanups.push(() => admin.stop());
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    await client.login(TOKEN);
    await ready;

    return {
      discord,
      client,
      context,
      store,
      logs: logger.records,
      lmStudios,
      channel,
      applicationId: discord.bot(TOKEN).applicationId,
      run: (options, user = ADMIN, permissions = MANAGE_GUILD, where = 'general') =>
        discord.interact(TOKEN, {
          channelId: channel(where),
          user,
          permissions,
          name: 'chorus',
          options,
        }),
      spoken,
      shutdown: () => shutdown.abort(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
