// Incremental Server-Sent Events decoder (WHATWG event-stream rules): bytes in, complete events out.
// Network chunks may split anywhere — inside a UTF-8 character, inside a line, between CR and LF — so the
// decoder keeps the unfinished tail and only emits an event once its terminating blank line has arrived.

export interface SseEvent {
  /** The `event:` field, or 'message' when absent. */
  event: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
}

export class SseLimitError extends Error {
  constructor(readonly limit: number) {
    super(`an event-stream event is longer than ${limit} characters`);
    this.name = 'SseLimitError';
  }
}

export class SseDecoder {
  readonly #text = new TextDecoder('utf-8');
  readonly #maxEventChars: number;
  /** The unfinished last line. */
  #tail = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to the same line end. */
  #skipLf = false;
  #data: string[] = [];
  #dataChars = 0;
  #event = '';

  constructor(maxEventChars = 1 << 20) {
    this.#maxEventChars = maxEventChars;
  }

  /** Feeds a chunk; returns the events it completed, in order. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.#feed(this.#text.decode(bytes, { stream: true }));
  }

  /** Ends the stream. An event without its closing blank line is incomplete and dropped, as the spec says. */
  end(): SseEvent[] {
    const events = this.#feed(this.#text.decode());
    this.#tail = '';
    this.#data = [];
    this.#dataChars = 0;
    this.#event = '';
    return events;
  }

  #feed(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.#skipLf && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.#skipLf = false;
    }
    const buffer = this.#tail + text;
    const events: SseEvent[] = [];
    let start = 0;
    const lineEnd = /[\r\n]/g;
    lineEnd.lastIndex = this.#tail.length; // the tail holds no line end: scan only the new text
    for (let match = lineEnd.exec(buffer); match; match = lineEnd.exec(buffer)) {
      const at = match.index;
      this.#line(buffer.slice(start, at), events);
      start = at + 1;
      if (buffer[at] === '\r') {
        if (at + 1 === buffer.length) this.#skipLf = true;
        else if (buffer[at + 1] === '\n') start++;
      }
      lineEnd.lastIndex = start;
    }
    this.#tail = buffer.slice(start);
    if (this.#tail.length + this.#dataChars > this.#maxEventChars)
      throw new SseLimitError(this.#maxEventChars);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0)
        events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
      this.#data = [];
      this.#dataChars = 0;
      this.#event = '';
      return;
    }
    if (line.startsWith(':')) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.#data.push(value);
      this.#dataChars += value.length + 1;
      if (this.#dataChars > this.#maxEventChars) throw new SseLimitError(this.#maxEventChars);
    } else if (field === 'event') {
      this.#event = value;
    }
    // `id` and `retry` only matter to reconnecting EventSource clients; a chat reply cannot be resumed.
  }
}
