// Fault injection: what can go wrong with a real LM Studio host, switchable while the simulator runs
// (tests call the methods; `chorus sim --fault` parses the same specs with parseFault).
import type { Random } from '../../core/random.js';
import { SimulatorConfigError } from './simulator-errors.js';

export type FaultSpec =
  /** Refuse connections: the listener is closed and open sockets are destroyed. */
  | { kind: 'down' }
  /** Every request waits this long before it is handled. */
  | { kind: 'slow'; ms: number }
  /** This share of requests (0..1), on every route the greeting included, gets an error of this status (default 500). */
  | { kind: 'errors'; rate: number; status?: number }
  /** Streams are cut (socket destroyed) after this many SSE frames; non-streaming answers are never sent. */
  | { kind: 'disconnect'; afterChunks: number };

export interface FaultSnapshot {
  down: boolean;
  slowMs: number;
  errorRate: number;
  errorStatus: number;
  disconnectAfterChunks: number | null;
}

const FAULT_USAGE = 'expected down, slow:MS, errors:RATE[:STATUS] or disconnect:N';

function whole(spec: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new SimulatorConfigError(`--fault ${spec}: expected an integer from ${min} to ${max}`);
  return Number(text);
}

/** Parses one `--fault` value; every mistake names the value and what was expected. */
export function parseFault(spec: string): FaultSpec {
  const [kind, first, second, ...extra] = spec.split(':');
  const arity = (n: number) => {
    const given = [first, second].filter((x) => x !== undefined).length + extra.length;
    if (given !== n) throw new SimulatorConfigError(`--fault ${spec}: ${FAULT_USAGE}`);
  };
  switch (kind) {
    case 'down':
      arity(0);
      return { kind: 'down' };
    case 'slow':
      arity(1);
      return { kind: 'slow', ms: whole(spec, first, 0, 600_000) };
    case 'disconnect':
      arity(1);
      return { kind: 'disconnect', afterChunks: whole(spec, first, 0, 1_000_000) };
    case 'errors': {
      if (second === undefined) arity(1);
      else arity(2);
      const rate = Number(first);
      if (first === undefined || first.trim() === '' || !(rate >= 0 && rate <= 1))
        throw new SimulatorConfigError(`--fault ${spec}: RATE must be a number from 0 to 1`);
      return second === undefined
        ? { kind: 'errors', rate }
        : { kind: 'errors', rate, status: whole(spec, second, 400, 599) };
    }
    default:
      throw new SimulatorConfigError(`--fault ${spec}: ${FAULT_USAGE}`);
  }
}

/** How `down` and `up` reach the listener; supplied by the simulator. */
export interface ListenerSwitch {
  close(): Promise<void>;
  open(): Promise<void>;
}

export class SimulatorFaults {
  #down = false;
  #slowMs = 0;
  #errorRate = 0;
  #errorStatus = 500;
  #disconnectAfter: number | null = null;

  constructor(
    private readonly listener: ListenerSwitch,
    private readonly random: Random,
  ) {}

  /** Closes the listener and destroys open connections: clients get ECONNREFUSED until up(). */
  async down(): Promise<void> {
    if (this.#down) return;
    this.#down = true;
    await this.listener.close();
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (!this.#down) return;
    await this.listener.open();
    this.#down = false;
  }

  /** Adds `ms` of latency before every request is handled (0 removes it). */
  slow(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new SimulatorConfigError(`slow: expected ms >= 0, got ${ms}`);
    this.#slowMs = ms;
  }

  /** Answers `rate` (0..1) of requests with `status` and an OpenAI-shaped error body (0 removes it). */
  errors(rate: number, status = 500): void {
    if (!(rate >= 0 && rate <= 1))
      throw new SimulatorConfigError(`errors: expected a rate from 0 to 1, got ${rate}`);
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new SimulatorConfigError(`errors: expected a status from 400 to 599, got ${status}`);
    this.#errorRate = rate;
    this.#errorStatus = status;
  }

  /** Cuts chat completion streams after `chunks` SSE frames (null removes it). */
  disconnectAfter(chunks: number | null): void {
    if (chunks !== null && (!Number.isInteger(chunks) || chunks < 0))
      throw new SimulatorConfigError(`disconnectAfter: expected an integer >= 0 or null, got ${chunks}`);
    this.#disconnectAfter = chunks;
  }

  async apply(spec: FaultSpec): Promise<void> {
    if (spec.kind === 'down') await this.down();
    else if (spec.kind === 'slow') this.slow(spec.ms);
    else if (spec.kind === 'errors') this.errors(spec.rate, spec.status);
    else this.disconnectAfter(spec.afterChunks);
  }

  /** Removes every fault and listens again if down. */
  async clear(): Promise<void> {
    this.#slowMs = 0;
    this.#errorRate = 0;
    this.#errorStatus = 500;
    this.#disconnectAfter = null;
    await this.up();
  }

  snapshot(): FaultSnapshot {
    return {
      down: this.#down,
      slowMs: this.#slowMs,
      errorRate: this.#errorRate,
      errorStatus: this.#errorStatus,
      disconnectAfterChunks: this.#disconnectAfter,
    };
  }

  /** Rolls the error fault for one request: the status to fail it with, or undefined. */
  rollError(): number | undefined {
    if (this.#errorRate === 0) return undefined;
    return this.random() < this.#errorRate ? this.#errorStatus : undefined;
  }
}
