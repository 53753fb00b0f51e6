// Timestamps of recent events, oldest first, keeping only those within a retention period.

export class SlidingWindow {
  #times: number[] = [];
  #head = 0;

  constructor(private readonly retentionMs: number) {}

  add(at: number): void {
    this.#times.push(at);
  }

  /** Removes the most recent event at `at` (a reservation that produced no post). */
  remove(at: number): void {
    const i = this.#times.lastIndexOf(at);
    if (i >= this.#head) this.#times.splice(i, 1);
  }

  #prune(now: number): void {
    const cutoff = now - this.retentionMs;
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) <= cutoff) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Events in (now - windowMs, now]. */
  countSince(now: number, windowMs: number): number {
    this.#prune(now);
    const cutoff = now - windowMs;
    let count = 0;
    for (let i = this.#times.length - 1; i >= this.#head && (this.#times[i] as number) > cutoff; i--) count++;
    return count;
  }

  /** The time of the `n`-th most recent event (1 = latest), if there is one. */
  nthLatest(now: number, n: number): number | undefined {
    this.#prune(now);
    const i = this.#times.length - n;
    return i >= this.#head ? this.#times[i] : undefined;
  }

  get size(): number {
    return this.#times.length - this.#head;
  }
}
