import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { memoryLogger } from '../../core/logger.js';
import { SignalError, type OutgoingMessage } from '../../bots/signal/client/index.js';
import { SendGate } from '../../bots/signal/send-gate.js';
import { SendPausedError, SignalOutbound } from '../../bots/signal/signal-outbound.js';

const limited = (retryAfterSeconds?: number) =>
  new SignalError('rate_limited', 'rate limited', {
    status: 429,
    challengeTokens: ['tok-1'],
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });

describe('SendGate', () => {
  it('GIVEN repeated limits without retry-after THEN the pause doubles from 60 s up to the cap', () => {
    const clock = new FakeClock(0);
    const gate = new SendGate({ clock, maxBackoffMs: 300_000 });
    expect(gate.rateLimited(['t'])).toBe(true);
    expect(gate.closedUntil).toBe(60_000);
    clock.set(60_000);
    expect(gate.closed).toBe(false);
    expect(gate.rateLimited([])).toBe(false); // same episode
    expect(gate.closedUntil).toBe(180_000);
    clock.set(180_000);
    gate.rateLimited([]);
    clock.set(420_000);
    gate.rateLimited([]);
    expect(gate.closedUntil).toBe(720_000); // 240 s would be next, 300 s is the cap
    expect(gate.episode?.challengeTokens).toEqual(['t']);
    expect(gate.episode?.hits).toBe(4);
  });

  it('GIVEN a retry-after THEN it is used, capped; GIVEN success or reopen THEN the episode ends', () => {
    const clock = new FakeClock(0);
    const gate = new SendGate({ clock });
    gate.rateLimited(['t'], 86_400);
    expect(gate.closedUntil).toBe(3_600_000);
    gate.reopen();
    expect(gate.closed).toBe(false);
    expect(gate.episode).toBeUndefined();
    gate.rateLimited(['t'], 30);
    expect(gate.closedUntil).toBe(30_000);
    clock.set(30_000);
    gate.succeeded();
    expect(gate.episode).toBeUndefined();
  });

  it('GIVEN a waiter THEN reopen wakes it at once, and abort rejects it', async () => {
    const gate = new SendGate({ clock: new FakeClock(0) });
    gate.rateLimited([]);
    const waiting = gate.whenOpen(new AbortController().signal, 60_000);
    gate.reopen();
    await waiting;
    gate.rateLimited([]);
    const abort = new AbortController();
    const aborted = gate.whenOpen(abort.signal, 60_000);
    abort.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });
});

describe('SignalOutbound', () => {
  function setup(failures: Error[]) {
    const clock = new FakeClock(0);
    const gate = new SendGate({ clock, initialBackoffMs: 1000, maxBackoffMs: 8000 });
    const calls: OutgoingMessage[] = [];
    const client = {
      send: async (m: OutgoingMessage) => {
        calls.push(m);
        const failure = failures.shift();
        if (failure) throw failure;
        return { timestamp: 1000 + calls.length };
      },
    };
    const logger = memoryLogger();
    const outbound = new SignalOutbound({
      client,
      gate,
      admins: ['+15550000009'],
      logger,
      signal: new AbortController().signal,
      gateCheckMs: 5,
    });
    return { clock, gate, calls, outbound, logger };
  }
  const msg = (text: string): OutgoingMessage => ({ recipients: ['+15550000101'], message: text });

  it('GIVEN a rate limit THEN later sends are refused without a request until the pause ends; the admins are told once, first', async () => {
    const { clock, calls, outbound, logger } = setup([limited()]);
    await expect(outbound.sendNow(msg('a'))).rejects.toBeInstanceOf(SendPausedError);
    await expect(outbound.sendNow(msg('b'))).rejects.toBeInstanceOf(SendPausedError);
    expect(calls).toHaveLength(1);
    expect(logger.records.filter((r) => r.level === 'error')[0]?.message).toContain(
      '/admin challenge tok-1 <captcha>',
    );
    clock.set(1000);
    expect(await outbound.sendNow(msg('c'))).toBe(1003);
    expect(await outbound.sendNow(msg('d'))).toBe(1004);
    expect(calls.map((c) => c.recipients[0])).toEqual([
      '+15550000101',
      '+15550000009',
      '+15550000101',
      '+15550000101',
    ]);
    expect(calls[1]?.message).toContain('/admin challenge tok-1 <captcha>');
  });

  it('GIVEN the report itself is limited again THEN the pause doubles and the report is still sent only once', async () => {
    const { clock, gate, calls, outbound } = setup([limited(), limited()]);
    await expect(outbound.sendNow(msg('a'))).rejects.toBeInstanceOf(SendPausedError);
    clock.set(1000);
    await expect(outbound.sendNow(msg('b'))).rejects.toBeInstanceOf(SendPausedError);
    expect(gate.closedUntil).toBe(3000);
    clock.set(3000);
    await outbound.sendNow(msg('c'));
    await outbound.flushReport();
    expect(calls.filter((c) => c.recipients[0] === '+15550000009')).toHaveLength(2); // one refused, one sent
    expect(outbound.sent).toBe(2);
  });

  it('GIVEN sendWhenOpen during a pause THEN it waits and sends after the gate reopens', async () => {
    const { gate, calls, outbound } = setup([limited()]);
    await expect(outbound.sendNow(msg('a'))).rejects.toBeInstanceOf(SendPausedError);
    const waiting = outbound.sendWhenOpen(msg('later'));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    gate.reopen();
    await waiting;
    expect(calls.map((c) => c.message)).toEqual(['a', 'later']);
  });

  it('GIVEN another error THEN it is thrown as is and does not pause', async () => {
    const { gate, outbound } = setup([new SignalError('network', 'down')]);
    await expect(outbound.sendNow(msg('a'))).rejects.toThrow('down');
    expect(gate.closed).toBe(false);
  });
});
