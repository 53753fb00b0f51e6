// `chorus bench [SUITE] [--json]`: runs the benchmarks and prints their figures against the budgets.
import { benchCluster } from '../bench/cluster-bench.js';
import { benchEngine } from '../bench/engine-bench.js';
import { benchMarkov } from '../bench/markov-bench.js';
import type { BenchResult } from '../bench/stats.js';
import type { CommandIo } from './command-io.js';

const SUITES: Record<string, () => Promise<BenchResult>> = {
  engine: benchEngine,
  markov: benchMarkov,
  cluster: benchCluster,
};

export const benchHelp = `Usage: chorus bench [SUITE...] [--json]

Runs benchmarks and prints figures with their budgets. Suites: ${Object.keys(SUITES).join(', ')} (default: all).
  --json   print one JSON object per suite`;

function printHuman(result: BenchResult, io: CommandIo): void {
  io.out(`== ${result.suite}`);
  for (const [name, value] of Object.entries(result.figures)) io.out(`  ${name.padEnd(32)} ${value}`);
  for (const b of result.budgets) io.out(`  budget ${b.figure} ${b.limit}: ${b.met ? 'met' : 'NOT met'}`);
  for (const n of result.notes) io.out(`  note: ${n}`);
}

export async function bench(suites: string[], options: { json: boolean }, io: CommandIo): Promise<number> {
  const chosen = suites.length > 0 ? suites : Object.keys(SUITES);
  const unknown = chosen.filter((s) => !SUITES[s]);
  if (unknown.length > 0) {
    io.err(`chorus bench: unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
    return 2;
  }
  for (const name of chosen) {
    const result = await (SUITES[name] as () => Promise<BenchResult>)();
    if (options.json) io.out(JSON.stringify(result));
    else printHuman(result, io);
  }
  return 0;
}
