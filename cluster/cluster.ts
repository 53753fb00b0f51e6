// The LM Studio cluster: sends each chat request to a server chosen by the configured strategy, loads the model
// somewhere first when no server has it (ModelLoader), waits in a bounded priority queue while every slot is
// busy, and fails over to another server on connection errors, timeouts, 5xx and broken streams (never on a 4xx
// that would fail again). It guards against LM Studio's quirk of answering with whatever model is loaded.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ClusterSettings } from '../entities/config/index.js';
import { LmStudioError, type ChatRequest, type Usage } from './client/index.js';
import { ClusterError } from './cluster-errors.js';
import {
  chooseServer,
  QueueFullError,
  RequestQueue,
  RoundRobinCursor,
  type ServerSnapshot,
} from './core/index.js';
import { ModelLoader } from './model-loader.js';
import type { ClusterServer, ServerRegistry } from './server-registry.js';

export interface ClusterOptions {
  registry: ServerRegistry;
  settings: ClusterSettings;
  clock: Clock;
  logger: Logger;
  /** Asks every server what it holds now; called once per request on a miss (the state was out of date). */
  rediscover?: () => Promise<void>;
  /** Measurement hooks (the cluster benchmark); when absent, nothing is timed. */
  observe?: ClusterObserver;
}

export interface ClusterObserver {
  /**
   * Called once per attempt with the time, in ms of `performance.now()`, from the attempt's start to the moment a
   * server was acquired, just before the request goes out: the router's own overhead, plus any placement, queue
   * wait or rediscovery the attempt needed.
   */
  routed?(ms: number): void;
}

export interface ClusterReply {
  text: string;
  /** The model that answered (always the one asked for) and the server that ran it. */
  model: string;
  server: string;
  usage: Usage | null;
  /** True when every server failed mid-stream and this is the longest text that arrived. */
  partial: boolean;
}

export interface ClusterStatus {
  strategy: ClusterSettings['loadBalancingStrategy'];
  servers: ServerSnapshot[];
  queueDepth: number;
  inFlight: number;
}

interface Waiter {
  resolve: () => void;
}

/** Failures worth trying on another server. */
const FAIL_OVER = new Set(['network', 'timeout', 'server_error', 'stream_interrupted', 'bad_response']);

export class Cluster {
  readonly #queue: RequestQueue<Waiter>;
  readonly #cursor = new RoundRobinCursor();
  readonly #loader: ModelLoader;

  constructor(private readonly o: ClusterOptions) {
    this.#queue = new RequestQueue<Waiter>({ maxSize: o.settings.maxQueueSize });
    this.#loader = new ModelLoader(o.registry, o.clock, o.logger, o.settings.modelLoadTimeout);
  }

  /** Whether any server is configured (with none, the cluster is not asked at all). */
  get hasServers(): boolean {
    return this.o.registry.size > 0;
  }

