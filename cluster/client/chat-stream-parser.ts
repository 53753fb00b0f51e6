// Pure parser of a `/v1/chat/completions` SSE body: bytes in, typed chat events out. No I/O, so every split
// of a recorded stream can be replayed in a unit test. Frames (reference §1.8): `data: <chunk json>`, a usage
// chunk with empty `choices`, `data: [DONE]`; an error object may arrive inside the stream instead.
import { readErrorBody } from './error-classification.js';
import type { ServerErrorBody } from './errors.js';
import { chatChunkSchema, describeIssue, toUsage } from './schemas.js';
import { SseDecoder, SseLimitError, type SseEvent } from './sse-decoder.js';
import type { ChatStreamEvent } from './types.js';

/** A chat event, or the error object the server sent inside the stream. */
export type ChatStreamItem = ChatStreamEvent | { type: 'error'; error: ServerErrorBody };

/** The stream is not what LM Studio sends (invalid JSON, wrong shape, oversized event). */
export class ChatStreamFormatError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'ChatStreamFormatError';
  }
}

export class ChatStreamParser {
  readonly #sse: SseDecoder;
  #id = '';
  #model = '';
  #started = false;
  #finishReason: string | null = null;
  #finished = false;
  #done = false;

  constructor(maxEventChars?: number) {
    this.#sse = new SseDecoder(maxEventChars);
  }

  /** True once `[DONE]` (or an in-stream error) has been seen; later bytes are ignored. */
  get done(): boolean {
    return this.#done;
  }

  push(bytes: Uint8Array): ChatStreamItem[] {
    if (this.#done) return [];
    return this.#handle(this.#decode(() => this.#sse.push(bytes)));
  }

  /**
   * Ends the body. A stream cut after its finish_reason but before `[DONE]` still carries a whole reply, so it
   * completes; `complete: false` means the reply was cut short.
   */
  end(): { items: ChatStreamItem[]; complete: boolean } {
    if (this.#done) return { items: [], complete: true };
    const items = this.#handle(this.#decode(() => this.#sse.end()));
    if (!this.#done && this.#finished) items.push(this.#doneEvent());
    return { items, complete: this.#done };
  }

  #decode(read: () => SseEvent[]): SseEvent[] {
    try {
      return read();
    } catch (error) {
      if (error instanceof SseLimitError) throw new ChatStreamFormatError(error.message);
      throw error;
    }
  }

  #handle(events: SseEvent[]): ChatStreamItem[] {
    const items: ChatStreamItem[] = [];
    for (const event of events) {
      if (this.#done) break;
      this.#frame(event, items);
    }
    return items;
  }

  #frame(event: SseEvent, items: ChatStreamItem[]): void {
    if (event.data.trim() === '[DONE]') {
      if (!this.#started) throw new ChatStreamFormatError('the stream ended ([DONE]) before any chunk');
      items.push(this.#doneEvent());
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      throw new ChatStreamFormatError(`a stream event is not JSON: ${event.data.slice(0, 80)}`);
    }
    const error =
      readErrorBody(json) ?? (event.event === 'error' ? readErrorBody({ error: json }) : undefined);
    if (error) {
      this.#done = true;
      items.push({ type: 'error', error });
      return;
    }
    const parsed = chatChunkSchema.safeParse(json);
    if (!parsed.success) throw new ChatStreamFormatError(`stream chunk ${describeIssue(parsed.error)}`);
    const chunk = parsed.data;
    if (!this.#started) {
      this.#started = true;
      this.#id = chunk.id;
      this.#model = chunk.model;
      items.push({ type: 'start', id: chunk.id, model: chunk.model });
    }
    // Only the first choice is read: the client never asks for n > 1.
    const choice = chunk.choices.find((c) => (c.index ?? 0) === 0);
    const reasoning = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
    if (reasoning) items.push({ type: 'reasoning', text: reasoning });
    if (choice?.delta?.content) items.push({ type: 'content', text: choice.delta.content });
    if (choice?.finish_reason) {
      this.#finishReason = choice.finish_reason;
      this.#finished = true;
    }
    if (chunk.usage) items.push({ type: 'usage', usage: toUsage(chunk.usage) });
  }

  #doneEvent(): ChatStreamEvent {
    this.#done = true;
    return { type: 'done', id: this.#id, model: this.#model, finishReason: this.#finishReason };
  }
}
