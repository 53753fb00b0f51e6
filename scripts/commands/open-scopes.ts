// Opens the store of a data directory and a Markov worker pool for the Markov commands, and closes both however
// the command ends. The main thread stores training messages; chains are built and sampled on the pool.
import { resolve } from 'node:path';
import { systemClock } from '../../core/clock.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';
import { MarkovPool } from '../../workers/markov-pool.js';
import type { ScopeFigures } from '../../workers/markov-tasks.js';

export const SCOPE_NAME = /^[A-Za-z0-9][\w:.@-]{0,127}$/;

/** The commands run one task at a time, so one thread. */
const CLI_CACHE_BYTES = 1024 * 1024 * 1024;

export interface MarkovCommandContext {
  scopes: MarkovScopes;
  pool: MarkovPool;
}

export async function withScopes<T>(
  dataDir: string,
  use: (context: MarkovCommandContext) => Promise<T> | T,
): Promise<T> {
  const store = ChorusStore.open(resolve(dataDir));
  const pool = new MarkovPool({ dbFile: store.db.name, threads: 1, cacheBytes: CLI_CACHE_BYTES });
  try {
    return await use({ scopes: new MarkovScopes(store.markov, systemClock), pool });
  } finally {
    await pool.close();
    await store.close();
  }
}

/** A scope's figures as the commands print them. */
export function chainSummary(figures: ScopeFigures): string {
  return `${figures.vocabulary} tokens, ${figures.forwardStates} states, ${figures.transitions} transitions`;
}