  /**
   * A whole reply for `request.model`; throws ClusterError when no server can give one. `onText` sees the text so
   * far while it streams (from the start again when a server fails over), never text from a wrong model.
   */
  async chat(
    request: ChatRequest,
    priority: number,
    signal?: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<ClusterReply> {
    const tried = new Set<string>();
    const miss = { rediscovered: false };
    let partial: ClusterReply | undefined;
    let last: unknown;
    for (let attempt = 0; attempt <= this.o.settings.maxRetries; attempt++) {
      const started = this.o.observe ? performance.now() : 0;
      if (this.o.registry.states().every((s) => tried.has(s.id))) break;
      let server: ClusterServer;
      try {
        server = await this.#acquire(request.model, priority, tried, miss, signal);
      } catch (error) {
        // No server left to try: what arrived before the streams broke beats no answer.
        if (partial && error instanceof ClusterError && error.code !== 'aborted') return partial;
        throw error;
      }
      this.o.observe?.routed?.(performance.now() - started);
      const { state, client } = server;
      const now = () => this.o.clock.now();
      try {
        const reply = await client.chat(request, {
          deadlineMs: this.o.settings.requestTimeout,
          ...(signal && { signal }),
          ...(onText && {
            onText: (text: string, model: string) => {
              if (model === request.model) onText(text);
            },
          }),
        });
        if (reply.model !== request.model) {
          // LM Studio answered with the one model it has loaded: the requested one is not there after all.
          state.endRequest(request.model, now(), 'failed');
          state.breaker.release();
          state.markUnloaded(request.model);
          state.recordError(now(), 'wrong_model', `asked for ${request.model}, ${reply.model} answered`);
          tried.add(state.id);
          last = new ClusterError('all_failed', `${state.name} answered with ${reply.model}`);
          continue;
        }
        state.breaker.onSuccess();
        state.endRequest(request.model, now(), 'ok');
        return {
          text: reply.text,
          model: reply.model,
          server: state.name,
          usage: reply.usage,
          partial: false,
        };
      } catch (error) {
        state.endRequest(request.model, now(), 'failed');
        if (!(error instanceof LmStudioError)) throw error;
        state.recordError(now(), error.code, error.message);
        // Only a failure of the server counts against its breaker; otherwise a half-open probe is handed back.
        if (FAIL_OVER.has(error.code)) {
          state.breaker.onFailure(now(), { fatal: error.code === 'network', error: error.message });
        } else state.breaker.release();
        if (error.code === 'aborted') {
          throw new ClusterError('aborted', 'the request was aborted', { cause: error });
        }
        if (error.code === 'model_not_found') state.markUnloaded(request.model);
        else if (!FAIL_OVER.has(error.code)) throw error;
        const text = error.received?.content ?? '';
        if (text.length > (partial?.text.length ?? 0)) {
          partial = { text, model: request.model, server: state.name, usage: null, partial: true };
        }
        this.o.logger.warn('an LM Studio request failed, trying another server', {
          server: state.name,
          model: request.model,
          code: error.code,
        });
        tried.add(state.id);
        last = error;
      } finally {
        this.#wakeOne();
      }
    }
    if (partial) return partial;
    throw new ClusterError('all_failed', `every server failed for ${request.model}`, { cause: last });
  }

  /** A server that takes the request now (its slot and breaker taken), after placing or queueing as needed. */
  async #acquire(
    model: string,
    priority: number,
    tried: ReadonlySet<string>,
    miss: { rediscovered: boolean },
    signal: AbortSignal | undefined,
  ): Promise<ClusterServer> {
    let placements = 0;
    for (;;) {
      if (signal?.aborted)
        throw new ClusterError('aborted', 'the request was aborted', { cause: signal.reason });
      const now = this.o.clock.now();
      const candidates = this.o.registry.states().filter((s) => !tried.has(s.id));
      const choice = chooseServer(
        candidates,
        model,
        this.o.settings.loadBalancingStrategy,
        this.#cursor,
        now,
      );
      if (choice.kind === 'server') {
        // The model is still being loaded there by a placement: wait for it rather than race the load.
        const loading = choice.server.loaded.get(model)?.loading ? this.#loader.pending(model) : undefined;
        if (loading) {
          await loading.catch(() => undefined);
          continue;
        }
        const server = this.o.registry.get(choice.server.id);
        if (server && choice.server.breaker.tryAcquire(now)) {
          choice.server.beginRequest(model, now);
          return server;
        }
        await this.#wait(priority, signal);
      } else if (choice.kind === 'queue') {
        await this.#wait(priority, signal);
      } else if (
        !miss.rediscovered &&
        this.o.rediscover &&
        !candidates.some((s) => s.acceptsRequests(now) && s.isDownloaded(model))
      ) {
        // No usable server is known to have the model: what the router knows may be out of date (a server just
        // added, a model just downloaded), so ask the servers once before placing or giving up.
        miss.rediscovered = true;
        await this.o.rediscover().catch((error: unknown) => {
          this.o.logger.warn('re-discovering the servers failed', { error: String(error) });
        });
      } else if (choice.kind === 'place') {
        const placed = await this.#loader.place(model).then(
          () => true,
          (error: unknown) => {
            if (error instanceof ClusterError && error.code === 'placement_busy') return false;
            // A server that could not be reached for the load is behind an open breaker now; another may take it.
            if (!(error instanceof LmStudioError && error.retryable) || ++placements > this.o.registry.size) {
              throw error;
            }
            return true;
          },
        );
        // Room only by unloading models in use: wait until a request ends, then plan again.
        if (!placed) await this.#wait(priority, signal);
      } else {
        throw new ClusterError('no_server', choice.reason);
      }
    }
  }

  #wait(priority: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve };
      try {
        this.#queue.push(waiter, priority);
      } catch (error) {
        if (error instanceof QueueFullError) reject(new ClusterError('queue_full', error.message));
        else reject(error as Error);
        return;
      }
      signal?.addEventListener(
        'abort',
        () => {
          if (this.#queue.remove(waiter)) reject(new ClusterError('aborted', 'the request was aborted'));
        },
        { once: true },
      );
    });
  }

  #wakeOne(): void {
    this.#queue.pop()?.resolve();
  }

  /** Lets every waiting request look again (a server came back, or the servers changed). */
  wake(): void {
    for (const waiter of this.#queue.drain()) waiter.resolve();
  }

  status(): ClusterStatus {
    const now = this.o.clock.now();
    const servers = this.o.registry.states().map((s) => s.snapshot(now));
    return {
      strategy: this.o.settings.loadBalancingStrategy,
      servers,
      queueDepth: this.#queue.size,
      inFlight: servers.reduce((n, s) => n + s.inFlight, 0),
    };
  }

  /** A configured server by id (`ip:port`) or name; throws ClusterError naming the known ones otherwise. */
  #server(idOrName: string): ClusterServer {
    const all = this.o.registry.all();
    const found = all.find((s) => s.state.id === idOrName || s.state.name === idOrName);
    if (found) return found;
    const known = all.map((s) => s.state.name).join(', ') || '(none)';
    throw new ClusterError('no_server', `unknown LM Studio server "${idOrName}"; known: ${known}`);
  }

  /**
   * Loads a model by hand (admin command): on `server` (id or name) when given, else where placement puts it
   * (evicting idle models as a request would). Resolves with the server's name and whether it was there already
   * (or being loaded).
   */
  async load(model: string, server?: string): Promise<{ server: string; alreadyLoaded: boolean }> {
    const target = server === undefined ? undefined : this.#server(server);
    // A load under way (a placement, or a request's JIT load) counts as loaded: a second load would double it.
    const holder = (target ? [target.state] : this.o.registry.states()).find((s) => s.hasLoaded(model));
    if (holder) return { server: holder.name, alreadyLoaded: true };
    try {
      if (!target) {
        const id = await this.#loader.place(model);
        return { server: this.o.registry.get(id)?.state.name ?? id, alreadyLoaded: false };
      }
      const { state, client } = target;
      state.beginLoad(model);
      try {
        this.o.logger.info('loading a model by hand', { server: state.name, model });
        const loaded = await client.load(model, { deadlineMs: this.o.settings.modelLoadTimeout });
        state.finishLoad(model, loaded.instanceId, this.o.clock.now());
      } catch (error) {
        state.failLoad(model);
        if (error instanceof LmStudioError) state.recordError(this.o.clock.now(), error.code, error.message);
        throw error;
      }
      return { server: state.name, alreadyLoaded: false };
    } finally {
      // Requests waiting for room or for this model look again.
      this.wake();
    }
  }

  /**
   * Unloads a model by hand (admin command) from `server` (id or name), or from every server holding it; refuses
   * while requests for it are in flight there. Resolves with the names of the servers it was unloaded from.
   */
  async unload(model: string, server?: string): Promise<string[]> {
    const targets = (server === undefined ? this.o.registry.all() : [this.#server(server)]).filter((s) =>
      s.state.hasLoaded(model),
    );
    if (targets.length === 0) {
      throw new ClusterError(
        'no_server',
        `${model} is not loaded on ${server === undefined ? 'any server' : server}`,
      );
    }
    for (const { state } of targets) {
      const entry = state.loaded.get(model);
      if (entry && (entry.inFlight > 0 || entry.loading)) {
        const busy = entry.loading ? 'is still loading' : `has ${entry.inFlight} request(s) in flight`;
        throw new Error(`${model} ${busy} on ${state.name}; try again shortly`);
      }
    }
    const unloaded: string[] = [];
    for (const { state, client } of targets) {
      const entry = state.loaded.get(model);
      if (!entry) continue;
      this.o.logger.info('unloading a model by hand', { server: state.name, model });
      for (const instance of [entry.instanceId, ...entry.extraInstanceIds]) await client.unload(instance);
      state.markUnloaded(model);
      unloaded.push(state.name);
    }
    this.wake();
    return unloaded;
  }
}
