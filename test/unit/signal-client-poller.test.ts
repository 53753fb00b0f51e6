// SignalPoller's loop with a scripted client, an injected sleep and clock: backoff after failures, no spinning on
// early empty answers, items handed over in order, a throwing handler contained, stop() aborting the poll.
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../core/logger.js';
import {
  backoffDelay,
  SignalError,
  SignalPoller,
  type ReceiveOptions,
} from '../../bots/signal/client/index.js';

type Step = unknown[] | Error | 'hang';

function scripted(steps: Step[]) {
  const calls: ReceiveOptions[] = [];
  let release: (() => void) | undefined;
  const client = {
    receive(options: ReceiveOptions = {}): Promise<unknown[]> {
      calls.push(options);
      const step = steps.shift() ?? 'hang';
      if (step === 'hang') {
        return new Promise((_resolve, reject) => {
          release = () => reject(new Error('aborted'));
          options.signal?.addEventListener('abort', () => release?.(), { once: true });
        });
      }
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
  };
  return { client, calls };
}

function poller(steps: Step[], extra: { onItem?: (i: unknown) => void } = {}) {
  const { client, calls } = scripted(steps);
  const sleeps: number[] = [];
  const items: unknown[] = [];
  const logger = memoryLogger();
  let clock = 0;
  const p = new SignalPoller({
    client,
    logger,
    onItem: extra.onItem ?? ((i) => items.push(i)),
    timeoutSeconds: 5,
    minIntervalMs: 1000,
    backoff: { initialMs: 100, maxMs: 400 },
    random: () => 0,
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  });
  return { p, calls, sleeps, items, logger };
}

describe('backoffDelay', () => {
  it('GIVEN attempts THEN doubling from initial to the cap, jittered between 50 and 100 %', () => {
    const o = { initialMs: 100, maxMs: 400 };
    expect([0, 1, 2, 3, 9].map((a) => backoffDelay(a, o, () => 0))).toEqual([50, 100, 200, 200, 200]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, o, () => 0.999999))).toEqual([100, 200, 400, 400]);
  });
});

describe('SignalPoller', () => {
  it('GIVEN failures then items THEN backs off, delivers in order and resets the failure count', async () => {
    const down = new SignalError('network', 'connection refused');
    const { p, calls, sleeps, items, logger } = poller([down, down, down, ['a', 'b'], 'hang']);
    p.start();
    await expect.poll(() => items).toEqual(['a', 'b']);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(p.failedAttempts).toBe(0);
    expect(p.connected).toBe(true);
    expect(calls.every((c) => c.timeoutSeconds === 5 && c.signal !== undefined)).toBe(true);
    expect(logger.records.filter((r) => r.level === 'warn')).toHaveLength(1);
    await p.stop();
    expect(p.connected).toBe(false);
  });

  it('GIVEN empty answers that come back at once THEN it waits out the minimum interval between polls', async () => {
    const { p, sleeps, calls } = poller([[], [], 'hang']);
    p.start();
    await expect.poll(() => calls.length).toBe(3);
    expect(sleeps).toEqual([1000, 1000]);
    await p.stop();
  });

  it('GIVEN a handler that throws THEN the error is logged and the next item still arrives', async () => {
    const seen: unknown[] = [];
    const { p, logger } = poller([['bad', 'good'], 'hang'], {
      onItem: (i) => {
        if (i === 'bad') throw new Error('handler broke');
        seen.push(i);
      },
    });
    p.start();
    await expect.poll(() => seen).toEqual(['good']);
    expect(logger.records.some((r) => r.level === 'error' && r.fields['error'] === 'handler broke')).toBe(
      true,
    );
    await p.stop();
  });

  it('GIVEN a poll under way WHEN stop() THEN it is aborted and the loop ends', async () => {
    const { p, calls } = poller(['hang']);
    p.start();
    await expect.poll(() => calls.length).toBe(1);
    await p.stop();
    expect(calls[0]?.signal?.aborted).toBe(true);
  });

  it('GIVEN bad options THEN clear errors', () => {
    const { client } = scripted([]);
    const base = { client, logger: memoryLogger(), onItem: () => undefined };
    expect(() => new SignalPoller({ ...base, backoff: { initialMs: 0, maxMs: 10 } })).toThrow(
      'SignalPoller: backoff needs 0 < initialMs <= maxMs, got 0 / 10',
    );
    expect(() => new SignalPoller({ ...base, timeoutSeconds: 1.5 })).toThrow(
      /timeoutSeconds must be a whole number/,
    );
  });
});
