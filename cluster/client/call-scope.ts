// One call's abort signal: the caller's signal and the call's own deadline, linked into one controller whose
// reason says which of the two fired. Its timer is cleared and its listener removed when the call ends.

export type AbortKind = 'timeout' | 'aborted';

class ScopeAbort extends Error {
  constructor(
    readonly kind: AbortKind,
    readonly reason: unknown,
  ) {
    super(kind === 'timeout' ? 'the deadline passed' : 'aborted by the caller');
    this.name = kind === 'timeout' ? 'TimeoutError' : 'AbortError';
  }
}

/** setTimeout's upper bound; a longer delay would fire at once. */
const MAX_DEADLINE_MS = 2 ** 31 - 1;

export class CallScope {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #onCallerAbort = (): void => this.#abort('aborted', this.#caller?.reason);
  readonly deadlineMs: number;

  constructor(callerSignal: AbortSignal | undefined, deadlineMs: number) {
    if (!(deadlineMs > 0 && deadlineMs <= MAX_DEADLINE_MS)) {
      throw new RangeError(
        `deadlineMs must be a number of milliseconds above 0 and at most ${MAX_DEADLINE_MS}`,
      );
    }
    this.deadlineMs = deadlineMs;
    this.#caller = callerSignal;
    this.#timer = setTimeout(() => this.#abort('timeout', undefined), deadlineMs);
    this.#timer.unref();
    if (callerSignal?.aborted) this.#onCallerAbort();
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** Aborts when the caller aborts or the deadline passes, whichever comes first. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the scope was aborted, or undefined while it is still running. */
  get abortKind(): AbortKind | undefined {
    const reason: unknown = this.#controller.signal.reason;
    return reason instanceof ScopeAbort ? reason.kind : undefined;
  }

  /** The caller's own abort reason, when the caller aborted. */
  get callerReason(): unknown {
    const reason: unknown = this.#controller.signal.reason;
    return reason instanceof ScopeAbort ? reason.reason : undefined;
  }

  /** Ends the scope: no timer or listener outlives the call. Safe to call more than once. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  #abort(kind: AbortKind, reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.dispose();
    this.#controller.abort(new ScopeAbort(kind, reason));
  }
}
