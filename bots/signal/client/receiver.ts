// json-rpc mode's receive side: the websocket at /v1/receive/{number} (the `ws` package; Node 20 has no global
// WebSocket). Each text frame is one item for onItem; a `{"error":…}` frame is logged. Client pings detect
// half-open sockets (no pong by the next ping → terminate); any close reconnects with exponential backoff + jitter.
import WebSocket from 'ws';
import type { Logger } from '../../../core/logger.js';
import { backoffDelay, checkBackoff } from './backoff.js';

export interface SignalReceiverOptions {
  baseUrl: string;
  number: string;
  logger: Logger;
  onItem: (item: unknown) => void;
  /** Reconnect delays: initialMs doubling up to maxMs, each with jitter (default 500 ms … 30 s). */
  reconnect?: { initialMs: number; maxMs: number };
  /** Ping period; a socket that has not answered the previous ping by the next one is dropped (default 20 s). */
  pingIntervalMs?: number;
  /** Handshake deadline (default 10 s). */
  connectTimeoutMs?: number;
  /** [0, 1) source for the jitter (default Math.random). */
  random?: () => number;
  /** Called on every (re)connection and disconnection, e.g. to poll a REST endpoint after a gap. */
  onState?: (connected: boolean) => void;
}

const DEFAULTS = { initialMs: 500, maxMs: 30_000, pingIntervalMs: 20_000, connectTimeoutMs: 10_000 };

export class SignalReceiver {
  private readonly url: string;
  private readonly logger: Logger;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly pingIntervalMs: number;
  private readonly connectTimeoutMs: number;
  private readonly random: () => number;
  private socket: WebSocket | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private running = false;
  private closed: Promise<void> = Promise.resolve();

  constructor(private readonly options: SignalReceiverOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(base)) {
      throw new Error(
        `SignalReceiver: baseUrl must start with http:// or https://, got "${options.baseUrl}"`,
      );
    }
    this.url = `${base.replace(/^http/, 'ws')}/v1/receive/${encodeURIComponent(options.number)}`;
    this.logger = options.logger.child({ component: 'signal-receiver' });
    this.initialMs = options.reconnect?.initialMs ?? DEFAULTS.initialMs;
    this.maxMs = options.reconnect?.maxMs ?? DEFAULTS.maxMs;
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULTS.pingIntervalMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    this.random = options.random ?? Math.random;
    checkBackoff('SignalReceiver reconnect', { initialMs: this.initialMs, maxMs: this.maxMs });
    if (!(this.pingIntervalMs > 0)) throw new Error(`SignalReceiver: pingIntervalMs must be > 0`);
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** How many reconnect attempts have failed since the last successful connection. */
  get failedAttempts(): number {
    return this.attempt;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    if (socket !== undefined && socket.readyState !== WebSocket.CLOSED) {
      const forced = setTimeout(() => socket.terminate(), 1000);
      socket.close(1000, 'bot stopping');
      await this.closed;
      clearTimeout(forced);
    }
    this.stopPings();
  }

  /** The delay before reconnect attempt `attempt` (0-based): min(max, initial·2^attempt), jittered to 50–100 %. */
  backoffMs(attempt: number): number {
    return backoffDelay(attempt, { initialMs: this.initialMs, maxMs: this.maxMs }, this.random);
  }

  private connect(): void {
    const socket = new WebSocket(this.url, {
      handshakeTimeout: this.connectTimeoutMs,
      perMessageDeflate: false,
    });
    this.socket = socket;
    let alive = true;
    let wasOpen = false;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));

    socket.on('open', () => {
      wasOpen = true;
      this.attempt = 0;
      this.logger.info('signal websocket connected');
      this.options.onState?.(true);
      this.pingTimer = setInterval(() => {
        if (!alive) {
          this.logger.warn('signal websocket: no pong since the last ping, dropping it');
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, this.pingIntervalMs);
      this.pingTimer.unref();
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data, isBinary) => {
      alive = true;
      if (isBinary) {
        this.logger.warn('signal websocket: binary frame ignored');
        return;
      }
      this.handleFrame(frameText(data));
    });
    socket.on('unexpected-response', (_request, response) => {
      this.logger.warn('signal websocket: the server refused the upgrade (is it in json-rpc mode?)', {
        status: response.statusCode,
      });
      response.resume();
      socket.terminate();
    });
    socket.on('error', (error) => {
      this.logger.debug('signal websocket error', { error: error.message });
    });
    socket.on('close', (code) => {
      this.stopPings();
      if (this.socket === socket) this.socket = undefined;
      if (wasOpen) this.options.onState?.(false);
      if (!this.running) return;
      const delay = this.backoffMs(this.attempt);
      this.attempt += 1;
      const log = this.attempt > 3 ? 'warn' : 'info';
      this.logger[log]('signal websocket closed; reconnecting', {
        code,
        attempt: this.attempt,
        delayMs: delay,
      });
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        if (this.running) this.connect();
      }, delay); // not unref'd: a running receiver keeps the process alive through an outage; stop() clears it
    });
  }

  private handleFrame(text: string): void {
    let item: unknown;
    try {
      item = JSON.parse(text) as unknown;
    } catch {
      this.logger.warn('signal websocket: frame is not JSON, ignored', { bytes: text.length });
      return;
    }
    if (typeof item === 'object' && item !== null && 'error' in item && !('envelope' in item)) {
      const error = (item as { error: unknown }).error;
      this.logger.warn('signal websocket: server reported an error', { error: String(error).slice(0, 300) });
      return;
    }
    try {
      this.options.onItem(item);
    } catch (error) {
      this.logger.error('signal websocket: onItem threw', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private stopPings(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}

function frameText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
