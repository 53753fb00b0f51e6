// Reconnect delays of the Signal websocket receiver: exponential, capped, with equal jitter.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../bots/signal/client/index.js';
import { checkBackoff } from '../../bots/signal/client/backoff.js';

describe('backoffDelay', () => {
  it('GIVEN attempts THEN doubling from initial to the cap, jittered between 50 and 100 %', () => {
    const o = { initialMs: 100, maxMs: 400 };
    expect([0, 1, 2, 3, 9].map((a) => backoffDelay(a, o, () => 0))).toEqual([50, 100, 200, 200, 200]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, o, () => 0.999999))).toEqual([100, 200, 400, 400]);
    expect(backoffDelay(5000, o, () => 0.5)).toBe(300);
  });

  it('GIVEN impossible bounds THEN a clear error', () => {
    expect(() => checkBackoff('SignalReceiver reconnect', { initialMs: 0, maxMs: 10 })).toThrow(
      'SignalReceiver reconnect: backoff needs 0 < initialMs <= maxMs, got 0 / 10',
    );
    expect(() => checkBackoff('x', { initialMs: 50, maxMs: 10 })).toThrow(/got 50 \/ 10/);
  });
});
