// The HTTP half of the Signal client: one per account, every call under a deadline (receive's is its own
// timeout plus timeoutMs), bodies checked here rather than trusted (see http-call.ts and send-message.ts).
import type { Logger } from '../../../core/logger.js';
import { badResponse, SignalError } from './errors.js';
import { toGroupSendId } from './group-ids.js';
import { HttpCaller, parseJson, type CallOptions, type RawResponse } from './http-call.js';
import { sendRequestBody, sendResponseTimestamp } from './send-message.js';
import type { OutgoingMessage, SignalAbout, SignalClientOptions, SignalGroup } from './types.js';

const MODES = new Set(['normal', 'native', 'json-rpc']);

export interface ReceiveOptions {
  /** The server's `timeout` query parameter in seconds (default 1): it collects messages this long. */
  timeoutSeconds?: number;
  /** `max_messages` (0 or absent: unlimited). */
  maxMessages?: number;
  signal?: AbortSignal;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export class SignalClient {
  readonly number: string;
  private readonly http: HttpCaller;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly account: string;

  constructor(options: SignalClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new Error(`SignalClient: baseUrl must start with http:// or https://, got "${options.baseUrl}"`);
    }
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new Error(`SignalClient: timeoutMs must be a positive number, got ${options.timeoutMs}`);
    }
    if (options.number.trim() === '') throw new Error('SignalClient: number must not be empty');
    this.number = options.number;
    this.account = encodeURIComponent(options.number);
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger.child({ component: 'signal-client' });
    this.http = new HttpCaller(options.baseUrl, this.logger);
  }

  async about(): Promise<SignalAbout> {
    const endpoint = 'GET /v1/about';
    const o = asObject(parseJson(endpoint, await this.call('GET', '/v1/about', endpoint)));
    const mode = o['mode'];
    if (typeof mode !== 'string' || !MODES.has(mode)) {
      throw badResponse(
        endpoint,
        `unknown mode ${JSON.stringify(mode)} (expected normal, native or json-rpc)`,
      );
    }
    const about: SignalAbout = {
      mode: mode as SignalAbout['mode'],
      version: typeof o['version'] === 'string' ? o['version'] : 'unset',
      versions: strings(o['versions']),
    };
    if (typeof o['build'] === 'number') about.build = o['build'];
    if (typeof o['capabilities'] === 'object' && o['capabilities'] !== null) {
      about.capabilities = Object.fromEntries(
        Object.entries(asObject(o['capabilities'])).map(([k, v]) => [k, strings(v)]),
      );
    }
    return about;
  }

  /** GET /v1/health: resolves when the server answers 204. */
  async health(): Promise<void> {
    await this.call('GET', '/v1/health', 'GET /v1/health');
  }

  /** normal/native mode: one GET /v1/receive/{number}; the HTTP deadline is the receive timeout plus timeoutMs. */
  async receive(options: ReceiveOptions = {}): Promise<unknown[]> {
    const endpoint = 'GET /v1/receive/{number}';
    const seconds = options.timeoutSeconds ?? 1;
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new Error(`SignalClient.receive: timeoutSeconds must be a whole number >= 0, got ${seconds}`);
    }
    const query: Record<string, string> = { timeout: String(seconds) };
    if (options.maxMessages !== undefined) query['max_messages'] = String(options.maxMessages);
    const raw = await this.call('GET', `/v1/receive/${this.account}`, endpoint, {
      query,
      timeoutMs: seconds * 1000 + this.timeoutMs,
      signal: options.signal,
    });
    const body = parseJson(endpoint, raw);
    if (!Array.isArray(body)) throw badResponse(endpoint, 'expected a JSON array', raw.status);
    if (body.length > 0) this.logger.debug('signal received', { items: body.length });
    return body;
  }

  /** POST /v2/send; accepts the 0.100 `{timestamp:"…"}` and the newer array shape; returns the timestamp. */
  async send(message: OutgoingMessage): Promise<{ timestamp: number }> {
    const endpoint = 'POST /v2/send';
    if (message.recipients.length === 0) {
      throw new SignalError('bad_request', `signal-cli-rest-api ${endpoint}: no recipients`, { endpoint });
    }
    const raw = await this.call('POST', '/v2/send', endpoint, {
      body: sendRequestBody(this.number, message),
    });
    const timestamp = sendResponseTimestamp(endpoint, parseJson(endpoint, raw), raw.status, this.logger);
    this.logger.debug('signal sent', {
      recipients: message.recipients.length,
      chars: message.message.length,
      timestamp,
    });
    return { timestamp };
  }

  /** Shows (PUT) or hides (DELETE, with a JSON body) the typing indicator. */
  async typing(recipient: string, on: boolean): Promise<void> {
    const method = on ? 'PUT' : 'DELETE';
    await this.call(
      method,
      `/v1/typing-indicator/${this.account}`,
      `${method} /v1/typing-indicator/{number}`,
      {
        body: { recipient },
      },
    );
  }

  async react(
    recipient: string,
    targetAuthor: string,
    targetTimestamp: number,
    emoji: string,
    remove = false,
  ): Promise<void> {
    const method = remove ? 'DELETE' : 'POST';
    const body = { recipient, reaction: emoji, target_author: targetAuthor, timestamp: targetTimestamp };
    await this.call(method, `/v1/reactions/${this.account}`, `${method} /v1/reactions/{number}`, { body });
  }

  /** A read (or viewed) receipt; signalbot sends none for groups, and neither should callers. */
  async receipt(recipient: string, timestamp: number, type: 'read' | 'viewed' = 'read'): Promise<void> {
    await this.call('POST', `/v1/receipts/${this.account}`, 'POST /v1/receipts/{number}', {
      body: { recipient, receipt_type: type, timestamp },
    });
  }

  /** Deletes, for everyone, a message the bot sent. */
  async remoteDelete(recipient: string, timestamp: number): Promise<void> {
    await this.call('DELETE', `/v1/remote-delete/${this.account}`, 'DELETE /v1/remote-delete/{number}', {
      body: { recipient, timestamp },
    });
  }

  async groups(): Promise<SignalGroup[]> {
    const endpoint = 'GET /v1/groups/{number}';
    const raw = await this.call('GET', `/v1/groups/${this.account}`, endpoint);
    const body = parseJson(endpoint, raw);
    if (!Array.isArray(body)) throw badResponse(endpoint, 'expected a JSON array', raw.status);
    const groups: SignalGroup[] = [];
    for (const entry of body) {
      const g = asObject(entry);
      const internalId = g['internal_id'];
      if (typeof internalId !== 'string' || internalId === '') {
        this.logger.warn('signal group entry without internal_id skipped');
        continue;
      }
      groups.push({
        id: typeof g['id'] === 'string' && g['id'] !== '' ? g['id'] : toGroupSendId(internalId),
        internalId,
        name: typeof g['name'] === 'string' ? g['name'] : '',
        members: strings(g['members']),
      });
    }
    return groups;
  }

  /** Lifts a rate limit with a token from SignalError.challengeTokens and a `signalcaptcha://…` captcha. */
  async solveChallenge(challengeToken: string, captcha: string): Promise<void> {
    const endpoint = 'POST /v1/accounts/{number}/rate-limit-challenge';
    await this.call('POST', `/v1/accounts/${this.account}/rate-limit-challenge`, endpoint, {
      body: { challenge_token: challengeToken, captcha },
    });
  }

  private call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    endpoint: string,
    options: Partial<CallOptions> = {},
  ): Promise<RawResponse> {
    return this.http.call(method, path, endpoint, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
    });
  }
}
