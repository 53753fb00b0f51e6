// Options of the LM Studio simulator, their documented defaults, and the one place they are checked.
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock, type Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { FaultSpec } from './faults.js';
import type { VersionQuirk } from './lmstudio-errors.js';
import type { ModelSpec } from './model-catalog.js';
import type { Sleep } from './model-residency.js';
import { SimulatorConfigError } from './simulator-errors.js';

export interface LmStudioSimulatorOptions {
  /** Port on 127.0.0.1 (the simulator binds nowhere else); 0 picks a free one. */
  port?: number;
  /** The downloaded models: keys, or specs with a size in GB. */
  models?: readonly (string | ModelSpec)[];
  /** Memory models load into, in GB; a load that does not fit is refused. */
  memoryGb?: number;
  /** How long a load takes, in ms: a JIT-loading request sends its first byte after this. */
  loadDelayMs?: number;
  /** Pause before each streamed token (and per token before a non-streaming answer), in ms. */
  tokenDelayMs?: number;
  /** Predictions run at once per loaded instance; more wait in a queue. */
  parallel?: number;
  /** Idle TTL of JIT-loaded models, in seconds (a request's `ttl` overrides it for the load it causes). */
  jitTtlSeconds?: number;
  /** Inference requests load downloaded models on demand (LM Studio's JIT loading). */
  jit?: boolean;
  /** Keep at most one JIT-loaded model: a JIT load unloads the previous JIT-loaded ones. */
  autoEvict?: boolean;
  /** Require `Authorization: Bearer <apiKey>` (LM Studio tokens look like `sk-lm-xxxxxxxx:yyyy…`); null: auth off. */
  apiKey?: string | null;
  /** Error forms of LM Studio 0.3.x (404 `model_not_found`) or 0.4.x (400 `code: null`) for "no models loaded". */
  versionQuirk?: VersionQuirk;
  /** Models loaded explicitly at start, instantly (no TTL, like `lms load`). */
  preload?: readonly string[];
  /** Faults active from the start. */
  faults?: readonly FaultSpec[];
  /** Time for TTLs and `created`; inject a FakeClock to test TTLs without waiting. */
  clock?: Clock;
  /** How the simulator waits (load delay, token delay, slow fault); must honour the signal. */
  sleep?: Sleep;
  /** Seed of ids and of the error fault's rolls. */
  seed?: number;
  /** How often TTLs are applied in the background, in ms (they are also applied on every request); 0: never. */
  sweepIntervalMs?: number;
  logger?: Logger;
}

export type ResolvedSimulatorOptions = Required<LmStudioSimulatorOptions>;

/** Real-time sleep that rejects with the signal's reason when aborted. */
export const realSleep: Sleep = async (ms, signal) => {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, signal ? { signal } : {});
};

export const DEFAULT_SIMULATOR_MODELS: readonly string[] = [
  'qwen/qwen3-8b',
  'google/gemma-3-12b',
  'text-embedding-nomic-embed-text-v1.5',
];

export const DefaultSimulatorOptions = {
  port: 1234,
  models: DEFAULT_SIMULATOR_MODELS,
  memoryGb: 32,
  loadDelayMs: 0,
  tokenDelayMs: 10,
  parallel: 4,
  jitTtlSeconds: 3600,
  jit: true,
  autoEvict: true,
  apiKey: null,
  versionQuirk: '0.4',
  preload: [],
  faults: [],
  clock: systemClock,
  sleep: realSleep,
  seed: 1,
  sweepIntervalMs: 1000,
  logger: silentLogger,
} as const satisfies ResolvedSimulatorOptions;

function check(ok: boolean, name: string, expected: string, got: unknown): void {
  if (!ok) throw new SimulatorConfigError(`${name}: expected ${expected}, got ${JSON.stringify(got)}`);
}

const isInt = (x: number, min: number, max: number) => Number.isInteger(x) && x >= min && x <= max;

/** Merges the defaults and checks every value once; mistakes name the option. */
export function resolveSimulatorOptions(options: LmStudioSimulatorOptions = {}): ResolvedSimulatorOptions {
  const o: ResolvedSimulatorOptions = { ...DefaultSimulatorOptions, ...options };
  check(isInt(o.port, 0, 65535), 'port', 'an integer from 0 to 65535', o.port);
  check(Number.isFinite(o.memoryGb) && o.memoryGb > 0, 'memoryGb', 'a positive number', o.memoryGb);
  check(isInt(o.loadDelayMs, 0, 3_600_000), 'loadDelayMs', 'an integer from 0 to 3600000', o.loadDelayMs);
  check(isInt(o.tokenDelayMs, 0, 60_000), 'tokenDelayMs', 'an integer from 0 to 60000', o.tokenDelayMs);
  check(isInt(o.parallel, 1, 1024), 'parallel', 'an integer from 1 to 1024', o.parallel);
  check(
    isInt(o.jitTtlSeconds, 1, 31_536_000),
    'jitTtlSeconds',
    'an integer from 1 to 31536000',
    o.jitTtlSeconds,
  );
  check(
    o.versionQuirk === '0.3' || o.versionQuirk === '0.4',
    'versionQuirk',
    '"0.3" or "0.4"',
    o.versionQuirk,
  );
  check(
    o.apiKey === null || (typeof o.apiKey === 'string' && o.apiKey.length > 0),
    'apiKey',
    'a non-empty string or null',
    o.apiKey,
  );
  check(
    isInt(o.sweepIntervalMs, 0, 3_600_000),
    'sweepIntervalMs',
    'an integer from 0 to 3600000',
    o.sweepIntervalMs,
  );
  check(Number.isInteger(o.seed), 'seed', 'an integer', o.seed);
  return o;
}
