// The Discord platform: one discord.js Client per entity with a token, webhook personas for entities without
// one, inbound messages into the inbox, replies out of the outbox, typing and streamed previews while replies
// are generated, and the /chorus admin commands on the commands entity's bot.
import { Events, type Client, type ClientOptions } from 'discord.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { PlatformContext, PlatformStarter, RunningPlatform } from '../platform.js';
import { attachAdminCommands } from './admin/index.js';
import { catchUp } from './catch-up.js';
import { DiscordActivity } from './discord-activity.js';
import { DiscordSender } from './discord-sender.js';
import { EntityConnections, type EntityLogin } from './entity-connections.js';
import { EntityVoices } from './entity-voices.js';
import { attachInboundEvents } from './inbound-events.js';
import type { DiscordDirectory } from './message-mapping.js';
import { PreviewRegistry } from './preview-registry.js';
import { realScheduler, type Scheduler } from './streamed-preview.js';
import { WebhookPersonas, webhookUsername } from './webhook-personas.js';

/** Timings that are not in the config; tests shorten them. */
export interface DiscordPlatformTuning {
  /** How often the typing indicator is renewed while a reply is generated, in ms. */
  typingIntervalMs: number;
  /** How long a finished streamed preview waits for its reply before it is removed, in ms. */
  previewTtlMs: number;
  /** Streamed previews kept at most. */
  maxPreviews: number;
  /** How long start waits for the bots to be ready, in ms (they keep connecting afterwards). */
  readyTimeoutMs: number;
  /** Messages per channel read after downtime at most (0: none). */
  catchUpLimit: number;
  /** A channel another bot caught up less than this long ago (ms) is not read again. */
  catchUpFreshMs: number;
  scheduler: Scheduler;
  /** Extra discord.js client options (tests). */
  clientOptions: Partial<ClientOptions>;
}

export const DefaultDiscordPlatformTuning = {
  typingIntervalMs: 8000,
  previewTtlMs: 120_000,
  maxPreviews: 500,
  readyTimeoutMs: 30_000,
  catchUpLimit: 50,
  catchUpFreshMs: 10_000,
  scheduler: realScheduler,
  clientOptions: {},
} satisfies DiscordPlatformTuning;

/**
 * The entities on Discord, each with its token if it has one. Entities disabled in the config connect too: their
 * bot stays silent (the roster leaves them out), and `/chorus entity enable` brings them in without a restart.
 */
function discordLogins(context: PlatformContext): EntityLogin[] {
  return context.config.entities.flatMap((entity, i): EntityLogin[] => {
    if (!entity.platforms.discord?.enabled) return [];
    const token = context.loaded.secrets.get(`entities[${i}].platforms.discord.token`);
    return [{ entity, token }];
  });
}

/** The entity whose bot carries the admin commands: the configured one, or the first with a token. */
function commandsEntity(context: PlatformContext, logins: readonly EntityLogin[]): string | undefined {
  const configured = context.config.platforms.discord.commandsEntity;
  const withToken = logins.filter((l) => l.token).map((l) => l.entity.id);
  if (configured !== undefined && !withToken.includes(configured)) {
    context.logger.warn(
      `platforms.discord.commandsEntity: entity "${configured}" has no Discord bot here; the admin commands use the first entity with a token`,
    );
    return withToken[0];
  }
  return configured ?? withToken[0];
}

