// The router's view of one LM Studio server: whether it may be used, what it holds in memory, what it is running and
// how it has been failing. Plain state with small update methods; the decisions live in strategies.ts and placement.ts.
import type { ServerConfig } from '../../entities/config/schema.js';
import { CircuitBreaker, type BreakerSnapshot, type CircuitBreakerOptions } from './circuit-breaker.js';

/** `maxMemory` is in GB, read as GiB (2^30 bytes): the way RAM and VRAM sizes are quoted. */
export const BYTES_PER_GB = 1024 ** 3;

export interface LoadedModel {
  /** The instance requests go to and an unload names (for a JIT load, LM Studio uses the model key). */
  instanceId: string;
  /** Further instances of the same model someone loaded by hand; each holds another `sizeBytes`. */
  extraInstanceIds: readonly string[];
  sizeBytes: number;
  /** When a request for it last started or ended here (ms); 0: never used through this router. */
  lastUsedAt: number;
  inFlight: number;
  /** A load is under way (explicit, or JIT on a request): it already holds memory but is not confirmed. */
  loading: boolean;
}

/** One model as `GET /api/v1/models` lists it (the client's `ModelV1` has this shape). */
export interface DiscoveredModel {
  key: string;
  sizeBytes: number;
  loadedInstances: readonly { id: string }[];
}

export interface RecentError {
  at: number;
  /** A stable code, e.g. the client's `network` or `server_error`. */
  code: string;
  message: string;
}

export interface ServerStateOptions {
  id: string;
  name?: string | undefined;
  /** The server's origin, e.g. `http://127.0.0.1:1234`. */
  url: string;
  enabled?: boolean | undefined;
  /** Memory for models, in GB. */
  maxMemoryGb: number;
  /** Requests the server runs at once. */
  parallelSlots: number;
  /** Until the first health check says otherwise (default true: the breaker catches a dead server). */
  healthy?: boolean | undefined;
  breaker?: CircuitBreakerOptions | undefined;
  /** How many recent errors are kept for status output (default 20). */
  recentErrorLimit?: number | undefined;
}

export interface ServerSnapshot {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  healthy: boolean;
  breaker: BreakerSnapshot;
  memoryBytes: number;
  usedMemoryBytes: number;
  parallelSlots: number;
  inFlight: number;
  loaded: ({ key: string } & LoadedModel)[];
  downloadedCount: number;
  recentErrors: RecentError[];
}

