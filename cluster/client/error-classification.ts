// Turns what the server or the socket did into one of the stable error codes. Pure functions, so every rule
// (LM Studio's two "model not found" forms, the 200-with-error body) is tested without a network.
import type { ServerErrorBody, ServerErrorCode } from './errors.js';

// "No models loaded. Please load a model…" (400, code null, 0.4.24), "Model "x" not found…" (404),
// "Invalid model identifier "x"…" (/api/v1, 404).
const MODEL_MISSING = /no models loaded|not found|invalid model identifier/i;

/** Which code a server-reported error gets. `status` is 200 for 200-with-error bodies and in-stream errors. */
export function classifyServerError(status: number, body: ServerErrorBody): ServerErrorCode {
  if (body.code === 'model_not_found') return 'model_not_found';
  const aboutModel = body.param === 'model' && (status === 404 || MODEL_MISSING.test(body.message));
  if (aboutModel) return 'model_not_found';
  if (status === 401 || status === 403 || body.code === 'invalid_api_key') return 'unauthorized';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  // A 2xx carrying an error: LM Studio's "Unexpected endpoint or method" is a refusal; anything the server
  // reports without saying the request was invalid is treated as its own failure.
  return body.type === undefined || /invalid_request/.test(body.type) ? 'bad_request' : 'server_error';
}

const MAX_MESSAGE = 500;

const clip = (text: string): string => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Reads an error body: `{"error":{"message",…}}`, `{"error":"text"}`, or anything else (its text is the
 * message). Returns undefined for a 2xx JSON value that is not an error.
 */
export function readErrorBody(json: unknown): ServerErrorBody | undefined {
  if (json === null || typeof json !== 'object' || !('error' in json)) return undefined;
  const error: unknown = json.error;
  if (typeof error === 'string') return { message: clip(error) };
  if (error === null || typeof error !== 'object') return { message: clip(JSON.stringify(error)) };
  const fields = error as Record<string, unknown>;
  return {
    message: clip(optionalString(fields.message) ?? JSON.stringify(error)),
    type: optionalString(fields.type),
    param: optionalString(fields.param),
    code: optionalString(fields.code),
  };
}

/** The error body of a failed status: its error object, or its text (HTML from a proxy, empty, …). */
export function readErrorText(text: string): ServerErrorBody {
  try {
    const body = readErrorBody(JSON.parse(text));
    if (body) return body;
  } catch {
    // not JSON: the text itself is the message
  }
  const trimmed = text.trim();
  return { message: trimmed === '' ? '(empty body)' : clip(trimmed) };
}

export type SocketFailure = 'network' | 'timeout';

// Connection-level codes from node:net and undici; anything else is a programming error and is rethrown.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const errorCode = (error: unknown): string | undefined =>
  error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** Classifies an error thrown by the socket layer, or returns undefined when it is not a transport failure. */
export function classifySocketError(error: unknown): SocketFailure | undefined {
  const code = errorCode(error);
  // An AggregateError from a dual-stack connect may carry its code only on the per-address errors.
  if (code === undefined)
    return error instanceof AggregateError ? classifySocketError(error.errors[0]) : undefined;
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return NETWORK_CODES.has(code) ? 'network' : undefined;
}

/** A short description of a socket error for messages: its code and message. */
export function describeSocketError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
