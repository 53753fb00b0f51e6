// A reply shown while the cluster streams it: posted once some text exists, then edited in place with the
// latest text at most once per interval (Discord allows about five edits per five seconds per message). When
// the reply is committed, its first part is edited into the preview instead of being posted again.
import { fitMessage } from './reply-payload.js';

/** Where a preview is shown (an entity's own bot, or a webhook). */
export interface PreviewTarget {
  /** Posts the preview; resolves to its Discord message id. */
  post(text: string): Promise<string>;
  edit(messageId: string, text: string): Promise<void>;
  remove(messageId: string): Promise<void>;
}

/** Time and timers, injectable for tests. */
export interface Scheduler {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export class StreamedPreview {
  #messageId: string | undefined;
  #shown = '';
  #latest = '';
  #lastOpAt = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;
  #op: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly target: PreviewTarget,
    private readonly intervalMs: number,
    private readonly scheduler: Scheduler,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The Discord message id of the preview, once posted. */
  get messageId(): string | undefined {
    return this.#messageId;
  }

  /** The whole text so far; shown now or at the next allowed edit. */
  update(text: string): void {
    if (this.#closed || !text.trim()) return;
    this.#latest = fitMessage(text.trim());
    this.#kick();
  }

  #kick(): void {
    if (this.#closed || this.#op || this.#cancelTimer || this.#latest === this.#shown) return;
    const wait = this.#lastOpAt + this.intervalMs - this.scheduler.now();
    if (wait > 0) {
      this.#cancelTimer = this.scheduler.after(wait, () => {
        this.#cancelTimer = undefined;
        this.#kick();
      });
      return;
    }
    this.#lastOpAt = this.scheduler.now();
    const text = this.#latest;
    this.#op = this.#show(text).finally(() => {
      this.#op = undefined;
      this.#kick();
    });
  }

  async #show(text: string): Promise<void> {
    try {
      if (this.#messageId === undefined) this.#messageId = await this.target.post(text);
      else await this.target.edit(this.#messageId, text);
      this.#shown = text;
    } catch (error) {
      this.onError(error);
    }
  }

  /** No more updates: the generation is over. */
  close(): void {
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** Waits for an edit or post under way. */
  async settled(): Promise<void> {
    while (this.#op) await this.#op;
  }

  /**
   * Edits the preview into the final text, no sooner than one interval after the last edit; resolves to the
   * preview's message id, or undefined when nothing was ever shown (the caller posts the text itself).
   */
  async finalize(text: string): Promise<string | undefined> {
    this.close();
    await this.settled();
    const id = this.#messageId;
    if (id === undefined) return undefined;
    const wait = this.#lastOpAt + this.intervalMs - this.scheduler.now();
    if (wait > 0) await new Promise<void>((resolve) => this.scheduler.after(wait, resolve));
    this.#lastOpAt = this.scheduler.now();
    await this.target.edit(id, fitMessage(text));
    this.#shown = text;
    return id;
  }

  /** Removes the preview (its reply was abandoned). */
  async discard(): Promise<void> {
    this.close();
    await this.settled();
    if (this.#messageId !== undefined) await this.target.remove(this.#messageId);
    this.#messageId = undefined;
  }
}
