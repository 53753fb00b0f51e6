// The Markov worker pool (piscina): training builds and generation run on its threads, so the event loop never
// blocks on chain work. Threads start on demand and stop after idling, so an idle fleet holds none of them; each
// keeps its own hot scopes under an equal share of the memory cap.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { GenerateTask, MarkovAnswers, MarkovTask, MarkovWorkerData } from './markov-tasks.js';

export interface MarkovPoolOptions {
  dbFile: string;
  /** Threads at most (default: the number of cores). */
  threads?: number;
  /** The memory cap for hot scopes, shared equally by the threads. */
  cacheBytes: number;
  /** How long an idle thread lives, in ms (default 10 minutes). */
  idleTimeoutMs?: number;
}

/**
 * The compiled worker beside this module; run from source (vitest), the one in dist/, which the test setup builds.
 */
function workerFile(): string {
  const beside = fileURLToPath(new URL('./markov-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../dist/workers/markov-worker.js');
}

export class MarkovPool {
  readonly #pool: Piscina<MarkovTask, unknown>;
  readonly threads: number;

  constructor(options: MarkovPoolOptions) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    const workerData: MarkovWorkerData = {
      dbFile: options.dbFile,
      cacheBytes: Math.floor(options.cacheBytes / this.threads),
    };
    this.#pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: options.idleTimeoutMs ?? 10 * 60_000,
      workerData,
    });
  }

  /**
   * Runs a task on a thread. There is no abort: piscina aborts a running task by terminating its thread, which
   * would throw away the thread's hot scopes for a task that takes milliseconds; callers stop waiting instead.
   */
  run<T extends MarkovTask>(task: T): Promise<MarkovAnswers[T['kind']]> {
    return this.#pool.run(task) as Promise<MarkovAnswers[T['kind']]>;
  }

  generate(task: Omit<GenerateTask, 'kind'>): Promise<MarkovAnswers['generate']> {
    return this.run({ kind: 'generate', ...task });
  }

  /** Threads running now. */
  get liveThreads(): number {
    return this.#pool.threads.length;
  }

  /** Waits for running tasks, then stops the threads. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}
