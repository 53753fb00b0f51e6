// Starts LM Studio simulators in-process on free ports (127.0.0.1, port 0) for tests: no load or token delays,
// no background sweeps, and one FakeClock shared by all of them so TTL tests move time instead of waiting.
import { FakeClock } from '../../core/clock.js';
import {
  LmStudioSimulator,
  type LmStudioSimulatorOptions,
  type ModelSpec,
} from '../../cluster/simulator/index.js';

/** Small, fixed-size models: tests can reason about memory without the size guesses. */
export const FAKE_MODELS: readonly ModelSpec[] = [
  { key: 'qwen/qwen3-8b', sizeGb: 5 },
  { key: 'google/gemma-3-12b', sizeGb: 8 },
  { key: 'text-embedding-nomic-embed-text-v1.5', sizeGb: 0.1 },
];

export interface FakeLmStudios {
  sims: LmStudioSimulator[];
  /** `http://127.0.0.1:<port>` of each simulator, in order. */
  urls: string[];
  /** The clock every simulator reads (unless the options gave one of their own). */
  clock: FakeClock;
  /** Stops every simulator; safe to call twice. */
  stop(): Promise<void>;
}

export type FakeOptions = LmStudioSimulatorOptions | ((index: number) => LmStudioSimulatorOptions);

/** Starts `count` simulators; `options` (or options per index) override the test defaults. */
export async function startFakeLmStudios(count: number, options: FakeOptions = {}): Promise<FakeLmStudios> {
  const clock = new FakeClock();
  const sims: LmStudioSimulator[] = [];
  const stop = async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  };
  try {
    for (let index = 0; index < count; index++) {
      const own = typeof options === 'function' ? options(index) : options;
      sims.push(
        await LmStudioSimulator.start({
          models: FAKE_MODELS,
          loadDelayMs: 0,
          tokenDelayMs: 0,
          sweepIntervalMs: 0,
          seed: index + 1,
          clock,
          ...own,
          port: own.port ?? 0,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { sims: [...sims], urls: sims.map((s) => s.url), clock, stop };
}

/** One simulator: the same defaults as startFakeLmStudios. */
export async function startFakeLmStudio(
  options: LmStudioSimulatorOptions = {},
): Promise<{ sim: LmStudioSimulator; url: string; clock: FakeClock; stop(): Promise<void> }> {
  const fleet = await startFakeLmStudios(1, options);
  const sim = fleet.sims[0] as LmStudioSimulator;
  return { sim, url: sim.url, clock: fleet.clock, stop: fleet.stop };
}