export async function startDiscordPlatformWith(
  context: PlatformContext,
  tuning: Partial<DiscordPlatformTuning> = {},
): Promise<RunningPlatform | undefined> {
  const settings = context.config.platforms.discord;
  if (!settings.enabled) return undefined;
  const t = { ...DefaultDiscordPlatformTuning, ...tuning };
  const logger = context.logger.child({ component: 'discord' });
  const logins = discordLogins(context);
  const webhookEntities = logins.filter((l) => !l.token).map((l) => l.entity);
  const hostId = settings.webhookHost ?? logins.find((l) => l.token)?.entity.id;
  if (settings.webhookHost !== undefined && !logins.some((l) => l.token && l.entity.id === hostId)) {
    logger.error(
      `platforms.discord.webhookHost: entity "${settings.webhookHost}" has no Discord bot of its own to host webhooks`,
    );
  }
  if (webhookEntities.some((e) => e.enabled) && !hostId) {
    logger.error(
      'entities without a Discord token need a bot with one to host their webhooks; they stay silent',
      {
        entities: webhookEntities.filter((e) => e.enabled).map((e) => e.id),
      },
    );
  }

  const watched = new Set(logins.flatMap((l) => l.entity.platforms.discord?.channels ?? []));
  const commandsId = commandsEntity(context, logins);
  let admin: { stop(): void } | undefined;
  const detach: (() => void)[] = [];
  const caughtUpAt = new Map<string, number>();
  const initialCatchUps: (() => void)[] = [];
  let started = false;

  const connections: EntityConnections = new EntityConnections({
    logins,
    restBaseUrl: settings.restBaseUrl,
    logger,
    readyTimeoutMs: t.readyTimeoutMs,
    clientOptions: t.clientOptions,
    onClient: (entity: EntityConfig, client: Client) => {
      const inbound = attachInboundEvents(client, entity, {
        directory,
        store: context.store,
        voices,
        training: context.training,
        history: context.history,
        logger,
        wakeEngine: context.wakeEngine,
      });
      detach.push(() => inbound.detach());
      const channels = entity.platforms.discord?.channels ?? [];
      const caughtUp = (ready: Client<true>) =>
        void catchUp(ready, channels, inbound.handle, {
          inbox: context.store.inbox,
          logger,
          limit: t.catchUpLimit,
          recent: caughtUpAt,
          freshMs: t.catchUpFreshMs,
          now: () => context.clock.now(),
        });
      if (t.catchUpLimit > 0) {
        // At start once every bot is ready (so each bot's old posts are known as its entity's), and after a new
        // session (the old one could not be resumed), which may have missed messages too.
        initialCatchUps.push(() => {
          if (client.isReady()) caughtUp(client);
        });
        client.on(Events.ShardReady, () => {
          if (started && client.isReady()) caughtUp(client);
        });
      }

      if (entity.id === commandsId) {
        admin = attachAdminCommands(client, {
          context,
          speak: async (entityId, channelId, text) => {
            const speaker = context.roster.get(entityId);
            if (!speaker) throw new Error(`unknown entity "${entityId}"`);
            const posted = await (await voices.voice(speaker, channelId)).post(text);
            sender.record(speaker, channelId, posted, text);
            return posted.id;
          },
          connections: () => connections.states(),
        });
      }
    },
  });
  const personas = new WebhookPersonas(() => (hostId ? connections.clientOf(hostId) : undefined), logger);
  const byUsername = new Map(webhookEntities.map((e) => [webhookUsername(e.username), e]));
  const directory: DiscordDirectory = {
    entityByUserId: (userId) => {
      const id = connections.entityIdOfUser(userId);
      return id === undefined ? undefined : context.roster.get(id);
    },
    entityByWebhook: (webhookId, username) =>
      personas.owns(webhookId) ? byUsername.get(username) : undefined,
    isWatched: (channelId) => watched.has(channelId),
    inboxIdOf: (discordId) => context.store.inbox.byPlatformId('discord', discordId)?.id,
  };
  const voices = new EntityVoices({ connections, personas });
  const previews = new PreviewRegistry({
    scheduler: t.scheduler,
    ttlMs: t.previewTtlMs,
    maxEntries: t.maxPreviews,
    onError: (error) => logger.debug('streamed preview could not be removed', { error: String(error) }),
  });
  const sender = new DiscordSender({
    voices,
    previews,
    inbox: context.store.inbox,
    roster: context.roster,
    logger,
    onRecorded: () => context.wakeEngine(),
  });
  const activity = new DiscordActivity({
    voices,
    previews,
    scheduler: t.scheduler,
    editIntervalMs: settings.streamEditIntervalMs,
    typingIntervalMs: t.typingIntervalMs,
    logger,
  });

  await connections.start();
  started = true;
  for (const run of initialCatchUps) run();
  logger.info('Discord platform started', { entities: connections.status() });

  return {
    platform: 'discord',
    sender,
    activity,
    status: () => ({ entities: connections.status(), previews: previews.size }),
    async stop() {
      admin?.stop();
      for (const d of detach) d();
      await previews.clear();
      await connections.stop();
    },
  };
}

export const startDiscordPlatform: PlatformStarter = (context) => startDiscordPlatformWith(context);
