// Active health checks of the cluster's servers: the greeting (whose body must say `{"lmstudio":true}`, since LM
// Studio answers unknown paths with a 200 carrying an error) and then `GET /api/v1/models`, whose sizes and loaded
// instances refresh each server's state. Rounds run every `intervalMs` and on demand; a server's checks never overlap.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { LmStudioError, type ModelV1 } from './client/index.js';
import type { ServerState } from './core/index.js';
import type { ClusterServer, ServerRegistry } from './server-registry.js';

export interface HealthMonitorOptions {
  registry: ServerRegistry;
  /** Time between rounds, in ms (`clusterSettings.healthCheckInterval`). */
  intervalMs: number;
  /** Deadline of each of a check's two calls, in ms (`clusterSettings.healthCheckTimeout`). */
  timeoutMs: number;
  clock: Clock;
  logger: Logger;
  /** Called when a server's verdict flips, not on every check. */
  onChange?: (serverId: string, healthy: boolean) => void;
}

/** setTimeout's upper bound; a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function checkOptions(options: HealthMonitorOptions): void {
  for (const key of ['intervalMs', 'timeoutMs'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMER_MS) {
      throw new RangeError(`options.${key} must be a positive integer of ms, at most ${MAX_TIMER_MS}`);
    }
  }
}

function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof LmStudioError) return { code: error.code, message: error.message };
  return { code: 'health_check', message: error instanceof Error ? error.message : String(error) };
}

export class HealthMonitor {
  /** The check under way per server id. */
  readonly #running = new Map<string, Promise<void>>();
  /** A check asked for (by `checkNow`) while one was under way; it starts when that one ends. */
  readonly #queued = new Map<string, Promise<void>>();
  #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: HealthMonitorOptions) {
    checkOptions(o);
  }

  /** Starts the timer and a first round at once; resolves when that round is done (the timer runs either way). */
  start(): Promise<void> {
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#round(false), this.o.intervalMs);
      this.#timer.unref();
    }
    return this.#round(false);
  }

  /**
   * One round now (or of server `id` only; disabled servers are skipped), resolving when it is done. A server whose
   * check is under way is checked again once it ends, so the result reflects the servers as they are after this
   * call; concurrent callers share that follow-up check.
   */
  checkNow(id?: string): Promise<void> {
    return this.#round(true, id);
  }

  /** Stops the timer, aborts the checks under way (an aborted check changes nothing) and waits for them. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    while (this.#running.size > 0 || this.#queued.size > 0) {
      await Promise.allSettled([...this.#running.values(), ...this.#queued.values()]);
    }
    this.#abort = new AbortController();
  }

  async #round(fresh: boolean, id?: string): Promise<void> {
    const servers = id === undefined ? this.o.registry.all() : [this.o.registry.get(id)];
    await Promise.all(
      servers.flatMap((server) => (server?.state.enabled ? [this.#request(server.state.id, fresh)] : [])),
    );
  }

  /** A timer tick (`fresh` false) skips a server whose check is under way; `checkNow` queues one after it. */
  #request(id: string, fresh: boolean): Promise<void> {
    // A queued check goes first: it is about to start, and a second one must not start beside it.
    const queued = this.#queued.get(id);
    if (queued) return queued;
    const running = this.#running.get(id);
    if (!running) return this.#begin(id);
    if (!fresh) return running;
    const next = running.then(() => {
      this.#queued.delete(id);
      return this.#begin(id);
    });
    this.#queued.set(id, next);
    return next;
  }

  #begin(id: string): Promise<void> {
    // Looked up now, not when asked: the server may have been removed or disabled by a config reload meanwhile.
    const server = this.o.registry.get(id);
    if (!server?.state.enabled) return Promise.resolve();
    const run = this.#check(server).finally(() => {
      if (this.#running.get(id) === run) this.#running.delete(id);
    });
    this.#running.set(id, run);
    return run;
  }

  /** Never rejects: every outcome ends up in the server's state. */
  async #check(server: ClusterServer): Promise<void> {
    const { signal } = this.#abort;
    const call = { deadlineMs: this.o.timeoutMs, signal };
    let models: ModelV1[];
    try {
      await server.client.greeting(call);
      models = await server.client.modelsV1(call);
    } catch (error) {
      if (!signal.aborted && this.#isCurrent(server)) this.#failed(server.state, failureOf(error));
      return;
    }
    if (this.#isCurrent(server)) this.#passed(server.state, models);
  }

  /** Still in the registry: a removed server's late result must not fire `onChange` or log. */
  #isCurrent(server: ClusterServer): boolean {
    return this.o.registry.get(server.state.id) === server;
  }

  #passed(state: ServerState, models: readonly ModelV1[]): void {
    state.applyDiscovery(models);
    if (state.healthy) return;
    state.healthy = true;
    // The checks saw this server fail and now answer again: the breaker's failures are explained by that outage,
    // so it closes at once instead of sitting out its cooldown. A passing check of a server that was healthy all
    // along leaves the breaker alone: its failures came from requests (chats timing out, 5xx) that a greeting and
    // a model list do not exercise, and resetting it every tick would defeat it.
    state.breaker.reset();
    this.o.logger.info('LM Studio server is healthy again', { server: state.name, url: state.url });
    this.o.onChange?.(state.id, true);
  }

  #failed(state: ServerState, failure: { code: string; message: string }): void {
    // One entry per distinct failure: a server down for an hour keeps one line (dated when it went down) instead
    // of pushing every other recent error out of the status.
    const latest = state.recentErrors().at(-1);
    if (state.healthy || latest?.code !== failure.code || latest.message !== failure.message) {
      state.recordError(this.o.clock.now(), failure.code, failure.message);
    }
    if (!state.healthy) return;
    state.healthy = false;
    this.o.logger.warn('LM Studio server failed its health check; no requests go to it until it passes', {
      server: state.name,
      url: state.url,
      code: failure.code,
      error: failure.message,
    });
    this.o.onChange?.(state.id, false);
  }
}
