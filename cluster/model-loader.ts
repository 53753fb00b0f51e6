// Puts a model on a server when no server has it loaded: placement picks the server (and the least recently used
// idle models to unload there to make room), then unload and load go out over the server's HTTP API. Concurrent
// requests for the same cold model share one placement across the whole cluster (single flight). A server that
// fails the load (unreachable, 5xx) has it counted against its breaker, so the next placement avoids it.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { LmStudioError } from './client/index.js';
import { planPlacement, SingleFlight } from './core/index.js';
import { ClusterError } from './cluster-errors.js';
import type { ServerRegistry } from './server-registry.js';

export class ModelLoader {
  readonly #flights = new SingleFlight<string>();

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

  async #place(model: string): Promise<string> {
    const now = this.clock.now();
    const states = this.registry.states().filter((s) => s.acceptsRequests(now));
    const size = Math.max(0, ...states.map((s) => s.downloaded.get(model) ?? 0));
    const plan = planPlacement(model, size, states, now);
    if ('none' in plan) throw new ClusterError('placement_failed', `cannot place ${model}: ${plan.none}`);
    const server = this.registry.get(plan.server.id);
    if (!server) throw new ClusterError('placement_failed', `cannot place ${model}: its server was removed`);
    const { state, client } = server;
    try {
      for (const victim of plan.evict) {
        this.logger.info('unloading a model to make room', { server: state.name, model: victim.model });
        await client.unload(victim.instanceId);
        state.markUnloaded(victim.model);
      }
      state.beginLoad(model, size);
      this.logger.info('loading a model', { server: state.name, model });
      const loaded = await client.load(model, { deadlineMs: this.loadTimeoutMs });
      state.finishLoad(model, loaded.instanceId, this.clock.now());
      return state.id;
    } catch (error) {
      state.failLoad(model);
      if (error instanceof LmStudioError) {
        const now = this.clock.now();
        state.recordError(now, error.code, error.message);
        if (error.retryable)
          state.breaker.onFailure(now, { fatal: error.code === 'network', error: error.message });
      }
      throw error;
    }
  }
}
