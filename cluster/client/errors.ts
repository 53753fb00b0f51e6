// What can go wrong talking to one LM Studio server, as three error classes with stable codes.
// Callers match on `code` (and `retryable`), never on message text; messages never contain the API key.

export type LmStudioErrorCode =
  | 'model_not_found'
  | 'bad_request'
  | 'unauthorized'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'bad_response'
  | 'stream_interrupted';

/** Text that had already streamed in when a chat stream failed. */
export interface ReceivedSoFar {
  content: string;
  reasoning: string;
}

export interface ErrorContext {
  /** The server's origin, e.g. `http://127.0.0.1:1234`. */
  server: string;
  /** Method and path, e.g. `POST /v1/chat/completions`. */
  endpoint: string;
  /** The model the request named, when it named one. */
  model?: string | undefined;
  /** Set for failures after a chat stream had started. */
  received?: ReceivedSoFar | undefined;
}

export abstract class LmStudioError extends Error {
  abstract readonly code: LmStudioErrorCode;
  /** Whether the same request may succeed if sent again (here or on another server). */
  abstract readonly retryable: boolean;
  readonly server: string;
  readonly endpoint: string;
  readonly model: string | undefined;
  readonly received: ReceivedSoFar | undefined;

  protected constructor(context: ErrorContext, detail: string, options?: { cause?: unknown }) {
    super(`LM Studio ${context.server} ${context.endpoint}: ${detail}`, options);
    this.server = context.server;
    this.endpoint = context.endpoint;
    this.model = context.model;
    this.received = context.received;
  }
}

export type ServerErrorCode = 'model_not_found' | 'bad_request' | 'unauthorized' | 'server_error';

/** The server's own error object, as far as it sent one (OpenAI shape, or a bare string). */
export interface ServerErrorBody {
  message: string;
  type?: string | undefined;
  param?: string | undefined;
  code?: string | undefined;
}

/**
 * The server answered with an error: HTTP 4xx/5xx, a 200 whose body is an error (LM Studio answers unknown
 * paths that way), or an error event inside a chat stream (`status` is then 200).
 */
export class LmStudioServerError extends LmStudioError {
  override readonly name = 'LmStudioServerError';
  readonly code: ServerErrorCode;
  readonly retryable: boolean;
  readonly status: number;
  readonly body: ServerErrorBody;

  constructor(context: ErrorContext, code: ServerErrorCode, status: number, body: ServerErrorBody) {
    const label = body.code ?? body.type;
    super(context, `HTTP ${status}${label ? ` ${label}` : ''}: ${body.message}`);
    this.code = code;
    this.status = status;
    this.body = body;
    // A failure after content streamed out is not retried: the caller may already have shown that text.
    this.retryable = code === 'server_error' && !context.received?.content;
  }
}

export type TransportErrorCode = 'network' | 'timeout' | 'aborted' | 'stream_interrupted';

/** No complete answer arrived: the connection failed, the deadline passed, the caller aborted, or a stream broke. */
export class LmStudioTransportError extends LmStudioError {
  override readonly name = 'LmStudioTransportError';
  readonly code: TransportErrorCode;
  readonly retryable: boolean;

  constructor(context: ErrorContext, code: TransportErrorCode, detail: string, cause?: unknown) {
    super(context, detail, cause === undefined ? undefined : { cause });
    this.code = code;
    this.retryable =
      code === 'network' ||
      code === 'timeout' ||
      (code === 'stream_interrupted' && !context.received?.content);
  }
}

/** The server answered 2xx with something that is not the documented shape. */
export class LmStudioResponseError extends LmStudioError {
  override readonly name = 'LmStudioResponseError';
  readonly code = 'bad_response';
  readonly retryable = false;
  readonly status: number;

  constructor(context: ErrorContext, status: number, detail: string) {
    super(context, `unexpected response (HTTP ${status}): ${detail}`);
    this.status = status;
  }
}
