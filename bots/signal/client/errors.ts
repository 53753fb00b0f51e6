// What can go wrong talking to signal-cli-rest-api, as one error class with a stable `code`, and the functions
// that classify a response or a transport failure (reference §1.7). Messages never carry request bodies.

export type SignalErrorCode =
  | 'rate_limited'
  | 'bad_request'
  | 'not_found'
  | 'unauthorized'
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'bad_response';

export interface SignalErrorDetails {
  status?: number | undefined;
  /** Non-empty challenge tokens for POST /v1/accounts/{number}/rate-limit-challenge. */
  challengeTokens?: string[] | undefined;
  retryAfterSeconds?: number | undefined;
  /** Method and path, e.g. `POST /v2/send`. */
  endpoint?: string | undefined;
  /** The server's `error` text, when it sent one. */
  serverMessage?: string | undefined;
  /** A json-rpc 429 whose challenge_tokens were all empty: the message may have been delivered (issue #881). */
  possiblyDelivered?: boolean | undefined;
  cause?: unknown;
}

export class SignalError extends Error {
  override readonly name = 'SignalError';
  readonly code: SignalErrorCode;
  readonly status?: number;
  readonly challengeTokens: string[];
  readonly retryAfterSeconds?: number;
  readonly endpoint?: string;
  readonly serverMessage?: string;
  readonly possiblyDelivered: boolean;

  constructor(code: SignalErrorCode, message: string, details: SignalErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    this.challengeTokens = details.challengeTokens ?? [];
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.endpoint !== undefined) this.endpoint = details.endpoint;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
    this.possiblyDelivered = details.possiblyDelivered ?? false;
  }

  /**
   * Whether the same request may succeed later: network, timeout, server_error, and rate_limited (after
   * retryAfterSeconds or a solved challenge). A timed-out send may still have been delivered.
   */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

const RETRYABLE = new Set<SignalErrorCode>(['network', 'timeout', 'server_error', 'rate_limited']);

/** Token and wait time out of signal-cli's captcha text (normal/native mode 400), or undefined if it is not one. */
export function parseCaptchaText(
  text: string,
): { challengeTokens: string[]; retryAfterSeconds?: number } | undefined {
  if (!/CAPTCHA proof required|rate limit/i.test(text)) return undefined;
  const challengeTokens = [...text.matchAll(/challenge token "([^"]*)"/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => t !== '');
  const wait = /wait "(\d+)" seconds/.exec(text);
  const seconds = wait?.[1] === undefined ? undefined : Number(wait[1]);
  return seconds === undefined ? { challengeTokens } : { challengeTokens, retryAfterSeconds: seconds };
}

/** The `error` text of a `{"error":"…"}` body, if the body is one (raw text or already parsed). */
export function serverErrorText(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return body.trim() === '' ? undefined : body.trim();
    }
  }
  if (typeof value === 'object' && value !== null && 'error' in value) {
    const error = (value as { error: unknown }).error;
    if (typeof error === 'string') return error;
  }
  return undefined;
}

function parsedObject(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies a response with a non-2xx status. `body` is the raw response text. */
export function errorFromResponse(endpoint: string, status: number, body: string): SignalError {
  const text = serverErrorText(body);
  const base = { status, endpoint, serverMessage: text };
  const say = (what: string) => `signal-cli-rest-api ${endpoint}: ${status} ${what}`;
  if (status === 429) {
    const object = parsedObject(body);
    const raw = Array.isArray(object?.['challenge_tokens']) ? (object['challenge_tokens'] as unknown[]) : [];
    const tokens = raw.filter((t): t is string => typeof t === 'string');
    const challengeTokens = tokens.filter((t) => t !== '');
    return new SignalError('rate_limited', say(text ?? 'rate limited'), {
      ...base,
      challengeTokens,
      possiblyDelivered: tokens.length > 0 && challengeTokens.length === 0,
    });
  }
  if (status === 400 && text !== undefined) {
    const captcha = parseCaptchaText(text);
    if (captcha !== undefined) {
      return new SignalError('rate_limited', say(firstLine(text)), { ...base, ...captcha });
    }
  }
  const what = text === undefined ? 'without an error text' : firstLine(text);
  if (status === 401 || status === 403) return new SignalError('unauthorized', say(what), base);
  if (status === 404) return new SignalError('not_found', say(what), base);
  if (status >= 500) return new SignalError('server_error', say(what), base);
  if (status >= 400) return new SignalError('bad_request', say(what), base);
  return new SignalError('bad_response', say(`unexpected status (${what})`), base);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Classifies a failure without a response: a refused or dropped connection is `network`. */
export function errorFromTransport(endpoint: string, cause: unknown): SignalError {
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const known = typeof code === 'string' && NETWORK_CODES.has(code) ? code : 'connection failed';
  return new SignalError('network', `signal-cli-rest-api ${endpoint}: ${known} (${detail})`, {
    endpoint,
    cause,
  });
}

export function timeoutError(endpoint: string, ms: number): SignalError {
  return new SignalError('timeout', `signal-cli-rest-api ${endpoint}: no answer within ${ms} ms`, {
    endpoint,
  });
}

export function badResponse(endpoint: string, what: string, status?: number): SignalError {
  return new SignalError('bad_response', `signal-cli-rest-api ${endpoint}: ${what}`, { endpoint, status });
}
