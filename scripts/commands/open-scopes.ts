// Opens the store of a data directory for the Markov commands, and closes it however the command ends.
import { resolve } from 'node:path';
import { systemClock } from '../../core/clock.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';

export const SCOPE_NAME = /^[A-Za-z0-9][\w:.@-]{0,127}$/;

export async function withScopes<T>(
  dataDir: string,
  use: (scopes: MarkovScopes) => Promise<T> | T,
): Promise<T> {
  const store = ChorusStore.open(resolve(dataDir));
  try {
    return await use(new MarkovScopes(store.markov, systemClock));
  } finally {
    await store.close();
  }
}
