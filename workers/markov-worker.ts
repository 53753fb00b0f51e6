// A thread of the Markov pool: owns a read-write connection to the store and its share of the hot scopes, and
// answers the tasks of workers/markov-tasks.ts. Chain work never runs on the main thread.
import { workerData } from 'piscina';
import { systemClock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';
import { HotScopes } from '../markov/hot-scopes.js';
import { MarkovScopes, type LoadedScope } from '../markov/markov-scopes.js';
import type { ScopeModel } from '../markov/scope-model.js';
import { openDatabase } from '../store/database.js';
import { MarkovRepository } from '../store/markov-repository.js';
import type {
  GenerateAnswer,
  GenerateTask,
  MarkovTask,
  MarkovWorkerData,
  ScopeFigures,
} from './markov-tasks.js';

const data = workerData as MarkovWorkerData;
const db = openDatabase(data.dbFile);
// The main thread's checkpointer folds the WAL back; this connection's commits never stall on it.
db.pragma('wal_autocheckpoint = 0');
const scopes = new MarkovScopes(new MarkovRepository(db), systemClock);
const hot = new HotScopes(scopes, data.cacheBytes);

function figures(scope: string, model: ScopeModel, loadMs: number): ScopeFigures {
  const stats = model.stats;
  return {
    scope,
    stateSize: stats.stateSize,
    messages: stats.messages,
    vocabulary: stats.vocabulary,
    forwardStates: stats.forwardStates,
    transitions: stats.transitions,
    chainBytes: stats.chainBytes,
    guardBytes: stats.guardBytes,
    pending: stats.pending,
    loadMs,
  };
}

function generate(task: GenerateTask): GenerateAnswer {
  const random = seededRandom(task.seed);
  let tries = 0;
  let reason = 'no scope';
  const used: LoadedScope[] = [];
  try {
    for (const scope of task.scopes) {
      const { loaded } = hot.get(scope);
      used.push(loaded);
      const outcome = loaded.model.reply({ ...task, random });
      tries += outcome.tries;
      if (outcome.ok) return { ok: true, text: outcome.text, scope, tries, seeded: outcome.seeded };
      reason = outcome.reason;
    }
    return { ok: false, reason, tries };
  } finally {
    // After the answer is posted: merge piled-up changes into the snapshots, off the reply's path.
    setImmediate(() => {
      for (const loaded of used) hot.compact(loaded);
    });
  }
}

export default function run(task: MarkovTask): GenerateAnswer | ScopeFigures {
  switch (task.kind) {
    case 'generate':
      return generate(task);
    case 'build': {
      const { loaded, loadMs } = hot.get(task.scope);
      hot.compact(loaded, true);
      return figures(task.scope, loaded.model, loadMs);
    }
    case 'stats': {
      const { loaded, loadMs } = hot.get(task.scope);
      return figures(task.scope, loaded.model, loadMs);
    }
  }
}
