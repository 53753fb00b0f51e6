// One HTTP exchange with signal-cli-rest-api: axios with responses kept as text (the receive body is JSON sent as
// text/plain, so nothing is parsed by content type), a deadline of our own linked to the caller's AbortSignal
// (axios' own timeout only watches socket idleness), and every failure turned into a SignalError.
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Logger } from '../../../core/logger.js';
import { badResponse, errorFromResponse, errorFromTransport, SignalError, timeoutError } from './errors.js';

export interface CallOptions {
  /** Sent as JSON (also on DELETE, which typing, reactions and remote delete need). */
  body?: unknown;
  query?: Record<string, string>;
  /** Deadline for this call in ms. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface RawResponse {
  status: number;
  text: string;
}

export class HttpCaller {
  private readonly http: AxiosInstance;

  constructor(
    baseUrl: string,
    private readonly logger: Logger,
  ) {
    this.http = axios.create({
      baseURL: baseUrl.replace(/\/+$/, ''),
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  /**
   * `endpoint` names the call in errors and logs with placeholders (`GET /v1/receive/{number}`), so neither
   * carries the account. A caller's abort rejects with the signal's reason, not a SignalError.
   */
  async call(method: Method, path: string, endpoint: string, options: CallOptions): Promise<RawResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const caller = options.signal;
    const onAbort = () => controller.abort();
    if (caller?.aborted === true) controller.abort();
    caller?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.http.request<unknown>({
        method,
        url: path,
        params: options.query,
        data: options.body,
        headers: options.body === undefined ? {} : { 'Content-Type': 'application/json' },
        signal: controller.signal,
      });
      const text = typeof response.data === 'string' ? response.data : '';
      if (response.status < 200 || response.status >= 300) {
        const error = errorFromResponse(endpoint, response.status, text);
        this.logger.debug('signal call failed', { endpoint, status: response.status, code: error.code });
        throw error;
      }
      return { status: response.status, text };
    } catch (error) {
      if (error instanceof SignalError) throw error;
      if (caller?.aborted === true)
        throw caller.reason instanceof Error ? caller.reason : new Error('aborted');
      if (timedOut) throw timeoutError(endpoint, options.timeoutMs);
      throw errorFromTransport(endpoint, error);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }
}

/** The body parsed as JSON, or a bad_response error naming the endpoint. */
export function parseJson(endpoint: string, raw: RawResponse): unknown {
  try {
    return JSON.parse(raw.text) as unknown;
  } catch {
    throw badResponse(
      endpoint,
      `response is not JSON (${JSON.stringify(raw.text.slice(0, 80))})`,
      raw.status,
    );
  }
}
