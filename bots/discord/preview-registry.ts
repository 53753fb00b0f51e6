// The streamed previews waiting for their reply to be sent, by (inbox message answered, entity). Bounded in
// size, and each expires: a preview whose reply never comes (abandoned, or emptied by post-processing) is
// removed from the channel rather than left showing half a sentence.
import type { Scheduler, StreamedPreview } from './streamed-preview.js';

interface Entry {
  preview: StreamedPreview;
  cancelExpiry: (() => void) | undefined;
}

export interface PreviewRegistryOptions {
  scheduler: Scheduler;
  /** How long a finished preview waits for its reply before it is removed, in ms. */
  ttlMs: number;
  /** Previews kept at most; the oldest is removed beyond it. */
  maxEntries: number;
  onError: (error: unknown) => void;
}

export const previewKey = (messageId: number, entityId: string): string => `${messageId}:${entityId}`;

export class PreviewRegistry {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly o: PreviewRegistryOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps a preview under `key`, replacing (and removing) an older one there. */
  add(key: string, preview: StreamedPreview): void {
    this.#drop(key);
    this.#entries.set(key, { preview, cancelExpiry: undefined });
    while (this.#entries.size > this.o.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#drop(oldest);
    }
  }

  /** The generation is over: the preview now waits at most `ttlMs` for its reply. */
  finished(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.preview.close();
    entry.cancelExpiry?.();
    entry.cancelExpiry = this.o.scheduler.after(this.o.ttlMs, () => this.#drop(key));
  }

  /** Hands the preview over to the sender of its reply (it is no longer tracked here). */
  take(key: string): StreamedPreview | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    entry.cancelExpiry?.();
    this.#entries.delete(key);
    return entry.preview;
  }

  /** Removes every preview still shown (shutdown). */
  async clear(): Promise<void> {
    const all = [...this.#entries.keys()];
    await Promise.all(all.map((key) => this.#drop(key)));
  }

  #drop(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (!entry) return Promise.resolve();
    entry.cancelExpiry?.();
    this.#entries.delete(key);
    return entry.preview.discard().catch(this.o.onError);
  }
}
