// The LM Studio simulator: a node:http server on 127.0.0.1 that answers like LM Studio (reference
// lmstudio-api.md §1 and §4), with its state (loaded models, memory, slots) and faults open to tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../core/random.js';
import { SimulatorFaults } from './faults.js';
import { sendJson } from './http-io.js';
import { GIB, ModelCatalog } from './model-catalog.js';
import { ModelResidency } from './model-residency.js';
import { serveRequest } from './request-pipeline.js';
import type { RequestContext, SimulatorContext } from './simulator-context.js';
import { ModelLoadRefusedError, SimulatorConfigError } from './simulator-errors.js';
import {
  resolveSimulatorOptions,
  type LmStudioSimulatorOptions,
  type ResolvedSimulatorOptions,
} from './simulator-options.js';

/** The only address the simulator ever binds. */
const LOOPBACK = '127.0.0.1';
/** Context length of a load that names none: LM Studio's long-standing default. */
const DEFAULT_CONTEXT_LENGTH = 4096;

export interface InstanceSnapshot {
  id: string;
  model: string;
  jit: boolean;
  state: 'loading' | 'loaded';
  sizeBytes: number;
  contextLength: number;
  /** Predictions running / waiting for a slot. */
  active: number;
  queued: number;
  /** Null when the instance has no TTL (loaded explicitly). */
  remainingTtlSeconds: number | null;
}

export class LmStudioSimulator {
  readonly faults: SimulatorFaults;
  readonly #options: ResolvedSimulatorOptions;
  readonly #context: SimulatorContext;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #stop = new AbortController();
  /** One per request in progress, aborted when its client goes away or the simulator stops. */
  readonly #requests = new Set<AbortController>();
  #port: number;
  #sweeper: NodeJS.Timeout | undefined;

  private constructor(options: ResolvedSimulatorOptions) {
    this.#options = options;
    this.#port = options.port;
    const random = seededRandom(options.seed);
    const logger = options.logger.child({ component: 'lmstudio-sim' });
    const residency = new ModelResidency({
      memoryBytes: Math.round(options.memoryGb * GIB),
      parallel: options.parallel,
      jitTtlSeconds: options.jitTtlSeconds,
      autoEvict: options.autoEvict,
      loadDelayMs: options.loadDelayMs,
      defaultContextLength: DEFAULT_CONTEXT_LENGTH,
      clock: options.clock,
      sleep: options.sleep,
      logger,
      stopSignal: this.#stop.signal,
    });
    this.faults = new SimulatorFaults({ close: () => this.#close(), open: () => this.#listen() }, random);
    this.#context = {
      options,
      catalog: new ModelCatalog(options.models),
      residency,
      faults: this.faults,
      random,
    };
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Checks the options, preloads models, listens on 127.0.0.1 and applies the initial faults. */
  static async start(options: LmStudioSimulatorOptions = {}): Promise<LmStudioSimulator> {
    const sim = new LmStudioSimulator(resolveSimulatorOptions(options));
    await sim.#preload();
    await sim.#listen();
    for (const fault of sim.#options.faults) await sim.faults.apply(fault);
    if (sim.#options.sweepIntervalMs > 0)
      sim.#sweeper = setInterval(() => sim.sweep(), sim.#options.sweepIntervalMs).unref();
    return sim;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.#port}`;
  }

  /** Loaded and loading instances, in load order. */
  instances(): InstanceSnapshot[] {
    const { residency } = this.#context;
    return residency.instances().map((i) => ({
      id: i.id,
      model: i.model.key,
      jit: i.jit,
      state: i.state,
      sizeBytes: i.model.sizeBytes,
      contextLength: i.contextLength,
      active: i.slots.active,
      queued: i.slots.queued,
      remainingTtlSeconds: residency.remainingTtlSeconds(i),
    }));
  }

  memory(): { totalBytes: number; usedBytes: number } {
    return {
      totalBytes: Math.round(this.#options.memoryGb * GIB),
      usedBytes: this.#context.residency.usedBytes(),
    };
  }

  /** Applies TTLs now (they are also applied on every request); returns the ids unloaded. */
  sweep(): string[] {
    return this.#context.residency.sweep();
  }

  /** Stops listening, ends every request in progress and cancels loads. */
  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    const reason = new Error('the simulator stopped');
    this.#stop.abort(reason);
    for (const request of this.#requests) request.abort(reason);
    await this.#close();
  }

  async #preload(): Promise<void> {
    const { catalog, residency } = this.#context;
    for (const key of this.#options.preload) {
      const model = catalog.get(key);
      if (!model) throw new SimulatorConfigError(`preload: "${key}" is not one of the models`);
      try {
        await residency.load(model, { jit: false, instant: true });
      } catch (error) {
        if (!(error instanceof ModelLoadRefusedError)) throw error;
        throw new SimulatorConfigError(
          `preload: "${key}" does not fit in ${this.#options.memoryGb} GB with the models before it`,
        );
      }
    }
  }

  #listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, LOOPBACK, () => {
        this.#server.off('error', reject);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  #close(): Promise<void> {
    return new Promise((resolve) => {
      // Not listening (already down) is fine: the callback then gets ERR_SERVER_NOT_RUNNING.
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const request = new AbortController();
    if (this.#stop.signal.aborted) request.abort(this.#stop.signal.reason);
    this.#requests.add(request);
    res.once('close', () => {
      this.#requests.delete(request);
      if (!res.writableFinished) request.abort(new Error('the client went away'));
    });
    const ctx: RequestContext = {
      req,
      res,
      path: (req.url ?? '/').split('?')[0] ?? '/',
      signal: request.signal,
      sim: this.#context,
    };
    serveRequest(ctx).catch((error: unknown) => {
      if (ctx.signal.aborted || res.headersSent) {
        res.destroy();
        return;
      }
      this.#options.logger.error('simulator request failed', {
        path: ctx.path,
        error: error instanceof Error ? error.message : String(error),
      });
      sendJson(res, 500, {
        error: { message: 'internal error', type: 'server_error', param: null, code: null },
      });
    });
  }
}

/** Starts a simulator; the same as LmStudioSimulator.start. */
export function startLmStudioSimulator(options: LmStudioSimulatorOptions = {}): Promise<LmStudioSimulator> {
  return LmStudioSimulator.start(options);
}
