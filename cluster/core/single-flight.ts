// Coalesces concurrent async operations by key: while one runs, callers with the same key share its promise (e.g.
// every first request for a cold model waits on one load). The key is free again as soon as the operation settles,
// success or failure, before any waiter resumes; a failure rejects every waiter with the same error.

export class SingleFlight<V, K = string> {
  readonly #running = new Map<K, Promise<V>>();

  /** Runs `fn` unless an operation for `key` is running already; either way resolves with that operation's result. */
  run(key: K, fn: () => Promise<V>): Promise<V> {
    const running = this.#running.get(key);
    if (running) return running;
    let started: Promise<V>;
    try {
      started = Promise.resolve(fn());
    } catch (error) {
      // A synchronous throw is a failure like any other: it reaches the caller as a rejection.
      started = Promise.reject(error);
    }
    const shared = started.finally(() => {
      if (this.#running.get(key) === shared) this.#running.delete(key);
    });
    this.#running.set(key, shared);
    return shared;
  }

  /** Whether an operation for `key` is running. */
  has(key: K): boolean {
    return this.#running.has(key);
  }

  /** Operations running. */
  get size(): number {
    return this.#running.size;
  }
}
