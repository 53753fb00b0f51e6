// Checkpoints the WAL from a worker thread with its own connection, so the engine's commits on the main thread
// never pay for copying pages back into the database file (a PASSIVE checkpoint does not block writers).
// The worker is evaluated from source text, which works the same under vitest and from dist/.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class WalCheckpointer {
  readonly #worker: Worker;

  constructor(file: string, intervalMs = 200, onError: (error: string) => void = () => undefined) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    this.#worker.on('message', onError);
    this.#worker.on('error', (error) => onError(String(error)));
    this.#worker.unref();
  }

  async stop(): Promise<void> {
    // Unref'd so it never keeps the process alive, but the exit we wait for here must.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await new Promise((resolve) => this.#worker.once('exit', resolve));
  }
}
