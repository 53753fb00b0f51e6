// Every message the fleet sends over Signal goes through here, one at a time and behind the SendGate. A rate
// limit closes the gate for every send; the first send after the pause is the report to the admins (once per
// episode), so it also probes whether the limit is lifted. Outbox rows never wait here (sendNow throws
// SendPausedError while the gate is closed, and the dispatcher keeps them pending); command replies,
// reminders and briefings wait for the gate (sendWhenOpen).
import type { Logger } from '../../core/logger.js';
import { SignalError, type OutgoingMessage, type SignalClient } from './client/index.js';
import type { SendGate } from './send-gate.js';

export interface SignalOutboundOptions {
  client: Pick<SignalClient, 'send'>;
  gate: SendGate;
  /** The admins' numbers (config `admins.signal`), told about rate limits. */
  admins: readonly string[];
  logger: Logger;
  /** Aborted when the platform stops: waiting sends reject. */
  signal: AbortSignal;
  /** How often a send waiting for the gate looks again, in ms (the gate also wakes it on reopen). */
  gateCheckMs?: number;
}

/** Sends are paused by a rate limit until `until` (ms since the epoch); nothing was sent. */
export class SendPausedError extends Error {
  override readonly name = 'SendPausedError';
  constructor(readonly until: number) {
    super(`Signal sends are paused by a rate limit until ${new Date(until).toISOString()}`);
  }
}

/** Sends (command answers, briefings) that may wait out a pause at once; more are dropped with an error. */
const MAX_WAITING = 500;

export const CAPTCHA_URL = 'https://signalcaptchas.org/challenge/generate.html';

export function rateLimitReport(tokens: readonly string[], since: number): string {
  const token = tokens[0] ?? '<token>';
  return [
    `Signal rate-limited this number (captcha challenge) at ${new Date(since).toISOString()}; sends were paused.`,
    `If it happens again: solve a captcha at ${CAPTCHA_URL} and send`,
    `/admin challenge ${token} <captcha>`,
  ].join('\n');
}

export class SignalOutbound {
  #tail: Promise<unknown> = Promise.resolve();
  #sent = 0;
  #waiting = 0;

  constructor(private readonly o: SignalOutboundOptions) {}

  /** Messages Signal accepted since start. */
  get sent(): number {
    return this.#sent;
  }

  /** Sends now, in turn; throws SendPausedError while the gate is closed. Resolves to the message's timestamp. */
  sendNow(message: OutgoingMessage): Promise<number> {
    return this.#serial(() => this.#attempt(message));
  }

  /** Waits for the gate to open (a pause, then the admin report), then sends. */
  async sendWhenOpen(message: OutgoingMessage): Promise<number> {
    if (this.#waiting >= MAX_WAITING) {
      throw new Error(
        `${MAX_WAITING} Signal sends are already waiting out a rate limit; this one is dropped`,
      );
    }
    this.#waiting += 1;
    try {
      for (;;) {
        await this.o.gate.whenOpen(this.o.signal, this.o.gateCheckMs);
        try {
          return await this.sendNow(message);
        } catch (error) {
          if (!(error instanceof SendPausedError)) throw error;
        }
      }
    } finally {
      this.#waiting -= 1;
    }
  }

  /** Sends the pending admin report if the gate is open again (called by the platform's ticker too). */
  flushReport(): Promise<void> {
    return this.#serial(() => this.#report()).catch(() => undefined);
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #attempt(message: OutgoingMessage): Promise<number> {
    await this.#report();
    return this.#send(message);
  }

  async #send(message: OutgoingMessage): Promise<number> {
    const { gate } = this.o;
    if (gate.closed) throw new SendPausedError(gate.closedUntil);
    try {
      const { timestamp } = await this.o.client.send(message);
      this.#sent += 1;
      gate.succeeded();
      return timestamp;
    } catch (error) {
      if (!(error instanceof SignalError) || error.code !== 'rate_limited') throw error;
      const fresh = gate.rateLimited(error.challengeTokens, error.retryAfterSeconds);
      const episode = gate.episode;
      const fields = {
        until: new Date(gate.closedUntil).toISOString(),
        challengeTokens: episode?.challengeTokens ?? [],
        hits: episode?.hits,
      };
      if (fresh) {
        this.o.logger.error(
          `Signal rate limit: every send is paused; admins are told after the pause. To lift it now, solve a captcha at ${CAPTCHA_URL} and send "/admin challenge ${episode?.challengeTokens[0] ?? '<token>'} <captcha>" from an admin number`,
          fields,
        );
      } else {
        this.o.logger.warn('Signal is still rate-limiting; pausing longer', fields);
      }
      throw new SendPausedError(gate.closedUntil);
    }
  }

  async #report(): Promise<void> {
    const { gate, admins, logger } = this.o;
    const episode = gate.episode;
    if (!episode || episode.reported || gate.closed) return;
    if (admins.length === 0) {
      logger.error('Signal rate limit: no admins.signal numbers are configured to tell', {
        challengeTokens: episode.challengeTokens,
      });
      gate.markReported();
      return;
    }
    const text = rateLimitReport(episode.challengeTokens, episode.startedAt);
    try {
      await this.#send({ recipients: [...admins], message: text });
      gate.markReported();
      logger.info('Signal rate limit reported to the admins', { admins: admins.length });
    } catch (error) {
      logger.error('the Signal rate-limit report to the admins could not be sent; it is tried again later', {
        report: text,
        error: error instanceof Error ? error.message : String(error),
      });
      // Still limited: nothing else goes out either. Any other failure must not hold up the message behind it.
      if (error instanceof SendPausedError) throw error;
    }
  }
}
