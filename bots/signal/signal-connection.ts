// Connects to signal-cli-rest-api in the background: asks /v1/about until it answers (retrying with backoff,
// logged once per transition), then receives the way its mode allows — the websocket in json-rpc mode,
// polling in normal/native mode. Stopping works at any point, also while the server was never reached.
import type { Logger } from '../../core/logger.js';
import { SignalReceiver, type SignalAbout, type SignalClient } from './client/index.js';
import { PollingReceiver, sleep } from './polling-receiver.js';
import { Reachability } from './reachability.js';

export interface SignalConnectionOptions {
  client: Pick<SignalClient, 'about' | 'receive'>;
  baseUrl: string;
  number: string;
  logger: Logger;
  onItem(item: unknown): void;
  /** Called once receiving has started. */
  onConnected?(about: SignalAbout): void;
  pollIntervalMs: number;
  receiveTimeoutSeconds: number;
  backoff: { initialMs: number; maxMs: number };
}

export class SignalConnection {
  readonly #abort = new AbortController();
  #about: SignalAbout | undefined;
  #receiver: { connected: boolean; stop(): Promise<void> } | undefined;
  #connecting: Promise<void> | undefined;

  constructor(private readonly o: SignalConnectionOptions) {}

  /** What /v1/about said, once it answered. */
  get about(): SignalAbout | undefined {
    return this.#about;
  }

  /** The websocket is open, or the polling loop runs against a reachable server. */
  get receiving(): boolean {
    return this.#receiver?.connected ?? false;
  }

  start(): void {
    this.#connecting ??= this.#connect();
  }

  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopping'));
    await this.#connecting;
    await this.#receiver?.stop();
  }

  async #connect(): Promise<void> {
    const { client, logger } = this.o;
    const signal = this.#abort.signal;
    const reachability = new Reachability(logger, 'about', this.o.backoff);
    while (!signal.aborted && !this.#about) {
      try {
        this.#about = await client.about();
        reachability.succeeded();
      } catch (error) {
        if (signal.aborted) return;
        await sleep(reachability.failed(error), signal);
      }
    }
    const about = this.#about;
    if (signal.aborted || !about) return;
    logger.info('signal-cli-rest-api connected', { mode: about.mode, version: about.version });
    if (about.mode === 'json-rpc') {
      const ws = new SignalReceiver({
        baseUrl: this.o.baseUrl,
        number: this.o.number,
        logger,
        onItem: this.o.onItem,
        reconnect: this.o.backoff,
      });
      ws.start();
      this.#receiver = ws;
    } else {
      const poller = new PollingReceiver({
        client,
        onItem: this.o.onItem,
        logger,
        intervalMs: this.o.pollIntervalMs,
        receiveTimeoutSeconds: this.o.receiveTimeoutSeconds,
        backoff: this.o.backoff,
      });
      poller.start();
      this.#receiver = poller;
    }
    this.o.onConnected?.(about);
  }
}
