// The HTTP half of the Signal client: one axios instance per account, every call under a deadline, responses read
// as text and checked here (the receive body is a JSON array sent as text/plain; send answers in two shapes).
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Logger } from '../../../core/logger.js';
import { badResponse, errorFromResponse, errorFromTransport, SignalError, timeoutError } from './errors.js';
import { toGroupSendId } from './group-ids.js';
import type { OutgoingMessage, SignalAbout, SignalClientOptions, SignalGroup } from './types.js';

const MODES = new Set(['normal', 'native', 'json-rpc']);

export interface ReceiveOptions {
  /** The server's `timeout` query parameter in seconds (default 1): it collects messages this long. */
  timeoutSeconds?: number;
  /** `max_messages` (0 or absent: unlimited). */
  maxMessages?: number;
  signal?: AbortSignal;
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

interface RawResponse {
  status: number;
  text: string;
}

export class SignalClient {
  readonly number: string;
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(options: SignalClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new Error(`SignalClient: baseUrl must start with http:// or https://, got "${options.baseUrl}"`);
    }
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new Error(`SignalClient: timeoutMs must be a positive number, got ${options.timeoutMs}`);
    }
    if (options.number.trim() === '') throw new Error('SignalClient: number must not be empty');
    this.number = options.number;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger.child({ component: 'signal-client' });
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  async about(): Promise<SignalAbout> {
    const endpoint = 'GET /v1/about';
    const body = this.json(endpoint, await this.call('GET', '/v1/about'));
    const mode =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['mode'] : undefined;
    const o = body as Record<string, unknown>;
    if (typeof mode !== 'string' || !MODES.has(mode)) {
      throw badResponse(
        endpoint,
        `unknown mode ${JSON.stringify(mode)} (expected normal, native or json-rpc)`,
      );
    }
    const about: SignalAbout = {
      mode: mode as SignalAbout['mode'],
      version: typeof o['version'] === 'string' ? o['version'] : 'unset',
      versions: Array.isArray(o['versions'])
        ? o['versions'].filter((v): v is string => typeof v === 'string')
        : [],
    };
    if (typeof o['build'] === 'number') about.build = o['build'];
    const capabilities = o['capabilities'];
    if (typeof capabilities === 'object' && capabilities !== null) {
      about.capabilities = Object.fromEntries(
        Object.entries(capabilities).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []]),
      );
    }
    return about;
  }

  /** GET /v1/health: resolves when the server answers 204. */
  async health(): Promise<void> {
    await this.call('GET', '/v1/health');
  }

  /** normal/native mode: one GET /v1/receive/{number}; the HTTP deadline is the receive timeout plus timeoutMs. */
  async receive(options: ReceiveOptions = {}): Promise<unknown[]> {
    const seconds = options.timeoutSeconds ?? 1;
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new Error(`SignalClient.receive: timeoutSeconds must be a whole number >= 0, got ${seconds}`);
    }
    const query: Record<string, string> = { timeout: String(seconds) };
    if (options.maxMessages !== undefined) query['max_messages'] = String(options.maxMessages);
    const path = `/v1/receive/${this.account}`;
    const raw = await this.call('GET', path, {
      query,
      timeoutMs: seconds * 1000 + this.timeoutMs,
      signal: options.signal,
    });
    const body = this.json('GET /v1/receive/{number}', raw);
    if (!Array.isArray(body))
      throw badResponse('GET /v1/receive/{number}', 'expected a JSON array', raw.status);
    if (body.length > 0) this.logger.debug('signal receive', { items: body.length });
    return body;
  }

  /** POST /v2/send; accepts the 0.100 `{timestamp:"…"}` and the newer array shape; returns the timestamp. */
  async send(message: OutgoingMessage): Promise<{ timestamp: number }> {
    const endpoint = 'POST /v2/send';
    if (message.recipients.length === 0) {
      throw new SignalError('bad_request', `signal-cli-rest-api ${endpoint}: no recipients`, { endpoint });
    }
    const raw = await this.call('POST', '/v2/send', { body: this.sendBody(message) });
    const timestamp = this.sendTimestamp(endpoint, this.json(endpoint, raw), raw.status);
    this.logger.debug('signal sent', {
      recipients: message.recipients.length,
      chars: message.message.length,
      timestamp,
    });
    return { timestamp };
  }

  /** Shows (PUT) or hides (DELETE, with a JSON body) the typing indicator. */
  async typing(recipient: string, on: boolean): Promise<void> {
    await this.call(on ? 'PUT' : 'DELETE', `/v1/typing-indicator/${this.account}`, { body: { recipient } });
  }

  async react(
    recipient: string,
    targetAuthor: string,
    targetTimestamp: number,
    emoji: string,
    remove = false,
  ): Promise<void> {
    const body = { recipient, reaction: emoji, target_author: targetAuthor, timestamp: targetTimestamp };
    await this.call(remove ? 'DELETE' : 'POST', `/v1/reactions/${this.account}`, { body });
  }

  /** Read receipt for a message (signalbot sends none for groups; neither should callers). */
  async receipt(recipient: string, timestamp: number, type: 'read' | 'viewed' = 'read'): Promise<void> {
    await this.call('POST', `/v1/receipts/${this.account}`, {
      body: { recipient, receipt_type: type, timestamp },
    });
  }

  /** Deletes a message the bot sent, for everyone. */
  async remoteDelete(recipient: string, timestamp: number): Promise<void> {
    await this.call('DELETE', `/v1/remote-delete/${this.account}`, { body: { recipient, timestamp } });
  }

  async groups(): Promise<SignalGroup[]> {
    const endpoint = 'GET /v1/groups/{number}';
    const raw = await this.call('GET', `/v1/groups/${this.account}`);
    const body = this.json(endpoint, raw);
    if (!Array.isArray(body)) throw badResponse(endpoint, 'expected a JSON array', raw.status);
    const groups: SignalGroup[] = [];
    for (const entry of body) {
      const g = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
      const internalId = g['internal_id'];
      if (typeof internalId !== 'string' || internalId === '') {
        this.logger.warn('signal group entry without internal_id skipped');
        continue;
      }
      groups.push({
        id: typeof g['id'] === 'string' && g['id'] !== '' ? g['id'] : toGroupSendId(internalId),
        internalId,
        name: typeof g['name'] === 'string' ? g['name'] : '',
        members: Array.isArray(g['members'])
          ? g['members'].filter((m): m is string => typeof m === 'string')
          : [],
      });
    }
    return groups;
  }

  /** Lifts a rate limit with a token from SignalError.challengeTokens and a `signalcaptcha://…` captcha. */
  async solveChallenge(challengeToken: string, captcha: string): Promise<void> {
    await this.call('POST', `/v1/accounts/${this.account}/rate-limit-challenge`, {
      body: { challenge_token: challengeToken, captcha },
    });
  }

  private get account(): string {
    return encodeURIComponent(this.number);
  }

  private sendBody(message: OutgoingMessage): Record<string, unknown> {
    const body: Record<string, unknown> = {
      number: this.number,
      recipients: message.recipients,
      message: message.message,
    };
    if (message.textMode !== undefined) body['text_mode'] = message.textMode;
    if (message.attachments !== undefined && message.attachments.length > 0) {
      body['base64_attachments'] = message.attachments;
    }
    if (message.mentions !== undefined && message.mentions.length > 0) body['mentions'] = message.mentions;
    if (message.quote !== undefined) {
      body['quote_timestamp'] = message.quote.timestamp;
      body['quote_author'] = message.quote.author;
      if (message.quote.text !== undefined) body['quote_message'] = message.quote.text;
    }
    return body;
  }

  /** `{"timestamp":"…"}` (0.100) or `[{"timestamp":"…","errors":{…}}]` (master); strings or numbers. */
  private sendTimestamp(endpoint: string, body: unknown, status: number): number {
    const entry = Array.isArray(body) ? (body[0] as unknown) : body;
    const value =
      typeof entry === 'object' && entry !== null
        ? (entry as Record<string, unknown>)['timestamp']
        : undefined;
    const timestamp = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) {
      throw badResponse(
        endpoint,
        `no usable timestamp in the send response (${JSON.stringify(value)})`,
        status,
      );
    }
    const errors = (entry as Record<string, unknown>)['errors'];
    if (typeof errors === 'object' && errors !== null) {
      const failed = (errors as Record<string, unknown>)['recipients'];
      if (Array.isArray(failed) && failed.length > 0) {
        const reasons = failed.map((f) =>
          typeof f === 'object' && f !== null ? (f as { reason?: unknown }).reason : f,
        );
        this.logger.warn('signal send: some recipients failed', { failed: failed.length, reasons });
      }
    }
    return timestamp;
  }

  private json(endpoint: string, raw: RawResponse): unknown {
    try {
      return JSON.parse(raw.text) as unknown;
    } catch {
      throw badResponse(endpoint, `response is not JSON (${raw.text.slice(0, 80)})`, raw.status);
    }
  }

  /** One request under its own deadline (linked to the caller's signal); non-2xx statuses become SignalErrors. */
  private async call(method: Method, path: string, options: CallOptions = {}): Promise<RawResponse> {
    const endpoint = `${method} ${path.replace(this.account, '{number}')}`;
    const ms = options.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    const caller = options.signal;
    const onAbort = () => controller.abort();
    if (caller?.aborted === true) controller.abort();
    caller?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.http.request<string>({
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
      if (timedOut) throw timeoutError(endpoint, ms);
      if (caller?.aborted === true)
        throw caller.reason instanceof Error ? caller.reason : new Error('aborted');
      throw errorFromTransport(endpoint, error);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }
}
