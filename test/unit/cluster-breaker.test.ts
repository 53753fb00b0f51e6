// The per-server circuit breaker, driven by a FakeClock: closed → open → half-open (one probe) → closed or open again.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, DefaultCircuitBreakerOptions } from '../../cluster/core/circuit-breaker.js';
import { FakeClock } from '../../core/clock.js';

function breaker(options: ConstructorParameters<typeof CircuitBreaker>[0] = {}): {
  clock: FakeClock;
  breaker: CircuitBreaker;
} {
  return { clock: new FakeClock(), breaker: new CircuitBreaker(options) };
}

/** Fails `n` requests in a row at the clock's time. */
function fail(b: CircuitBreaker, clock: FakeClock, n: number): void {
  for (let i = 0; i < n; i++) b.onFailure(clock.now());
}

describe('CircuitBreaker: closed', () => {
  it('GIVEN defaults THEN they are 3 failures, 5 s cooldown, doubling up to 60 s', () => {
    expect(DefaultCircuitBreakerOptions).toEqual({
      failureThreshold: 3,
      cooldownMs: 5000,
      backoffFactor: 2,
      maxCooldownMs: 60_000,
    });
  });

  it('GIVEN a new breaker THEN it is closed and lets every request through', () => {
    const { clock, breaker: b } = breaker();
    expect(b.state(clock.now())).toBe('closed');
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.canAcquire(clock.now())).toBe(true);
  });

  it('GIVEN two failures WHEN a third follows THEN it opens', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 2);
    expect(b.state(clock.now())).toBe('closed');
    expect(b.tryAcquire(clock.now())).toBe(true);
    b.onFailure(clock.now());
    expect(b.state(clock.now())).toBe('open');
    expect(b.tryAcquire(clock.now())).toBe(false);
  });

  it('GIVEN failures separated by a success THEN they are not consecutive and it stays closed', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 2);
    b.onSuccess();
    fail(b, clock, 2);
    expect(b.state(clock.now())).toBe('closed');
    expect(b.snapshot(clock.now()).consecutiveFailures).toBe(2);
  });

  it('GIVEN a fatal failure (connection refused) THEN it opens at once', () => {
    const { clock, breaker: b } = breaker();
    b.onFailure(clock.now(), { fatal: true, error: 'connect ECONNREFUSED 127.0.0.1:1234' });
    expect(b.state(clock.now())).toBe('open');
    expect(b.snapshot(clock.now())).toMatchObject({
      consecutiveFailures: 1,
      openedAt: clock.now(),
      lastError: 'connect ECONNREFUSED 127.0.0.1:1234',
    });
  });

  it('GIVEN failureThreshold 1 THEN one ordinary failure opens it', () => {
    const { clock, breaker: b } = breaker({ failureThreshold: 1 });
    b.onFailure(clock.now());
    expect(b.state(clock.now())).toBe('open');
  });
});

