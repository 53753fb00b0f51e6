// The fake's HTTP side: parses each /api/v10 request, records it, applies queued 429s, checks the bot token, and
// routes it. Responses carry generous X-RateLimit-* headers so discord.js never throttles itself; 204s carry no
// body and no JSON content-type (discord.js JSON-parses any application/json body, even an empty one).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotState, FakeWorld } from './state.js';
import type { FakeRequest } from './types.js';

export interface RouteContext {
  method: string;
  path: string;
  /** the path's captures, percent-decoded */
  params: string[];
  query: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** the authenticated bot (routes with auth 'bot' only) */
  bot: BotState;
  token: string | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** 'bot': needs `Authorization: Bot <token>` of a known, unrevoked bot; 'none': interaction callbacks, webhooks */
  auth: 'bot' | 'none';
  /** undefined: not this route's request after all (e.g. a webhook token that is no interaction's); try the next */
  handle(context: RouteContext): RouteResult | undefined;
}

interface RateLimitRule {
  method: string | undefined;
  path: RegExp;
  retryAfter: number;
  remaining: number;
  global: boolean;
}

export function ok(body: unknown, status = 200): RouteResult {
  return { status, body };
}
export const noContent: RouteResult = { status: 204 };
export function error(status: number, code: number, message: string, errors?: object): RouteResult {
  return { status, body: { message, code, ...(errors && { errors }) } };
}
export const unknownChannel = (): RouteResult => error(404, 10003, 'Unknown Channel');
export const unknownMessage = (): RouteResult => error(404, 10008, 'Unknown Message');
export const missingAccess = (): RouteResult => error(403, 50001, 'Missing Access');

const PREFIX = '/api/v10';

export class RestServer {
  readonly requests: FakeRequest[] = [];
  private readonly rules: RateLimitRule[] = [];
  private routes: Route[] = [];

  constructor(private readonly world: FakeWorld) {}

  addRoutes(routes: Route[]): void {
    this.routes = [...this.routes, ...routes];
  }

  rateLimit(
    match: { method?: string; path: RegExp },
    retryAfter: number,
    options: { count?: number; global?: boolean },
  ): void {
    this.rules.push({
      method: match.method?.toUpperCase(),
      path: match.path,
      retryAfter,
      remaining: options.count ?? 1,
      global: options.global ?? false,
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        this.respond(req, res, Buffer.concat(chunks));
      } catch (cause) {
        send(res, 500, { message: `fake discord: ${(cause as Error).message}`, code: 0 });
      }
    });
  }

  private respond(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!url.pathname.startsWith(PREFIX)) return send(res, 404, { message: '404: Not Found', code: 0 });
    const path = url.pathname.slice(PREFIX.length) || '/';
    const query = Object.fromEntries(url.searchParams);
    const token = parseToken(req.headers.authorization);
    const record: FakeRequest = {
      method,
      path,
      query,
      body: parseBody(req.headers['content-type'], raw),
      token,
      status: 0,
    };
    this.requests.push(record);
    const finish = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, body, headers);
    };

    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.method === undefined || r.method === method) && r.path.test(path),
    );
    if (rule) {
      rule.remaining--;
      return finish(
        429,
        {
          message: 'You are being rate limited.',
          retry_after: rule.retryAfter,
          global: rule.global,
          code: 0,
        },
        {
          'retry-after': String(rule.retryAfter),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(rule.retryAfter),
          'x-ratelimit-bucket': bucketOf(method, path),
          'x-ratelimit-scope': rule.global ? 'global' : 'user',
          ...(rule.global && { 'x-ratelimit-global': 'true' }),
        },
      );
    }

    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const bot = this.world.botByToken(token);
      if (route.auth === 'bot' && (!bot || bot.revoked))
        return finish(401, { message: '401: Unauthorized', code: 0 });
      const params = match.slice(1).map((p) => decodeURIComponent(p ?? ''));
      // Routes without auth never read `bot`; the cast keeps RouteContext simple for the routes that do.
      const result = route.handle({
        method,
        path,
        params,
        query,
        body: record.body,
        bot: bot as BotState,
        token,
      });
      if (result) return finish(result.status, result.body, generousLimits(method, path));
    }
    return finish(404, { message: '404: Not Found', code: 0 });
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function parseToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header.startsWith('Bot ') ? header.slice(4) : header;
}

function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (contentType?.startsWith('multipart/form-data') && boundary) {
    return parseMultipart(raw.toString('latin1'), boundary[1] ?? boundary[2] ?? '');
  }
  return tryJson(raw.toString('utf8'));
}

/** discord.js sends files as multipart: the JSON in `payload_json`, each file in `files[n]`. The fake keeps the
 * JSON and completes its `attachments` ({id: 'n'}) with each file's name and size. */
function parseMultipart(text: string, boundary: string): unknown {
  let payload: Record<string, unknown> = {};
  const files = new Map<string, { filename: string; size: number }>();
  for (const part of text.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (name === 'payload_json')
      payload = tryJson(Buffer.from(content, 'latin1').toString('utf8')) as Record<string, unknown>;
    else if (name?.startsWith('files[') && filename !== undefined) {
      files.set(name.slice(6, -1), { filename, size: Buffer.byteLength(content, 'latin1') });
    }
  }
  const attachments = Array.isArray(payload['attachments'])
    ? (payload['attachments'] as { id?: unknown }[])
    : [];
  payload['attachments'] = attachments.map((a) => ({ ...files.get(String(a.id)), ...a }));
  return payload;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function bucketOf(method: string, path: string): string {
  return `${method}:${path.replace(/\d{5,}/g, ':id')}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
}

function generousLimits(method: string, path: string): Record<string, string> {
  return {
    'x-ratelimit-limit': '1000',
    'x-ratelimit-remaining': '999',
    'x-ratelimit-reset-after': '60',
    'x-ratelimit-bucket': bucketOf(method, path),
  };
}
