// One discord.js Client per entity with a token, logged in concurrently. A bad or revoked token (401 at login,
// gateway close 4004) or a refused intent (4014: Message Content not enabled) fails that entity alone, with an
// error naming it; the others keep running. Tracks each entity's connection state and its bot's user id.
import { Client, Events, type ClientOptions } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import type { Secret } from '../../core/secret.js';
import type { EntityConfig } from '../../entities/config/index.js';
import { entityClientOptions } from './client-options.js';

export type ConnectionState = 'ready' | 'connecting' | 'failed' | 'webhook';

export interface EntityLogin {
  entity: EntityConfig;
  /** Undefined for an entity that speaks through webhooks. */
  token: Secret | undefined;
}

export interface EntityConnectionsOptions {
  logins: readonly EntityLogin[];
  restBaseUrl: string;
  logger: Logger;
  /** How long start() waits for a bot to be ready before going on without it (it keeps connecting). */
  readyTimeoutMs?: number;
  /** Extra discord.js options for every client (tests: e.g. no identify throttle). */
  clientOptions?: Partial<ClientOptions>;
  /** Called for each Client before it logs in, to attach the event handlers. */
  onClient(entity: EntityConfig, client: Client): void;
}

interface Connection {
  entity: EntityConfig;
  client: Client | undefined;
  state: ConnectionState;
  error?: string;
}

const CLOSE_REASONS: Record<number, string> = {
  4004: 'the token was refused (bad or revoked)',
  4013: 'invalid intents',
  4014: 'a privileged intent is not enabled: turn on Message Content in the Developer Portal (Bot page)',
};

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (e.code === 'TokenInvalid') return 'the token was refused (bad or revoked)';
  return typeof e.message === 'string' ? e.message : String(error);
}

export class EntityConnections {
  readonly #connections = new Map<string, Connection>();
  readonly #entityByUser = new Map<string, string>();
  #stopping = false;

  constructor(private readonly o: EntityConnectionsOptions) {
    for (const { entity, token } of o.logins) {
      this.#connections.set(entity.id, {
        entity,
        client: undefined,
        state: token ? 'connecting' : 'webhook',
      });
    }
  }

  /** Logs every entity with a token in at once; resolves when each is ready, failed or timed out. */
  async start(): Promise<void> {
    await Promise.all(
      this.o.logins.flatMap(({ entity, token }) => (token ? [this.#login(entity, token)] : [])),
    );
  }

  #fail(connection: Connection, why: string): void {
    // A refused IDENTIFY both closes the gateway and rejects the login: report the first, clearer reason.
    if (connection.state === 'failed' || this.#stopping) return;
    connection.state = 'failed';
    connection.error = why;
    this.o.logger.error(`Discord bot of entity "${connection.entity.id}" cannot connect: ${why}`, {
      entity: connection.entity.id,
    });
  }

  async #login(entity: EntityConfig, token: Secret): Promise<void> {
    const connection = this.#connections.get(entity.id) as Connection;
    const client = new Client({
      ...entityClientOptions({
        restBaseUrl: this.o.restBaseUrl,
        dms: entity.platforms.discord?.dms ?? false,
      }),
      ...this.o.clientOptions,
    });
    connection.client = client;
    const log = this.o.logger.child({ entity: entity.id });
    const ready = new Promise<void>((resolve) => {
      client.once(Events.ClientReady, (c) => {
        this.#entityByUser.set(c.user.id, entity.id);
        connection.state = 'ready';
        log.info('Discord bot connected', { user: c.user.tag, guilds: c.guilds.cache.size });
        resolve();
      });
      client.on(Events.ShardDisconnect, (event) => {
        this.#fail(
          connection,
          CLOSE_REASONS[event.code] ?? `the gateway closed the connection (${event.code})`,
        );
        resolve();
      });
    });
    client.on(Events.ShardReconnecting, () => {
      if (connection.state === 'ready') connection.state = 'connecting';
      log.info('Discord gateway reconnecting');
    });
    client.on(Events.ShardResume, () => {
      connection.state = 'ready';
      log.info('Discord gateway resumed');
    });
    client.on(Events.ShardReady, () => {
      if (connection.state === 'connecting' && client.isReady()) connection.state = 'ready';
    });
    client.on(Events.Error, (error) => log.error('Discord client error', { error: describe(error) }));
    client.on(Events.Warn, (message) => log.warn(`Discord: ${message}`));
    this.o.onClient(entity, client);

    const failed = client.login(token.reveal()).then(
      () => new Promise<void>(() => undefined),
      (error: unknown) => this.#fail(connection, describe(error)),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.readyTimeoutMs ?? 30_000);
      timer.unref();
    });
    await Promise.race([ready, failed, timeout]);
    clearTimeout(timer);
    if (connection.state === 'failed') await client.destroy().catch(() => undefined);
  }

  /** The entity's client once it is ready. */
  clientOf(entityId: string): Client<true> | undefined {
    const client = this.#connections.get(entityId)?.client;
    return client?.isReady() ? client : undefined;
  }

  /** Every client created (ready or not). */
  clients(): { entity: EntityConfig; client: Client }[] {
    return [...this.#connections.values()].flatMap((c) =>
      c.client ? [{ entity: c.entity, client: c.client }] : [],
    );
  }

  /** The entity whose bot has this Discord user id. */
  entityIdOfUser(userId: string): string | undefined {
    return this.#entityByUser.get(userId);
  }

  states(): ReadonlyMap<string, ConnectionState> {
    return new Map([...this.#connections].map(([id, c]) => [id, c.state]));
  }

  status(): Record<string, { state: ConnectionState; error?: string }> {
    return Object.fromEntries(
      [...this.#connections].map(([id, c]) => [id, { state: c.state, ...(c.error && { error: c.error }) }]),
    );
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.#connections.values()].map((c) => c.client?.destroy().catch(() => undefined)));
  }
}