describe('CircuitBreaker: open and half-open', () => {
  it('GIVEN it opened THEN it stays open for cooldownMs, then lets exactly one probe through', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 3);
    clock.advance(4999);
    expect(b.state(clock.now())).toBe('open');
    expect(b.canAcquire(clock.now())).toBe(false);
    expect(b.tryAcquire(clock.now())).toBe(false);
    clock.advance(1);
    expect(b.state(clock.now())).toBe('half-open');
    expect(b.canAcquire(clock.now())).toBe(true);
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.canAcquire(clock.now())).toBe(false);
    expect(b.tryAcquire(clock.now())).toBe(false);
    clock.advance(60_000);
    expect(b.tryAcquire(clock.now())).toBe(false);
    expect(b.state(clock.now())).toBe('half-open');
  });

  it('GIVEN a probe in flight WHEN it succeeds THEN the breaker closes and forgets the failures', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 3);
    clock.advance(5000);
    expect(b.tryAcquire(clock.now())).toBe(true);
    b.onSuccess();
    expect(b.state(clock.now())).toBe('closed');
    expect(b.snapshot(clock.now())).toMatchObject({ consecutiveFailures: 0, openedAt: null, probeAt: null });
    fail(b, clock, 2);
    expect(b.state(clock.now())).toBe('closed');
  });

  it('GIVEN a probe in flight WHEN it fails THEN it re-opens from now with the cooldown doubled', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 3);
    clock.advance(5000);
    b.tryAcquire(clock.now());
    clock.advance(300);
    b.onFailure(clock.now(), { error: 'HTTP 500' });
    const reopenedAt = clock.now();
    expect(b.snapshot(clock.now())).toMatchObject({
      state: 'open',
      openedAt: reopenedAt,
      cooldownMs: 10_000,
      probeAt: reopenedAt + 10_000,
      probeInFlight: false,
      lastError: 'HTTP 500',
    });
    clock.advance(9999);
    expect(b.tryAcquire(clock.now())).toBe(false);
    clock.advance(1);
    expect(b.tryAcquire(clock.now())).toBe(true);
  });

  it('GIVEN probes keep failing THEN the cooldown doubles up to maxCooldownMs, and a success resets it', () => {
    const { clock, breaker: b } = breaker({ cooldownMs: 1000, maxCooldownMs: 5000 });
    b.onFailure(clock.now(), { fatal: true });
    const cooldowns: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(b.snapshot(clock.now()).cooldownMs);
      expect(b.tryAcquire(clock.now())).toBe(true);
      b.onFailure(clock.now());
      cooldowns.push(b.snapshot(clock.now()).cooldownMs);
    }
    expect(cooldowns).toEqual([2000, 4000, 5000, 5000, 5000]);
    clock.advance(5000);
    b.tryAcquire(clock.now());
    b.onSuccess();
    b.onFailure(clock.now(), { fatal: true });
    expect(b.snapshot(clock.now()).cooldownMs).toBe(1000);
  });

  it('GIVEN backoffFactor 1 THEN the cooldown stays fixed', () => {
    const { clock, breaker: b } = breaker({ backoffFactor: 1, failureThreshold: 1 });
    b.onFailure(clock.now());
    clock.advance(5000);
    b.tryAcquire(clock.now());
    b.onFailure(clock.now());
    expect(b.snapshot(clock.now()).cooldownMs).toBe(5000);
  });

  it('GIVEN a probe WHEN it is released without a verdict THEN another request may probe', () => {
    const { clock, breaker: b } = breaker({ failureThreshold: 1 });
    b.onFailure(clock.now());
    clock.advance(5000);
    expect(b.tryAcquire(clock.now())).toBe(true);
    b.release();
    expect(b.state(clock.now())).toBe('half-open');
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.tryAcquire(clock.now())).toBe(false);
  });

  it('GIVEN it is open WHEN a request let through earlier succeeds THEN it stays open until the probe', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 3);
    b.onSuccess();
    expect(b.state(clock.now())).toBe('open');
    clock.advance(5000);
    b.onSuccess();
    expect(b.state(clock.now())).toBe('half-open');
  });

  it('GIVEN it is open WHEN a request let through earlier fails THEN the cooldown does not restart', () => {
    const { clock, breaker: b } = breaker();
    fail(b, clock, 3);
    const openedAt = clock.now();
    clock.advance(4000);
    b.onFailure(clock.now(), { fatal: true, error: 'late' });
    expect(b.snapshot(clock.now())).toMatchObject({
      openedAt,
      cooldownMs: 5000,
      consecutiveFailures: 4,
      lastError: 'late',
      lastFailureAt: openedAt + 4000,
    });
    clock.advance(1000);
    expect(b.state(clock.now())).toBe('half-open');
  });

  it('GIVEN it is open WHEN reset (a health check passed) THEN it closes at once', () => {
    const { clock, breaker: b } = breaker();
    b.onFailure(clock.now(), { fatal: true });
    b.reset();
    expect(b.state(clock.now())).toBe('closed');
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.snapshot(clock.now()).consecutiveFailures).toBe(0);
  });

  it('GIVEN cooldownMs 0 THEN an opened breaker is half-open at once', () => {
    const { clock, breaker: b } = breaker({ cooldownMs: 0, failureThreshold: 1 });
    b.onFailure(clock.now());
    expect(b.state(clock.now())).toBe('half-open');
    expect(b.tryAcquire(clock.now())).toBe(true);
    expect(b.tryAcquire(clock.now())).toBe(false);
  });
});

describe('CircuitBreaker: snapshot and options', () => {
  it('GIVEN a closed breaker THEN the snapshot says so', () => {
    const { clock, breaker: b } = breaker();
    expect(b.snapshot(clock.now())).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: null,
      probeAt: null,
      cooldownMs: 5000,
      probeInFlight: false,
      lastError: null,
      lastFailureAt: null,
    });
  });

  it('GIVEN a success after errors THEN the last error stays for status output', () => {
    const { clock, breaker: b } = breaker();
    b.onFailure(clock.now(), { error: 'timeout' });
    b.onSuccess();
    expect(b.snapshot(clock.now())).toMatchObject({ lastError: 'timeout', consecutiveFailures: 0 });
  });

  it.each([
    [{ failureThreshold: 0 }, 'options.failureThreshold must be a positive integer'],
    [{ failureThreshold: 1.5 }, 'options.failureThreshold must be a positive integer'],
    [{ cooldownMs: -1 }, 'options.cooldownMs must be a number of ms, 0 or more'],
    [{ cooldownMs: Number.NaN }, 'options.cooldownMs must be a number of ms, 0 or more'],
    [{ backoffFactor: 0.5 }, 'options.backoffFactor must be a number, 1 or more'],
    [{ maxCooldownMs: 4000 }, 'options.maxCooldownMs must be a number of ms, at least options.cooldownMs'],
  ])('GIVEN options %j THEN the constructor refuses them: %s', (options, message) => {
    expect(() => new CircuitBreaker(options)).toThrow(new RangeError(message));
  });
});
