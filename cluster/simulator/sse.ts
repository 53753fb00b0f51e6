// Server-sent events as LM Studio frames them on /v1/chat/completions: `data: <json>\n\n` only (no `event:`
// lines, no comments or keep-alives), ending with `data: [DONE]\n\n`. Carries the mid-stream disconnect fault.
import type { ServerResponse } from 'node:http';

export class SseWriter {
  #frames = 0;
  #cut = false;

  /** @param disconnectAfter destroy the socket once this many frames are written; null: never. */
  constructor(
    private readonly res: ServerResponse,
    private readonly disconnectAfter: number | null,
  ) {}

  /** False once the client is gone or the stream was cut; the caller stops producing. */
  get open(): boolean {
    return !this.#cut && !this.res.destroyed && !this.res.writableEnded;
  }

  start(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    if (this.disconnectAfter === 0) this.#cutNow();
    // Headers go out now: a client sees the stream start before the first token.
    else this.res.flushHeaders();
  }

  send(payload: unknown): boolean {
    return this.#frame(JSON.stringify(payload));
  }

  /** Writes `[DONE]` and ends the response. */
  done(): void {
    if (this.#frame('[DONE]')) this.res.end();
  }

  #frame(data: string): boolean {
    if (!this.open) return false;
    this.#frames++;
    if (this.disconnectAfter !== null && this.#frames >= this.disconnectAfter) {
      this.#cut = true;
      // Destroyed once the frame is flushed, so the client does receive the N frames before the cut.
      this.res.write(`data: ${data}\n\n`, () => this.res.socket?.destroy());
      return false;
    }
    this.res.write(`data: ${data}\n\n`);
    return true;
  }

  #cutNow(): void {
    this.#cut = true;
    this.res.flushHeaders();
    this.res.socket?.destroy();
  }
}
