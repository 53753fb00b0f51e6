// A streamed chat reply: an async iterable of typed events read from the response body as it arrives, and
// `collect()` for the whole reply. Read once; breaking out of the loop releases the connection.
import type { ChatStreamParser, ChatStreamItem } from './chat-stream-parser.js';
import type { LmStudioError, ReceivedSoFar, ServerErrorBody } from './errors.js';
import type { ChatReply, ChatStreamEvent, Usage } from './types.js';

/** How the stream turns failures into errors and gives back its deadline; supplied by the client. */
export interface ChatStreamHooks {
  /** Maps anything thrown while reading (socket, deadline, abort, format). */
  failure(error: unknown, received: ReceivedSoFar): unknown;
  /** The body ended before the reply was complete. */
  cut(received: ReceivedSoFar): LmStudioError;
  /** The server sent an error object inside the stream. */
  refused(body: ServerErrorBody, received: ReceivedSoFar): LmStudioError;
  /** Called once when the stream is finished, failed or cancelled. */
  release(): void;
}

interface StreamBody extends AsyncIterable<Uint8Array> {
  destroy(): void;
}

export class ChatStream implements AsyncIterable<ChatStreamEvent> {
  readonly #body: StreamBody;
  readonly #parser: ChatStreamParser;
  readonly #hooks: ChatStreamHooks;
  readonly #received: ReceivedSoFar = { content: '', reasoning: '' };
  #read = false;
  #released = false;

  constructor(body: StreamBody, parser: ChatStreamParser, hooks: ChatStreamHooks) {
    this.#body = body;
    this.#parser = parser;
    this.#hooks = hooks;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    if (this.#read) throw new Error('this ChatStream has already been read');
    this.#read = true;
    return this.#events();
  }

  /** Reads the whole stream into one reply, telling `onText` the text so far as it grows. */
  async collect(onText?: (text: string, model: string) => void): Promise<ChatReply> {
    let id = '';
    let model = '';
    let text = '';
    let reasoning = '';
    let finishReason: string | null = null;
    let usage: Usage | null = null;
    for await (const event of this) {
      if (event.type === 'start') model = event.model;
      else if (event.type === 'content') {
        text += event.text;
        onText?.(text, model);
      } else if (event.type === 'reasoning') reasoning += event.text;
      else if (event.type === 'usage') usage = event.usage;
      else if (event.type === 'done') {
        id = event.id;
        model = event.model;
        finishReason = event.finishReason;
      }
    }
    return { id, model, text, reasoning, finishReason, usage };
  }

  /** Stops a stream that will not be read, releasing its connection. */
  cancel(): void {
    if (this.#read) return;
    this.#read = true;
    this.#body.destroy();
    this.#release();
  }

  async *#events(): AsyncGenerator<ChatStreamEvent, void, undefined> {
    let done: ChatStreamEvent | undefined;
    let ended = false;
    try {
      for await (const chunk of this.#body) {
        // After [DONE] the body is drained to its end, so the keep-alive connection can be reused.
        if (done) continue;
        for (const item of this.#parser.push(chunk)) {
          if (item.type === 'done') done = item;
          else yield this.#accept(item);
        }
      }
      ended = true;
      if (!done) {
        const { items, complete } = this.#parser.end();
        for (const item of items) {
          if (item.type === 'done') done = item;
          else yield this.#accept(item);
        }
        if (!complete) throw this.#hooks.cut({ ...this.#received });
      }
    } catch (error) {
      // Once [DONE] has arrived the reply is whole; a failure while draining the rest does not matter.
      if (!done) throw this.#hooks.failure(error, { ...this.#received });
    } finally {
      if (!ended) this.#body.destroy();
      this.#release();
    }
    if (done) yield done;
  }

  #accept(item: Exclude<ChatStreamItem, { type: 'done' }>): ChatStreamEvent {
    if (item.type === 'error') throw this.#hooks.refused(item.error, { ...this.#received });
    if (item.type === 'content') this.#received.content += item.text;
    else if (item.type === 'reasoning') this.#received.reasoning += item.text;
    return item;
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#hooks.release();
  }
}
