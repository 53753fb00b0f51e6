// The playground's HTTP API (DESIGN.md "HTTP"): channels, entities, posting and reading messages, live events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHANNEL_NAME } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { RateLimiter } from '../../entities/rate-limiter.js';
import type { InboxRepository, OutboxRepository } from '../../store/index.js';
import type { ChannelEvents } from '../channel-events.js';
import { streamChannel } from './event-stream.js';
import { HttpError, readJsonObject, sendJson } from './http-kit.js';
import { toView } from './message-view.js';
import type { WebAdapter } from './web-adapter.js';

export interface ApiContext {
  adapter: WebAdapter;
  inbox: InboxRepository;
  roster: EntityRoster;
  events: ChannelEvents;
  channels: readonly string[];
  /** The LM Studio cluster's status (servers, health, loaded models, memory, in flight, queue, recent errors). */
  cluster?: () => unknown;
  /** For each entity's rate-limit state in GET /api/entities. */
  limiter?: RateLimiter;
  /** For GET /api/replies (the dashboard's recent replies). */
  outbox?: OutboxRepository;
}

export const LIMITS = { bodyBytes: 64 * 1024, authorChars: 64, textChars: 4000, pageSize: 500 } as const;

function channelParam(raw: string, ctx: ApiContext): string {
  let channel: string;
  try {
    channel = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'invalid channel name');
  }
  if (!CHANNEL_NAME.test(channel)) {
    throw new HttpError(400, 'invalid channel name: use lowercase letters, digits, - and _ (at most 64)');
  }
  if (!ctx.channels.includes(channel)) throw new HttpError(404, `unknown channel "${channel}"`);
  return channel;
}

function integerParam(url: URL, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw new HttpError(400, `${name} must be an integer from 0 to ${max}`);
  return Number(raw);
}

function textField(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new HttpError(400, `${name} is required (a non-empty string)`);
  if (value.length > max) throw new HttpError(400, `${name} is too long: at most ${max} characters`);
  // eslint-disable-next-line no-control-regex
  if (name === 'author' && /[\u0000-\u001f\u007f]/.test(value))
    throw new HttpError(400, 'author must not contain control characters');
  return value.trim();
}

/** Handles /api/*; returns false when the path is not an API route. */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: ApiContext,
): Promise<boolean> {
  const path = url.pathname;
  if (path === '/api/channels' && req.method === 'GET') {
    const channels = ctx.channels.map((name) => ({
      name,
      entities: ctx.roster.cast('web', name).entities.map((e) => e.id),
    }));
    sendJson(res, 200, { channels });
    return true;
  }
  if (path === '/api/cluster' && req.method === 'GET') {
    if (!ctx.cluster) throw new HttpError(404, 'no LM Studio cluster is running');
    sendJson(res, 200, ctx.cluster());
    return true;
  }
  if (path === '/api/entities' && req.method === 'GET') {
    const entities = ctx.roster.all().map((e) => ({
      id: e.id,
      username: e.username,
      color: e.color,
      enabled: e.enabled,
      responseChance: e.responseChance,
      platforms: (['web', 'discord', 'signal'] as const).filter((p) => e.platforms[p]?.enabled),
      rate: ctx.limiter?.state(e.id) ?? null,
    }));
    sendJson(res, 200, { entities });
    return true;
  }
  if (path === '/api/replies' && req.method === 'GET') {
    if (!ctx.outbox) throw new HttpError(404, 'replies are not available');
    const replies = ctx.outbox.recent(integerParam(url, 'limit', 20, 200)).map((r) => ({
      id: r.id,
      entity: r.entityId,
      platform: r.platform,
      channel: r.channel,
      part: r.part,
      source: r.source,
      text: r.text,
      createdAt: r.createdAt,
      state: r.state,
      sentAt: r.sentAt,
      attempts: r.attempts,
      lastError: r.lastError,
    }));
    sendJson(res, 200, { replies });
    return true;
  }
  const match = /^\/api\/channels\/([^/]+)\/(messages|events)$/.exec(path);
  if (!match) return false;
  const channel = channelParam(match[1] as string, ctx);
  const resource = match[2];
  if (resource === 'messages' && req.method === 'POST') {
    const body = await readJsonObject(req, LIMITS.bodyBytes);
    const author = textField(body, 'author', LIMITS.authorChars);
    const text = textField(body, 'text', LIMITS.textChars);
    const message = ctx.adapter.post(channel, author, text);
    sendJson(res, 201, { id: message.id });
    return true;
  }
  if (resource === 'messages' && req.method === 'GET') {
    const limit = integerParam(url, 'limit', 100, LIMITS.pageSize);
    const messages = url.searchParams.has('after')
      ? ctx.inbox.after('web', channel, integerParam(url, 'after', 0), limit)
      : ctx.inbox.latest('web', channel, limit);
    sendJson(res, 200, { messages: messages.map(toView) });
    return true;
  }
  if (resource === 'events' && req.method === 'GET') {
    streamChannel(req, res, channel, integerParam(url, 'after', 0), ctx.inbox, ctx.events);
    return true;
  }
  throw new HttpError(405, `method ${req.method} not allowed on ${path}`);
}
