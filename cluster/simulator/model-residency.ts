// Which models are loaded, and the rules LM Studio applies to them: memory must fit, JIT loads get an idle TTL
// (default 3600 s, only the loading request's `ttl` counts), auto-evict keeps at most one JIT-loaded model, and
// models loaded explicitly are never unloaded by time. Time comes from an injected Clock; sweep() applies TTLs.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { CatalogModel } from './model-catalog.js';
import { ModelLoadRefusedError } from './simulator-errors.js';
import { SlotPool } from './slots.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface LoadedInstance {
  /** The instance identifier: the model key, or `key:2`, `key:3`… for further instances of one model. */
  readonly id: string;
  readonly model: CatalogModel;
  /** Loaded by an inference request (JIT) rather than by /api/v1/models/load or preload. */
  readonly jit: boolean;
  /** Idle time after which the instance is unloaded; null: never. */
  readonly ttlMs: number | null;
  readonly contextLength: number;
  readonly slots: SlotPool;
  state: 'loading' | 'loaded';
  /** Requests using the instance, queued or running: an instance with work in flight is never idle. */
  inFlight: number;
  idleSince: number;
}

export interface ResidencySettings {
  memoryBytes: number;
  parallel: number;
  jitTtlSeconds: number;
  autoEvict: boolean;
  loadDelayMs: number;
  /** Context length of a load that does not ask for one (capped at the model's maximum). */
  defaultContextLength: number;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Aborts loads in progress when the simulator stops. */
  stopSignal: AbortSignal;
}

export interface LoadRequest {
  jit: boolean;
  /** JIT loads only: the `ttl` of the request that caused the load, in seconds. */
  ttlSeconds?: number | undefined;
  contextLength?: number | undefined;
  /** Skip the load delay (preloading at start-up). */
  instant?: boolean;
}

export class ModelResidency {
  readonly #instances = new Map<string, LoadedInstance>();
  /** JIT loads in progress by model key: concurrent first requests share one load. */
  readonly #jitLoads = new Map<string, Promise<LoadedInstance>>();

  constructor(private readonly settings: ResidencySettings) {}

  /** Every instance, loading or loaded, in load order. */
  instances(): LoadedInstance[] {
    return [...this.#instances.values()];
  }

  loaded(): LoadedInstance[] {
    return this.instances().filter((i) => i.state === 'loaded');
  }

  usedBytes(): number {
    return this.instances().reduce((sum, i) => sum + i.model.sizeBytes, 0);
  }

  /** A loaded instance by instance id, else the least busy loaded instance of that model key. */
  find(name: string): LoadedInstance | undefined {
    const loaded = this.loaded();
    const exact = loaded.find((i) => i.id === name);
    if (exact) return exact;
    const ofModel = loaded.filter((i) => i.model.key === name);
    return ofModel.sort((a, b) => a.inFlight - b.inFlight)[0];
  }

  /** Loads for an inference request; concurrent requests for the same model wait for the same load. */
  jitLoad(model: CatalogModel, ttlSeconds: number | undefined): Promise<LoadedInstance> {
    const pending = this.#jitLoads.get(model.key);
    if (pending) return pending;
    const load = this.load(model, { jit: true, ttlSeconds }).finally(() => {
      if (this.#jitLoads.get(model.key) === load) this.#jitLoads.delete(model.key);
    });
    this.#jitLoads.set(model.key, load);
    return load;
  }

  /** Loads a new instance after the load delay; throws ModelLoadRefusedError when it does not fit. */
  async load(model: CatalogModel, request: LoadRequest): Promise<LoadedInstance> {
    const { settings } = this;
    const evictable = request.jit && settings.autoEvict ? this.instances().filter((i) => i.jit) : [];
    const freed = evictable.reduce((sum, i) => sum + i.model.sizeBytes, 0);
    const free = settings.memoryBytes - this.usedBytes() + freed;
    // Refused before anything is evicted: a load that cannot fit leaves the host as it was.
    if (model.sizeBytes > free)
      throw new ModelLoadRefusedError(model.key, model.sizeBytes, Math.max(0, free));
    for (const victim of evictable) this.#remove(victim, 'auto-evict');
    const ttlMs = request.jit ? (request.ttlSeconds ?? settings.jitTtlSeconds) * 1000 : null;
    const instance: LoadedInstance = {
      id: this.#freeId(model.key),
      model,
      jit: request.jit,
      ttlMs,
      contextLength: Math.min(request.contextLength ?? settings.defaultContextLength, model.maxContextLength),
      slots: new SlotPool(settings.parallel),
      state: 'loading',
      inFlight: 0,
      idleSince: settings.clock.now(),
    };
    this.#instances.set(instance.id, instance);
    settings.logger.info('loading model', {
      instance: instance.id,
      jit: request.jit,
      bytes: model.sizeBytes,
    });
    try {
      if (!request.instant) await settings.sleep(settings.loadDelayMs, settings.stopSignal);
    } catch (error) {
      this.#instances.delete(instance.id);
      throw error;
    }
    instance.state = 'loaded';
    instance.idleSince = settings.clock.now();
    settings.logger.info('model loaded', {
      instance: instance.id,
      ttlSeconds: ttlMs === null ? null : ttlMs / 1000,
    });
    return instance;
  }

  /** Unloads an instance by id; requests already using it still finish. */
  unload(id: string): LoadedInstance | undefined {
    const instance = this.#instances.get(id);
    if (instance) this.#remove(instance, 'unload');
    return instance;
  }

  /** Marks work started on an instance: it is not idle until end(). */
  begin(instance: LoadedInstance): void {
    instance.inFlight++;
  }

  /** Marks work finished: the idle timer restarts now. */
  end(instance: LoadedInstance): void {
    instance.inFlight--;
    instance.idleSince = this.settings.clock.now();
  }

  /** Unloads every idle instance whose TTL has run out; returns their ids. */
  sweep(): string[] {
    const now = this.settings.clock.now();
    const expired = this.loaded().filter(
      (i) => i.ttlMs !== null && i.inFlight === 0 && now - i.idleSince >= i.ttlMs,
    );
    for (const instance of expired) this.#remove(instance, 'ttl');
    return expired.map((i) => i.id);
  }

  /** Whole seconds until the TTL unloads the instance (the full TTL while it works); null: no TTL. */
  remainingTtlSeconds(instance: LoadedInstance): number | null {
    if (instance.ttlMs === null) return null;
    if (instance.inFlight > 0) return Math.ceil(instance.ttlMs / 1000);
    const left = instance.idleSince + instance.ttlMs - this.settings.clock.now();
    return Math.max(0, Math.ceil(left / 1000));
  }

  #remove(instance: LoadedInstance, reason: 'unload' | 'ttl' | 'auto-evict'): void {
    this.#instances.delete(instance.id);
    if (this.#jitLoads.has(instance.model.key) && instance.state === 'loading')
      this.#jitLoads.delete(instance.model.key);
    this.settings.logger.info('model unloaded', { instance: instance.id, reason });
  }

  #freeId(key: string): string {
    if (!this.#instances.has(key)) return key;
    let n = 2;
    while (this.#instances.has(`${key}:${n}`)) n++;
    return `${key}:${n}`;
  }
}
