// The simulator's model rules without HTTP: slots then a FIFO queue, which model answers (the quirks), and
// residency (memory, TTL, auto-evict) with a fake clock and an instant sleep.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { describeModel } from '../../cluster/simulator/model-catalog.js';
import { ModelResidency, type ResidencySettings } from '../../cluster/simulator/model-residency.js';
import { resolveModel } from '../../cluster/simulator/model-resolver.js';
import { ModelLoadRefusedError } from '../../cluster/simulator/simulator-errors.js';
import { SlotPool } from '../../cluster/simulator/slots.js';

const GIB = 2 ** 30;

describe('SlotPool', () => {
  it('grants `size` slots at once, then hands freed slots to waiters in arrival order', async () => {
    const pool = new SlotPool(2);
    const first = await pool.acquire();
    await pool.acquire();
    const order: number[] = [];
    const third = pool.acquire().then((release) => (order.push(3), release));
    const fourth = pool.acquire().then((release) => (order.push(4), release));
    expect([pool.active, pool.queued]).toEqual([2, 2]);
    first();
    first(); // releasing twice frees one slot only
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect([pool.active, pool.queued]).toEqual([2, 0]);
  });

  it('drops an aborted waiter from the queue', async () => {
    const pool = new SlotPool(1);
    const release = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(pool.queued).toBe(0);
    release();
    expect(pool.active).toBe(0);
  });
});

describe('resolveModel', () => {
  const qwen = describeModel({ key: 'qwen/qwen3-8b' });
  const a = { id: 'a', model: { key: 'a' } };
  const b = { id: 'b', model: { key: 'b' } };
  const base = {
    requested: 'x',
    loaded: [],
    match: undefined,
    downloaded: undefined,
    jit: true,
    version: '0.4' as const,
  };

  it('GIVEN a loaded match THEN uses it', () => {
    expect(resolveModel({ ...base, loaded: [a, b], match: b })).toEqual({
      kind: 'use',
      instance: b,
      substituted: false,
    });
  });

  it('GIVEN a downloaded model and JIT on THEN loads it, even with one other model loaded', () => {
    expect(resolveModel({ ...base, loaded: [a], downloaded: qwen })).toEqual({ kind: 'load', model: qwen });
  });

  it('GIVEN exactly one model loaded and no match THEN the loaded model answers (the quirk)', () => {
    expect(resolveModel({ ...base, loaded: [a], downloaded: qwen, jit: false })).toEqual({
      kind: 'use',
      instance: a,
      substituted: true,
    });
  });

  it('GIVEN nothing loaded THEN "No models loaded", its status and code by version', () => {
    const v4 = resolveModel(base);
    const v3 = resolveModel({ ...base, version: '0.3' });
    expect(v4).toMatchObject({ kind: 'error', error: { status: 400, body: { error: { code: null } } } });
    expect(v3).toMatchObject({
      kind: 'error',
      error: { status: 404, body: { error: { code: 'model_not_found' } } },
    });
  });

  it('GIVEN two loaded and no match THEN 404 model_not_found listing them', () => {
    expect(resolveModel({ ...base, loaded: [a, b] })).toMatchObject({
      kind: 'error',
      error: { status: 404, body: { error: { message: expect.stringMatching(/Your models:\n\na\nb$/) } } },
    });
  });
});

describe('ModelResidency', () => {
  const setup = (over: Partial<ResidencySettings> = {}) => {
    const clock = new FakeClock();
    const residency = new ModelResidency({
      memoryBytes: 10 * GIB,
      parallel: 4,
      jitTtlSeconds: 3600,
      autoEvict: true,
      loadDelayMs: 0,
      defaultContextLength: 4096,
      clock,
      sleep: async () => undefined,
      logger: silentLogger,
      stopSignal: new AbortController().signal,
      ...over,
    });
    return { clock, residency };
  };
  const six = (key: string) => describeModel({ key, sizeGb: 6 });
  const two = (key: string) => describeModel({ key, sizeGb: 2 });

  it('refuses a load that does not fit, without evicting anything', async () => {
    const { residency } = setup();
    await residency.jitLoad(six('a'), undefined);
    await residency.load(two('x'), { jit: false });
    await expect(residency.load(six('b'), { jit: false })).rejects.toBeInstanceOf(ModelLoadRefusedError);
    expect(residency.instances().map((i) => i.id)).toEqual(['a', 'x']);
  });

  it('auto-evicts the previous JIT model to make room, or keeps both with autoEvict off', async () => {
    const on = setup();
    await on.residency.jitLoad(two('a'), undefined);
    await on.residency.jitLoad(two('b'), undefined);
    expect(on.residency.instances().map((i) => i.id)).toEqual(['b']);
    const off = setup({ autoEvict: false });
    await off.residency.jitLoad(two('a'), undefined);
    await off.residency.jitLoad(two('b'), undefined);
    expect(off.residency.instances().map((i) => i.id)).toEqual(['a', 'b']);
  });

  it("shares one JIT load between concurrent requests and uses the first request's ttl", async () => {
    const { residency } = setup();
    const [x, y] = await Promise.all([residency.jitLoad(two('a'), 30), residency.jitLoad(two('a'), 90)]);
    expect(x).toBe(y);
    expect(residency.remainingTtlSeconds(x)).toBe(30);
  });

  it('sweeps idle JIT instances after their TTL, never busy or explicit ones', async () => {
    const { residency, clock } = setup();
    const jit = await residency.jitLoad(two('a'), undefined);
    await residency.load(two('b'), { jit: false });
    residency.begin(jit);
    clock.advance(5 * 3600_000);
    expect(residency.sweep()).toEqual([]);
    residency.end(jit);
    clock.advance(3600_000 - 1);
    expect(residency.sweep()).toEqual([]);
    clock.advance(1);
    expect(residency.sweep()).toEqual(['a']);
    clock.advance(1000 * 3600_000);
    expect(residency.sweep()).toEqual([]);
    expect(residency.instances().map((i) => i.id)).toEqual(['b']);
  });
});
