// Single-flight: concurrent callers with one key share one operation; the key frees itself when it settles.
import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../cluster/core/single-flight.js';

/** A promise the test settles by hand. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('GIVEN concurrent calls with one key THEN the operation runs once and all get its result', async () => {
    const flight = new SingleFlight<string>();
    const load = deferred<string>();
    let runs = 0;
    const fn = () => {
      runs++;
      return load.promise;
    };
    const first = flight.run('server-a:model', fn);
    const second = flight.run('server-a:model', fn);
    expect(second).toBe(first);
    expect(flight.has('server-a:model')).toBe(true);
    expect(flight.size).toBe(1);
    load.resolve('loaded');
    await expect(Promise.all([first, second])).resolves.toEqual(['loaded', 'loaded']);
    expect(runs).toBe(1);
  });

  it('GIVEN different keys THEN each runs its own operation', async () => {
    const flight = new SingleFlight<string>();
    const a = flight.run('a', async () => 'A');
    const b = flight.run('b', async () => 'B');
    expect(flight.size).toBe(2);
    await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
  });

  it('GIVEN an operation settled THEN the key is free before the waiters resume, and the next call runs anew', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const fn = async () => ++runs;
    const first = flight.run('k', fn);
    const seenByWaiter = first.then(() => flight.has('k'));
    await expect(first).resolves.toBe(1);
    await expect(seenByWaiter).resolves.toBe(false);
    expect(flight.size).toBe(0);
    await expect(flight.run('k', fn)).resolves.toBe(2);
  });

  it('GIVEN the operation fails THEN every waiter gets the error and the key is free', async () => {
    const flight = new SingleFlight<string>();
    const load = deferred<string>();
    const first = flight.run('k', () => load.promise);
    const second = flight.run('k', () => Promise.resolve('never'));
    const error = new Error('load failed');
    load.reject(error);
    await expect(first).rejects.toBe(error);
    await expect(second).rejects.toBe(error);
    expect(flight.has('k')).toBe(false);
    await expect(flight.run('k', async () => 'retried')).resolves.toBe('retried');
  });

  it('GIVEN the function throws synchronously THEN the caller gets a rejection and the key is free', async () => {
    const flight = new SingleFlight<string>();
    const error = new TypeError('bad');
    const result = flight.run('k', () => {
      throw error;
    });
    await expect(result).rejects.toBe(error);
    expect(flight.size).toBe(0);
  });

  it('GIVEN non-string keys THEN they are compared by identity', async () => {
    const key = { server: 'a', model: 'm' };
    const flight = new SingleFlight<string, object>();
    const load = deferred<string>();
    const first = flight.run(key, () => load.promise);
    expect(flight.run(key, async () => 'other')).toBe(first);
    const other = flight.run({ ...key }, async () => 'other');
    load.resolve('one');
    await expect(first).resolves.toBe('one');
    await expect(other).resolves.toBe('other');
  });
});
