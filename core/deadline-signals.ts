// Deadline signals shared by every request due in the same time slot. Creating an AbortSignal.timeout per
// reply costs a timer each; at tens of thousands of replies a second the engine would spend its time there.
// Precision is one slot (default 50 ms), far below any useful generation deadline.

export class DeadlineError extends Error {
  readonly code = 'CHORUS_DEADLINE';
  constructor() {
    super('the deadline passed');
    this.name = 'TimeoutError';
  }
}

export class DeadlineSignals {
  readonly #slots = new Map<number, AbortController>();

  constructor(
    /** Aborts every deadline signal too (shutdown). */
    private readonly parent?: AbortSignal,
    private readonly slotMs = 50,
  ) {
    parent?.addEventListener('abort', () => {
      for (const controller of this.#slots.values()) controller.abort(parent.reason);
      this.#slots.clear();
    });
  }

  /** A signal that aborts within one slot after `timeoutMs` from now, or when the parent aborts. */
  after(timeoutMs: number): AbortSignal {
    if (this.parent?.aborted) return this.parent;
    const now = Date.now();
    const due = Math.ceil((now + timeoutMs) / this.slotMs) * this.slotMs;
    let controller = this.#slots.get(due);
    if (!controller) {
      const created = new AbortController();
      controller = created;
      this.#slots.set(due, created);
      setTimeout(() => {
        this.#slots.delete(due);
        created.abort(new DeadlineError());
      }, due - now).unref();
    }
    return controller.signal;
  }
}
