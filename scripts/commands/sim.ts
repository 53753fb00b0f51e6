// `chorus sim lmstudio`: runs an LM Studio simulator on 127.0.0.1 until SIGINT or SIGTERM, for trying the
// cluster against hosts that load, evict, queue and fail like the real thing, without model weights.
import { createLogger } from '../../core/logger.js';
import { Secret, SecretRedactor } from '../../core/secret.js';
import {
  DEFAULT_SIMULATOR_MODELS,
  DefaultSimulatorOptions,
  parseFault,
  parseModelList,
  SimulatorConfigError,
  startLmStudioSimulator,
  type LmStudioSimulatorOptions,
  type VersionQuirk,
} from '../../cluster/simulator/index.js';
import { stderrSink } from '../log-sink.js';
import type { CommandIo } from './command-io.js';
import { untilSignal } from './until-signal.js';

const d = DefaultSimulatorOptions;

export const simHelp = `Usage: chorus sim lmstudio [options]

Runs a simulated LM Studio server on 127.0.0.1 (never any other address) and prints its URL.
It speaks LM Studio's HTTP API (/v1/models, /v1/chat/completions with SSE, /v1/embeddings, /api/v0/*,
/api/v1/models, /api/v1/models/load|unload, /lmstudio-greeting), JIT-loads models with an idle TTL,
auto-evicts, queues beyond the parallel slots and refuses loads that do not fit in memory.

  --port N              port on 127.0.0.1 (default: ${d.port}; 0 picks a free one)
  --models LIST         downloaded models, comma-separated, each NAME or NAME=GB; a size not
                        given is guessed from the name (8b -> 4.8 GB), else 8 GB. Default:
                        ${DEFAULT_SIMULATOR_MODELS.join(',')}
  --memory GB           memory models load into (default: ${d.memoryGb})
  --load-delay MS       time a model load takes, before the first byte (default: ${d.loadDelayMs})
  --token-delay MS      pause between streamed tokens (default: ${d.tokenDelayMs})
  --parallel N          predictions at once per loaded model, more are queued (default: ${d.parallel})
  --ttl S               idle TTL of JIT-loaded models in seconds (default: ${d.jitTtlSeconds})
  --preload LIST        models to load at start, explicitly (no TTL)
  --no-jit              only loaded models answer; /v1/models lists only those
  --api-key KEY         require 'Authorization: Bearer KEY' (LM Studio tokens: sk-lm-xxxxxxxx:yyyy...)
  --version-quirk V     error forms of LM Studio 0.3 (404 model_not_found) or 0.4 (400 code null);
                        default: ${d.versionQuirk}
  --fault SPEC          down | slow:MS | errors:RATE[:STATUS] | disconnect:N (repeatable)
  --seed N              seed of completion ids and error rolls (default: ${d.seed})`;

/** The command line as parsed by chorus.ts: numbers already checked, the rest still text. */
export interface SimArgs {
  target: string | undefined;
  port: number | undefined;
  models: string | undefined;
  memory: string | undefined;
  loadDelayMs: number | undefined;
  tokenDelayMs: number | undefined;
  parallel: number | undefined;
  ttlSeconds: number | undefined;
  preload: string | undefined;
  noJit: boolean;
  apiKey: string | undefined;
  versionQuirk: string | undefined;
  faults: string[];
  seed: number | undefined;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Turns the command line into simulator options; mistakes throw SimulatorConfigError naming the flag. */
export function simOptions(args: SimArgs): LmStudioSimulatorOptions {
  if (args.target !== 'lmstudio')
    throw new SimulatorConfigError(`unknown target "${args.target ?? ''}"; known: lmstudio`);
  const memoryGb = args.memory === undefined ? undefined : Number(args.memory);
  if (memoryGb !== undefined && !(Number.isFinite(memoryGb) && memoryGb > 0 && args.memory?.trim() !== ''))
    throw new SimulatorConfigError(`--memory: expected a positive number of GB, got "${args.memory}"`);
  const quirk = args.versionQuirk;
  if (quirk !== undefined && quirk !== '0.3' && quirk !== '0.4')
    throw new SimulatorConfigError(`--version-quirk: expected 0.3 or 0.4, got "${quirk}"`);
  if (args.apiKey === '') throw new SimulatorConfigError('--api-key: expected a non-empty key');
  return {
    ...(args.port !== undefined && { port: args.port }),
    ...(args.models !== undefined && { models: parseModelList(args.models) }),
    ...(memoryGb !== undefined && { memoryGb }),
    ...(args.loadDelayMs !== undefined && { loadDelayMs: args.loadDelayMs }),
    ...(args.tokenDelayMs !== undefined && { tokenDelayMs: args.tokenDelayMs }),
    ...(args.parallel !== undefined && { parallel: args.parallel }),
    ...(args.ttlSeconds !== undefined && { jitTtlSeconds: args.ttlSeconds }),
    ...(args.preload !== undefined && { preload: list(args.preload) }),
    ...(args.noJit && { jit: false }),
    ...(args.apiKey !== undefined && { apiKey: args.apiKey }),
    ...(quirk !== undefined && { versionQuirk: quirk as VersionQuirk }),
    ...(args.seed !== undefined && { seed: args.seed }),
    faults: args.faults.map(parseFault),
  };
}

export async function sim(args: SimArgs, io: CommandIo): Promise<number> {
  const redactor = new SecretRedactor();
  if (args.apiKey) redactor.add(new Secret(args.apiKey, '--api-key'));
  let simulator;
  try {
    simulator = await startLmStudioSimulator({
      ...simOptions(args),
      logger: createLogger(stderrSink(redactor), 'info'),
    });
  } catch (error) {
    if (!(error instanceof SimulatorConfigError)) throw error;
    io.err(`chorus sim: ${error.message}`);
    return 2;
  }
  const faults = simulator.faults.snapshot();
  io.out(`LM Studio simulator: ${simulator.url}${faults.down ? ' (down: refusing connections)' : ''}`);
  const running = simulator;
  await untilSignal(() => running.stop());
  return 0;
}
