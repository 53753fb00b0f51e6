// Puts a model on a server when no server has it loaded: placement picks the server (and the least recently used
// idle models to unload there to make room), then unload and load go out over the server's HTTP API. Concurrent
// requests for the same cold model share one placement across the whole cluster (single flight), and placements of
// different models plan one at a time: each reserves its memory (and takes its victims) before the next plans, so
// two placements never evict the same model nor count the same free memory. A server that cannot be reached for
// the load has it counted against its breaker, so the next placement avoids it.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { LmStudioError } from './client/index.js';
import { planPlacement, SingleFlight, type ServerState } from './core/index.js';
import { ClusterError } from './cluster-errors.js';
import type { ServerRegistry } from './server-registry.js';

export class ModelLoader {
  readonly #flights = new SingleFlight<string>();
  /** The planning of the placement before this one: plans and reservations happen one at a time. */
  #planning: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly registry: ServerRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly loadTimeoutMs: number,
  ) {}

  /** Loads the model somewhere (or joins a load under way); resolves with the server id that has it. */
  place(model: string): Promise<string> {
    return this.#flights.run(model, () => this.#place(model));
  }

  /** The placement of `model` under way, if any (requests for it wait on it rather than race it). */
  pending(model: string): Promise<string> | undefined {
    return this.#flights.has(model) ? this.place(model) : undefined;
  }

  async #place(model: string): Promise<string> {
    const reserved = this.#planning.then(() => this.#reserve(model));
    this.#planning = reserved.catch(() => undefined);
    const server = await reserved;
    const { state, client } = server;
    try {
      this.logger.info('loading a model', { server: state.name, model });
      const loaded = await client.load(model, { deadlineMs: this.loadTimeoutMs });
      state.finishLoad(model, loaded.instanceId, this.clock.now());
      return state.id;
    } catch (error) {
      state.failLoad(model);
      this.#failed(state, error);
      throw error;
    }
  }

  /** Plans the placement, unloads the victims and reserves the model's memory on the chosen server. */
  async #reserve(model: string) {
    const now = this.clock.now();
    const states = this.registry.states().filter((s) => s.acceptsRequests(now));
    const size = Math.max(0, ...states.map((s) => s.downloaded.get(model) ?? 0));
    const plan = planPlacement(model, size, states, now);
    if ('none' in plan) {
      const code = plan.code === 'busy' ? 'placement_busy' : 'placement_failed';
      throw new ClusterError(code, `cannot place ${model}: ${plan.none}`);
    }
    const server = this.registry.get(plan.server.id);
    if (!server) throw new ClusterError('placement_failed', `cannot place ${model}: its server was removed`);
    const { state, client } = server;
    // Reserved before any await: requests routed meanwhile see the victims gone and this model on its way.
    for (const victim of plan.evict) state.markUnloaded(victim.model);
    state.beginLoad(model, size);
    try {
      for (const victim of plan.evict) {
        this.logger.info('unloading a model to make room', { server: state.name, model: victim.model });
        await client.unload(victim.instanceId);
      }
    } catch (error) {
      state.failLoad(model);
      this.#failed(state, error);
      throw error;
    }
    return server;
  }

  /**
   * Records a failed unload or load. Only a server that could not be reached counts against its breaker: a load
   * it refuses (a 5xx for lack of memory, say) says nothing about its health.
   */
  #failed(state: ServerState, error: unknown): void {
    if (!(error instanceof LmStudioError)) return;
    const now = this.clock.now();
    state.recordError(now, error.code, error.message);
    if (error.code === 'network' || error.code === 'timeout') {
      state.breaker.onFailure(now, { fatal: error.code === 'network', error: error.message });
    }
  }
}