/** Orders servers by name, then id: the last tie-break of every choice, so choices are deterministic. */
export function compareServerNames(a: ServerState, b: ServerState): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class ServerState {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly memoryBytes: number;
  readonly parallelSlots: number;
  readonly breaker: CircuitBreaker;
  enabled: boolean;
  /** The verdict of the last active health check. */
  healthy: boolean;
  #inFlight = 0;
  readonly #loaded = new Map<string, LoadedModel>();
  #downloaded = new Map<string, number>();
  readonly #errors: RecentError[] = [];
  #nextError = 0;
  readonly #errorLimit: number;

  constructor(options: ServerStateOptions) {
    if (!Number.isFinite(options.maxMemoryGb) || options.maxMemoryGb <= 0) {
      throw new RangeError('options.maxMemoryGb must be a positive number');
    }
    if (!Number.isSafeInteger(options.parallelSlots) || options.parallelSlots < 1) {
      throw new RangeError('options.parallelSlots must be a positive integer');
    }
    const limit = options.recentErrorLimit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError('options.recentErrorLimit must be a positive integer');
    }
    this.id = options.id;
    this.name = options.name ?? options.id;
    this.url = options.url;
    this.enabled = options.enabled ?? true;
    this.healthy = options.healthy ?? true;
    this.memoryBytes = Math.floor(options.maxMemoryGb * BYTES_PER_GB);
    this.parallelSlots = options.parallelSlots;
    this.breaker = new CircuitBreaker(options.breaker);
    this.#errorLimit = limit;
  }

  /** A server of `lmStudioServers`; its id is `ip:port`, its URL `http://ip:port`. */
  static fromConfig(server: ServerConfig, breaker?: CircuitBreakerOptions): ServerState {
    const host = server.ip.includes(':') ? `[${server.ip}]` : server.ip;
    return new ServerState({
      id: `${host}:${server.port}`,
      name: server.name,
      url: `http://${host}:${server.port}`,
      enabled: server.enabled,
      maxMemoryGb: server.capabilities.maxMemory,
      parallelSlots: server.capabilities.parallelSlots,
      breaker,
    });
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** In-flight requests relative to slots: 0 idle, 1 full. */
  get loadRatio(): number {
    return this.#inFlight / this.parallelSlots;
  }

  /** Enabled, healthy, and the breaker would let a request through (it may still be full). */
  acceptsRequests(now: number): boolean {
    return this.enabled && this.healthy && this.breaker.canAcquire(now);
  }

  hasFreeSlot(): boolean {
    return this.#inFlight < this.parallelSlots;
  }

  /** Accepts requests and has a free slot. */
  isAvailable(now: number): boolean {
    return this.acceptsRequests(now) && this.hasFreeSlot();
  }

  /** Loaded models by key, loads under way included. */
  get loaded(): ReadonlyMap<string, Readonly<LoadedModel>> {
    return this.#loaded;
  }

  /** Downloaded models by key, with their size in bytes. */
  get downloaded(): ReadonlyMap<string, number> {
    return this.#downloaded;
  }

  /** Loaded here, or being loaded. */
  hasLoaded(key: string): boolean {
    return this.#loaded.has(key);
  }

  isDownloaded(key: string): boolean {
    return this.#downloaded.has(key);
  }

  /** Memory held by loaded models and loads under way. */
  get usedMemoryBytes(): number {
    let used = 0;
    for (const model of this.#loaded.values()) used += model.sizeBytes * (1 + model.extraInstanceIds.length);
    return used;
  }

  get freeMemoryBytes(): number {
    return Math.max(0, this.memoryBytes - this.usedMemoryBytes);
  }

  /**
   * Takes in what the server lists: the downloaded models replace ours; loaded ones keep their usage data. A model
   * we think loaded but the server does not list was unloaded there (TTL, auto-evict, someone else) and is dropped,
   * unless it is loading or has requests in flight: a load in progress is not listed yet.
   */
  applyDiscovery(models: readonly DiscoveredModel[]): void {
    this.#downloaded = new Map(models.map((m) => [m.key, m.sizeBytes]));
    const listed = new Set<string>();
    for (const model of models) {
      const [first, ...extra] = model.loadedInstances;
      if (!first) continue;
      listed.add(model.key);
      const known = this.#loaded.get(model.key);
      this.#loaded.set(model.key, {
        instanceId: first.id,
        extraInstanceIds: extra.map((instance) => instance.id),
        sizeBytes: model.sizeBytes,
        lastUsedAt: known?.lastUsedAt ?? 0,
        inFlight: known?.inFlight ?? 0,
        loading: false,
      });
    }
    for (const [key, model] of this.#loaded) {
      if (!listed.has(key) && !model.loading && model.inFlight === 0) this.#loaded.delete(key);
    }
  }

  /** A load was sent: the model holds memory from now on (a no-op if it is loaded or loading already). */
  beginLoad(key: string, sizeBytes = this.#downloaded.get(key) ?? 0): void {
    if (!this.#loaded.has(key)) this.#loaded.set(key, this.#newEntry(key, sizeBytes, true));
  }

  /** The load succeeded with this instance id. */
  finishLoad(key: string, instanceId: string, now: number): void {
    const model = this.#loaded.get(key) ?? this.#newEntry(key, this.#downloaded.get(key) ?? 0, false);
    model.instanceId = instanceId;
    model.loading = false;
    model.lastUsedAt = Math.max(model.lastUsedAt, now);
    this.#loaded.set(key, model);
  }

  /** The load failed: the memory it held is free again, unless requests still wait on it. */
  failLoad(key: string): void {
    const model = this.#loaded.get(key);
    if (model?.loading && model.inFlight === 0) this.#loaded.delete(key);
  }

  /** The model was unloaded (an eviction went through). */
  markUnloaded(key: string): void {
    this.#loaded.delete(key);
  }

  markUsed(key: string, now: number): void {
    const model = this.#loaded.get(key);
    if (model) model.lastUsedAt = Math.max(model.lastUsedAt, now);
  }

  /**
   * A request for `key` was sent here. If the model is not loaded, LM Studio loads it first (JIT): it is recorded
   * as loading, holding its downloaded size, until a request succeeds or discovery lists it.
   */
  beginRequest(key: string, now: number): void {
    this.#inFlight++;
    let model = this.#loaded.get(key);
    if (!model) {
      model = this.#newEntry(key, this.#downloaded.get(key) ?? 0, true);
      this.#loaded.set(key, model);
    }
    model.inFlight++;
    model.lastUsedAt = Math.max(model.lastUsedAt, now);
  }

  /** The request ended. A success proves the model loaded; a failed JIT load gives its memory back. */
  endRequest(key: string, now: number, result: 'ok' | 'failed' = 'ok'): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const model = this.#loaded.get(key);
    if (!model) return;
    model.inFlight = Math.max(0, model.inFlight - 1);
    model.lastUsedAt = Math.max(model.lastUsedAt, now);
    if (result === 'ok') model.loading = false;
    else if (model.loading && model.inFlight === 0) this.#loaded.delete(key);
  }

  /** Keeps the last `recentErrorLimit` errors, for status output. */
  recordError(at: number, code: string, message: string): void {
    const error = { at, code, message };
    if (this.#errors.length < this.#errorLimit) this.#errors.push(error);
    else this.#errors[this.#nextError] = error;
    this.#nextError = (this.#nextError + 1) % this.#errorLimit;
  }

  /** The recent errors, oldest first. */
  recentErrors(): RecentError[] {
    if (this.#errors.length < this.#errorLimit) return [...this.#errors];
    return [...this.#errors.slice(this.#nextError), ...this.#errors.slice(0, this.#nextError)];
  }

  snapshot(now: number): ServerSnapshot {
    return {
      id: this.id,
      name: this.name,
      url: this.url,
      enabled: this.enabled,
      healthy: this.healthy,
      breaker: this.breaker.snapshot(now),
      memoryBytes: this.memoryBytes,
      usedMemoryBytes: this.usedMemoryBytes,
      parallelSlots: this.parallelSlots,
      inFlight: this.#inFlight,
      loaded: [...this.#loaded].map(([key, model]) => ({ key, ...model })),
      downloadedCount: this.#downloaded.size,
      recentErrors: this.recentErrors(),
    };
  }

  #newEntry(key: string, sizeBytes: number, loading: boolean): LoadedModel {
    // LM Studio names the instance of a load that asked for no identifier after the model key.
    return { instanceId: key, extraInstanceIds: [], sizeBytes, lastUsedAt: 0, inFlight: 0, loading };
  }
}
