// Builds the LmStudioError for one server and call: what failed (status, body, socket, deadline, abort,
// stream cut) plus where (server, endpoint, model) and, for streams, how much text had arrived.
import type { SecretRedactor } from '../../core/secret.js';
import type { CallScope } from './call-scope.js';
import { ChatStreamFormatError } from './chat-stream-parser.js';
import { classifyServerError, classifySocketError, describeSocketError } from './error-classification.js';
import {
  LmStudioError,
  LmStudioResponseError,
  LmStudioServerError,
  LmStudioTransportError,
  type ErrorContext,
  type ReceivedSoFar,
  type ServerErrorBody,
} from './errors.js';
import type { EndpointCall } from './http-transport.js';

export class CallErrors {
  constructor(
    private readonly server: string,
    /** Removes the API key from anything the server sent back (a server may echo the header). */
    private readonly redactor: SecretRedactor,
  ) {}

  /**
   * The LmStudioError for anything thrown during a call. `received` is set once a chat stream has started:
   * a socket failure is then `stream_interrupted`. Programming errors are returned unchanged.
   */
  failure(call: EndpointCall, scope: CallScope, error: unknown, received?: ReceivedSoFar): unknown {
    if (error instanceof LmStudioError) return error;
    const context = this.#context(call, received);
    const kind = scope.abortKind;
    if (kind === 'timeout') {
      const detail = `no complete answer within ${scope.deadlineMs} ms`;
      return new LmStudioTransportError(context, 'timeout', detail);
    }
    if (kind === 'aborted') {
      return new LmStudioTransportError(context, 'aborted', 'aborted by the caller', scope.callerReason);
    }
    if (error instanceof ChatStreamFormatError) return this.badResponse(call, 200, error.message, received);
    const socket = classifySocketError(error);
    if (socket === undefined) return error;
    const detail = this.redactor.redact(describeSocketError(error));
    if (received && socket === 'network') return this.interrupted(call, received, detail, error);
    return new LmStudioTransportError(context, socket, detail, error);
  }

  /** A chat stream that broke (socket closed, or the body ended) before its reply was complete. */
  interrupted(call: EndpointCall, received: ReceivedSoFar, detail: string, cause?: unknown): LmStudioError {
    const after = `after ${received.content.length} characters of text and ${received.reasoning.length} of reasoning`;
    const message = `the stream broke ${after}: ${detail}`;
    return new LmStudioTransportError(this.#context(call, received), 'stream_interrupted', message, cause);
  }

  /** The server answered with an error (any status, or inside a stream). */
  refusal(
    call: EndpointCall,
    status: number,
    body: ServerErrorBody,
    received?: ReceivedSoFar,
  ): LmStudioError {
    const redacted = { ...body, message: this.redactor.redact(body.message) };
    const code = classifyServerError(status, redacted);
    return new LmStudioServerError(this.#context(call, received), code, status, redacted);
  }

  /** The server answered 2xx with something that is not the documented shape. */
  badResponse(call: EndpointCall, status: number, detail: string, received?: ReceivedSoFar): LmStudioError {
    return new LmStudioResponseError(this.#context(call, received), status, this.redactor.redact(detail));
  }

  #context(call: EndpointCall, received: ReceivedSoFar | undefined): ErrorContext {
    return { server: this.server, endpoint: `${call.method} ${call.path}`, model: call.model, received };
  }
}
