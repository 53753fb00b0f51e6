#!/usr/bin/env node
// The `chorus` command line: dispatches to the subcommands.
import { parseArgs } from 'node:util';
import { benchHelp, bench } from './commands/bench.js';
import { checkConfig, checkConfigHelp } from './commands/check-config.js';
import { generate, generateHelp } from './commands/generate.js';
import { markovHelp, markovStats } from './commands/markov-stats.js';
import { train, trainHelp } from './commands/train.js';
import { processIo } from './commands/command-io.js';
import { run, runHelp } from './commands/run.js';
import { sim, simHelp } from './commands/sim.js';
import { defaultConfigFile } from './paths.js';

const mainHelp = `Usage: chorus <command> [options]

Commands:
  run            start the fleet (the web playground at http://127.0.0.1:4000 by default)
  check-config   validate a config file
  train          train a Markov scope from text, TSV or DiscordChatExporter files
  generate       print Markov replies from a trained scope
  markov stats   show what a Markov scope holds
  bench          run the benchmarks and print their figures
  sim lmstudio   run a simulated LM Studio server on 127.0.0.1, for testing without models

Run 'chorus <command> --help' for a command's options.`;

class UsageError extends Error {}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${name}: expected ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function required(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`${name} is required`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      processIo.out(mainHelp);
      return command === undefined ? 1 : 0;
    case 'run': {
      if (wantsHelp) return (processIo.out(runHelp), 0);
      const { values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string' },
          data: { type: 'string' },
          host: { type: 'string' },
          port: { type: 'string' },
        },
      });
      return run(
        {
          config: values.config ?? defaultConfigFile(),
          data: values.data ?? 'data',
          host: values.host,
          port: integer('--port', values.port, 0, 65535),
        },
        processIo,
      );
    }
    case 'check-config': {
      if (wantsHelp) return (processIo.out(checkConfigHelp), 0);
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length > 1) throw new UsageError('check-config takes at most one FILE');
      return checkConfig(positionals[0] ?? defaultConfigFile(), processIo);
    }
    case 'train': {
      if (wantsHelp) return (processIo.out(trainHelp), 0);
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { scope: { type: 'string' }, 'state-size': { type: 'string' }, data: { type: 'string' } },
      });
      return train(
        {
          scope: required('--scope', values.scope),
          stateSize: integer('--state-size', values['state-size'], 1, 4) ?? 2,
          data: values.data ?? 'data',
          files: positionals,
          progress: { write: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
        },
        processIo,
      );
    }
    case 'generate': {
      if (wantsHelp) return (processIo.out(generateHelp), 0);
      const { values } = parseArgs({
        args: rest,
        options: {
          scope: { type: 'string' },
          seed: { type: 'string' },
          n: { type: 'string', short: 'n' },
          data: { type: 'string' },
        },
      });
      return generate(
        {
          scope: required('--scope', values.scope),
          seed: values.seed,
          count: integer('-n', values.n, 1, 1000) ?? 5,
          data: values.data ?? 'data',
        },
        processIo,
      );
    }
    case 'markov': {
      if (wantsHelp || rest[0] !== 'stats') return (processIo.out(markovHelp), wantsHelp ? 0 : 2);
      const { values } = parseArgs({
        args: rest.slice(1),
        options: { scope: { type: 'string' }, data: { type: 'string' } },
      });
      return markovStats(required('--scope', values.scope), values.data ?? 'data', processIo);
    }
    case 'bench': {
      if (wantsHelp) return (processIo.out(benchHelp), 0);
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false } },
      });
      return bench(positionals, { json: values.json ?? false }, processIo);
    }
    case 'sim': {
      if (wantsHelp || rest[0] === undefined) return (processIo.out(simHelp), wantsHelp ? 0 : 2);
      const { values } = parseArgs({
        args: rest.slice(1),
        options: {
          port: { type: 'string' },
          models: { type: 'string' },
          memory: { type: 'string' },
          'load-delay': { type: 'string' },
          'token-delay': { type: 'string' },
          parallel: { type: 'string' },
          ttl: { type: 'string' },
          preload: { type: 'string' },
          'no-jit': { type: 'boolean', default: false },
          'api-key': { type: 'string' },
          'version-quirk': { type: 'string' },
          fault: { type: 'string', multiple: true },
          seed: { type: 'string' },
        },
      });
      return sim(
        {
          target: rest[0],
          port: integer('--port', values.port, 0, 65535),
          models: values.models,
          memory: values.memory,
          loadDelayMs: integer('--load-delay', values['load-delay'], 0, 3_600_000),
          tokenDelayMs: integer('--token-delay', values['token-delay'], 0, 60_000),
          parallel: integer('--parallel', values.parallel, 1, 1024),
          ttlSeconds: integer('--ttl', values.ttl, 1, 31_536_000),
          preload: values.preload,
          noJit: values['no-jit'] ?? false,
          apiKey: values['api-key'],
          versionQuirk: values['version-quirk'],
          faults: values.fault ?? [],
          seed: integer('--seed', values.seed, 0, 2 ** 32 - 1),
        },
        processIo,
      );
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    processIo.err(`chorus: ${error instanceof Error ? error.message : String(error)}`);
    if (usage) processIo.err("Run 'chorus --help' for usage.");
    process.exitCode = usage ? 2 : 1;
  },
);
