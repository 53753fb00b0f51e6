// The cluster's servers: for each configured LM Studio server, the router's state of it and the client that talks
// to it. `update` applies a new `lmStudioServers` list (a config reload): new servers are added, removed ones
// dropped (their clients closed once idle), and `enabled` follows the config; state of kept servers is kept.
import type { ServerConfig } from '../entities/config/index.js';
import { LmStudioClient } from './client/index.js';
import { ServerState, type CircuitBreakerOptions } from './core/index.js';

export interface ClusterServer {
  readonly state: ServerState;
  readonly client: LmStudioClient;
}

export interface RegistryChange {
  added: string[];
  removed: string[];
  /** Servers whose `enabled` flipped. */
  toggled: string[];
}

export interface ServerRegistryOptions {
  /** Makes the client of a server (tests pass tuning; the default uses the client's defaults). */
  makeClient?: (url: string) => LmStudioClient;
  breaker?: CircuitBreakerOptions;
}

export class ServerRegistry {
  readonly #servers = new Map<string, ClusterServer>();
  readonly #makeClient: (url: string) => LmStudioClient;

  constructor(
    servers: readonly ServerConfig[],
    private readonly options: ServerRegistryOptions = {},
  ) {
    this.#makeClient = options.makeClient ?? ((url) => new LmStudioClient({ baseUrl: url }));
    this.update(servers);
  }

  update(servers: readonly ServerConfig[]): RegistryChange {
    const change: RegistryChange = { added: [], removed: [], toggled: [] };
    const seen = new Set<string>();
    for (const config of servers) {
      const state = ServerState.fromConfig(config, this.options.breaker);
      seen.add(state.id);
      const known = this.#servers.get(state.id);
      if (!known) {
        this.#servers.set(state.id, { state, client: this.#makeClient(state.url) });
        change.added.push(state.id);
      } else if (known.state.enabled !== config.enabled) {
        known.state.enabled = config.enabled;
        change.toggled.push(state.id);
      }
    }
    for (const [id, server] of this.#servers) {
      if (seen.has(id)) continue;
      this.#servers.delete(id);
      server.state.enabled = false;
      change.removed.push(id);
      void server.client.close();
    }
    return change;
  }

  all(): ClusterServer[] {
    return [...this.#servers.values()];
  }

  states(): ServerState[] {
    return this.all().map((s) => s.state);
  }

  get(id: string): ClusterServer | undefined {
    return this.#servers.get(id);
  }

  get size(): number {
    return this.#servers.size;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((s) => s.client.close()));
  }
}
