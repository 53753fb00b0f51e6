// The fake signal-cli-rest-api: a node:http server on 127.0.0.1 that behaves like the real one (reference §1,
// which wins where the swagger differs) in json-rpc mode (receive is a websocket only; messages are dropped while
// no socket is connected) and normal/native mode (receive is a GET answering a text/plain JSON array). Every
// request is checked against the swagger; what breaks it lands in `violations`.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { messageItem, type IncomingSpec } from './envelopes.js';
import { recipientsError, usernameError } from './send-rules.js';
import { SpecValidator } from './spec-validator.js';

export type FakeSignalMode = 'normal' | 'native' | 'json-rpc';

export interface FakeSignalOptions {
  /** The bot's account, e.g. '+15550000001'. */
  number: string;
  /** Default 'json-rpc'. */
  mode?: FakeSignalMode;
  /** Default 'v0.100' (`{"timestamp":"…"}`); 'master' answers `[{"timestamp":"…"}]`. */
  sendShape?: 'v0.100' | 'master';
  groups?: { name: string; internalId?: string; members: string[] }[];
  /** Source of send and envelope timestamps (default Date.now); the fake keeps them strictly increasing. */
  now?: () => number;
  /** Polling with an empty queue waits up to `timeout` for a message (default true); false answers `[]` at once. */
  holdEmptyReceive?: boolean;
}

export interface SentRecord {
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary send fields
  timestamp: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

interface Reply {
  status: number;
  json?: unknown;
  text?: string;
}

interface FakeGroup {
  name: string;
  internalId: string;
  id: string;
  members: string[];
}

interface Waiter {
  predicate: (s: SentRecord) => boolean;
  count: number;
  resolve: (sent: SentRecord[]) => void;
}

const error = (status: number, text: string): Reply => ({ status, json: { error: text } });
const invalid = (): Reply => error(400, "Couldn't process request - invalid request");
const WEBSOCKET_ONLY =
  "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header";
const BOOL_QUERY = [
  'ignore_attachments',
  'ignore_stories',
  'ignore_avatars',
  'ignore_stickers',
  'send_read_receipts',
];

function groupFor(spec: { name: string; internalId?: string; members: string[] }): FakeGroup {
  const internalId = spec.internalId ?? createHash('sha256').update(`group:${spec.name}`).digest('base64');
  return {
    name: spec.name,
    internalId,
    id: `group.${Buffer.from(internalId, 'utf8').toString('base64')}`,
    members: spec.members,
  };
}

export class FakeSignalServer {
  readonly sent: SentRecord[] = [];
  readonly typing: { method: 'PUT' | 'DELETE'; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly reactions: { method: 'POST' | 'DELETE'; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly receipts: unknown[] = [];
  readonly remoteDeletes: unknown[] = [];
  readonly challenges: { challenge_token: string; captcha: string }[] = [];
  readonly requests: RequestRecord[] = [];
  readonly violations: string[] = [];
  /** Items pushed while no websocket was connected (json-rpc mode), lost like on the real server. */
  readonly dropped: unknown[] = [];
  /** Items waiting for the next poll (normal/native mode). */
  readonly queue: unknown[] = [];
  readonly mode: FakeSignalMode;

  private readonly number: string;
  private readonly sendShape: 'v0.100' | 'master';
  private readonly groupList: FakeGroup[];
  private readonly now: () => number;
  private readonly holdEmptyReceive: boolean;
  private readonly validator = SpecValidator.fromFile();
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly sockets = new Set<WebSocket>();
  private readonly rawSockets = new Set<Socket | Duplex>();
  private readonly pollers = new Set<() => void>();
  private readonly waiters = new Set<Waiter>();
  private lastTimestamp = 0;
  private rateLimited = 0;
  private rateLimitEmptyToken = false;
  private down: false | 'refuse' | '503' = false;
  private stalled = false;
  private frozen = false;
  private server: Server | undefined;
  private port = 0;

  constructor(options: FakeSignalOptions) {
    this.number = options.number;
    this.mode = options.mode ?? 'json-rpc';
    this.sendShape = options.sendShape ?? 'v0.100';
    this.groupList = (options.groups ?? []).map(groupFor);
    this.now = options.now ?? Date.now;
    this.holdEmptyReceive = options.holdEmptyReceive ?? true;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open websockets (json-rpc mode). */
  get websocketCount(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      if (this.down === 'refuse') {
        socket.destroy();
        return;
      }
      this.rawSockets.add(socket);
      socket.once('close', () => this.rawSockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  group(name: string): { internalId: string; id: string } {
    const group = this.groupList.find((g) => g.name === name);
    if (group === undefined) throw new Error(`fake signal: no group named "${name}"`);
    return { internalId: group.internalId, id: group.id };
  }

  incoming(spec: IncomingSpec): number {
    const timestamp = spec.timestamp ?? this.nextTimestamp();
    const group = spec.group === undefined ? undefined : this.groupList.find((g) => g.name === spec.group);
    if (spec.group !== undefined && group === undefined)
      throw new Error(`fake signal: no group named "${spec.group}"`);
    this.deliver(messageItem(this.number, spec, timestamp, group));
    return timestamp;
  }

  incomingRaw(item: unknown): void {
    this.deliver(item);
  }

  waitForSent(
    predicate: (s: SentRecord) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<SentRecord[]> {
    const count = options.count ?? 1;
    const already = this.sent.filter(predicate);
    if (already.length >= count) return Promise.resolve(already.slice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        count,
        resolve: (sent) => {
          clearTimeout(timer);
          resolve(sent);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const got = this.sent.filter(predicate).length;
        reject(
          new Error(
            `fake signal: waited for ${count} matching send(s), got ${got} (of ${this.sent.length} sent)`,
          ),
        );
      }, options.timeoutMs ?? 5000);
      this.waiters.add(waiter);
    });
  }

  /** Resolves once `count` websockets are open (json-rpc mode). */
  async waitForWebsocket(count = 1, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.websocketCount < count) {
      if (Date.now() > deadline)
        throw new Error(`fake signal: ${this.websocketCount} websocket(s) open, wanted ${count}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  rateLimitSends(count: number, options: { emptyToken?: boolean } = {}): void {
    this.rateLimited = count;
    this.rateLimitEmptyToken = options.emptyToken ?? false;
  }

  dropWebsockets(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** Websockets stop answering pings and receiving frames, like a half-open connection. */
  freezeWebsockets(frozen: boolean): void {
    this.frozen = frozen;
  }

  /** 'refuse' resets every connection; '503' answers every request 503. Both drop the websockets. */
  setDown(down: boolean, style: 'refuse' | '503' = 'refuse'): void {
    this.down = down ? style : false;
    if (down) {
      this.dropWebsockets();
      if (style === 'refuse') for (const socket of this.rawSockets) socket.destroy();
    }
  }

  /** While stalled, requests are read but never answered (for client timeouts). */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
  }

  async close(): Promise<void> {
    for (const wake of this.pollers) wake();
    this.dropWebsockets();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.rawSockets) socket.destroy();
    await closed;
  }

  private nextTimestamp(): number {
    this.lastTimestamp = Math.max(this.lastTimestamp + 1, this.now());
    return this.lastTimestamp;
  }

  private deliver(item: unknown): void {
    if (this.mode !== 'json-rpc') {
      this.queue.push(item);
      for (const wake of this.pollers) wake();
      return;
    }
    const open = [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN && !this.frozen);
    if (open.length === 0) {
      this.dropped.push(item);
      return;
    }
    const frame = JSON.stringify(item);
    for (const socket of open) socket.send(frame);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodePath(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const match = /^\/v1\/receive\/([^/]+)$/.exec(path);
    if (this.down !== false || match === undefined || match === null) {
      socket.destroy();
      return;
    }
    this.violations.push(...this.validator.validate({ method: 'GET', path, query, body: undefined }));
    if (this.mode !== 'json-rpc') {
      // The real normal-mode handler answers a plain GET; a websocket client sees "Unexpected server response: 200".
      this.requests.push({ method: 'GET', path, query, body: undefined, status: 200 });
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n[]');
      return;
    }
    this.requests.push({ method: 'GET', path, query, body: undefined, status: 101 });
    this.rawSockets.add(socket);
    socket.once('close', () => this.rawSockets.delete(socket));
    const account = match[1];
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Frames are forwarded only for the socket's own account, so another number's socket stays silent.
      if (account !== this.number) return;
      this.sockets.add(ws);
      ws.on('ping', (data) => {
        if (!this.frozen) ws.pong(data);
      });
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('error', () => ws.terminate());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down === 'refuse') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodePath(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        badJson = true;
        body = raw;
      }
    }
    const record: RequestRecord = { method, path, query, body, status: 0 };
    this.requests.push(record);
    if (badJson) this.violations.push(`${method} ${path}: the body is not JSON`);
    else this.violations.push(...this.validator.validate({ method, path, query, body }));
    if (this.stalled) return;
    const reply =
      this.down === '503'
        ? error(503, 'service unavailable')
        : await this.route(method, path, query, badJson ? undefined : body, res);
    record.status = reply.status;
    if (res.destroyed) return;
    if (reply.json !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    } else if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(reply.text);
    } else {
      res.writeHead(reply.status);
      res.end();
    }
  }

  private async route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    res: ServerResponse,
  ): Promise<Reply> {
    const parts = path.split('/').filter((s) => s !== '');
    const key = `${method} /${parts.map((p, i) => (i === 2 && parts[0] === 'v1' ? '{number}' : p)).join('/')}`;
    const account = parts[2];
    if (account !== undefined && parts[0] === 'v1' && parts[1] !== 'attachments' && account !== this.number) {
      if (
        parts[1] === 'receive' ||
        parts[1] === 'groups' ||
        parts[1] === 'typing-indicator' ||
        parts[1] === 'reactions' ||
        parts[1] === 'receipts' ||
        parts[1] === 'remote-delete' ||
        parts[1] === 'accounts'
      ) {
        return error(400, `User ${account} is not registered.`);
      }
    }
    switch (key) {
      case 'GET /v1/about':
        return {
          status: 200,
          json: {
            versions: ['v1', 'v2'],
            build: 2,
            mode: this.mode,
            version: '0.100',
            capabilities: { 'v2/send': ['quotes', 'mentions'] },
          },
        };
      case 'GET /v1/health':
        return { status: 204 };
      case 'GET /v1/receive/{number}':
        return this.mode === 'json-rpc' ? error(400, WEBSOCKET_ONLY) : this.poll(query, res);
      case 'POST /v2/send':
        return this.send(body);
      case 'PUT /v1/typing-indicator/{number}':
      case 'DELETE /v1/typing-indicator/{number}': {
        const reply = checkFields(body, ['recipient']);
        if (reply !== undefined) return reply;
        this.typing.push({ method: method as 'PUT' | 'DELETE', body });
        return { status: 204 };
      }
      case 'POST /v1/reactions/{number}':
      case 'DELETE /v1/reactions/{number}': {
        const required =
          method === 'POST'
            ? ['recipient', 'reaction', 'target_author', 'timestamp']
            : ['recipient', 'target_author', 'timestamp'];
        const reply = checkFields(body, required);
        if (reply !== undefined) return reply;
        this.reactions.push({ method: method as 'POST' | 'DELETE', body });
        return { status: 204 };
      }
      case 'POST /v1/receipts/{number}': {
        const reply = checkFields(body, ['recipient', 'timestamp']);
        if (reply !== undefined) return reply;
        this.receipts.push(body);
        return { status: 204 };
      }
      case 'DELETE /v1/remote-delete/{number}': {
        const reply = checkFields(body, []);
        if (reply !== undefined) return reply;
        this.remoteDeletes.push(body);
        return { status: 201, json: { timestamp: String(this.nextTimestamp()) } };
      }
      case 'GET /v1/groups/{number}':
        return { status: 200, json: this.groupList.map(groupEntry) };
      case 'POST /v1/accounts/{number}/rate-limit-challenge': {
        const o = asRecord(body);
        if (o === undefined) return invalid();
        if (typeof o['challenge_token'] !== 'string' || o['challenge_token'] === '') {
          return error(400, "Couldn't process request - challenge token missing");
        }
        if (typeof o['captcha'] !== 'string' || o['captcha'] === '')
          return error(400, "Couldn't process request - captcha missing");
        this.challenges.push({ challenge_token: o['challenge_token'], captcha: o['captcha'] });
        this.rateLimited = 0;
        return { status: 204 };
      }
      default: {
        if (method === 'GET' && parts[0] === 'v1' && parts[1] === 'groups' && parts.length === 4) {
          const group = this.groupList.find((g) => g.id === parts[3]);
          return group === undefined
            ? error(404, 'No group with that id found')
            : { status: 200, json: groupEntry(group) };
        }
        return { status: 404, text: '404 page not found' };
      }
    }
  }

  private async poll(query: Record<string, string>, res: ServerResponse): Promise<Reply> {
    const timeout = query['timeout'] ?? '1';
    if (!/^-?\d+$/.test(timeout))
      return error(400, "Couldn't process request - timeout needs to be numeric!");
    const max = query['max_messages'] ?? '0';
    if (!/^-?\d+$/.test(max))
      return error(400, "Couldn't process request - max_messages needs to be numeric!");
    for (const name of BOOL_QUERY) {
      const value = query[name];
      if (value !== undefined && value !== 'true' && value !== 'false') {
        return error(
          400,
          `Couldn't process request - ${name} parameter needs to be either 'true' or 'false'`,
        );
      }
    }
    if (this.queue.length === 0 && this.holdEmptyReceive && Number(timeout) > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollers.delete(wake);
          res.off('close', wake);
          resolve();
        };
        const timer = setTimeout(wake, Number(timeout) * 1000);
        this.pollers.add(wake);
        res.once('close', wake);
      });
    }
    if (res.destroyed) return { status: 200, text: '[]' };
    const limit = Number(max) > 0 ? Number(max) : this.queue.length;
    const items = this.queue.splice(0, limit);
    return { status: 200, text: `[${items.map((i) => JSON.stringify(i)).join(',')}]` };
  }

  private send(body: unknown): Reply {
    const o = asRecord(body);
    if (o === undefined) return invalid();
    const strings = (v: unknown) =>
      v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    for (const field of [
      'number',
      'message',
      'recipient',
      'sticker',
      'text_mode',
      'quote_author',
      'quote_message',
    ]) {
      if (o[field] !== undefined && o[field] !== null && typeof o[field] !== 'string') return invalid();
    }
    if (!strings(o['recipients']) || !strings(o['base64_attachments'])) return invalid();
    const recipients = [...((o['recipients'] as string[] | undefined) ?? [])];
    if (typeof o['recipient'] === 'string' && o['recipient'] !== '') recipients.push(o['recipient']);
    if (recipients.length === 0)
      return error(400, "Couldn't process request - please provide at least one recipient");
    const number = typeof o['number'] === 'string' ? o['number'] : '';
    if (number === '') return error(400, "Couldn't process request - please provide a valid number");
    if (typeof o['sticker'] === 'string' && o['sticker'] !== '' && !o['sticker'].includes(':')) {
      return error(400, "Couldn't process request - please provide valid sticker delimiter");
    }
    const attachments = (o['base64_attachments'] as string[] | undefined) ?? [];
    if (o['view_once'] === true && attachments.length === 0) {
      return error(400, "'view_once' can only be set for image attachments!");
    }
    if (number !== this.number) return error(400, `User ${number} is not registered.`);
    const recipientProblem = recipientsError(recipients);
    if (recipientProblem !== undefined) return error(400, recipientProblem);
    const usernameProblem = usernameError(recipients);
    if (usernameProblem !== undefined) return error(400, usernameProblem);
    if ((o['message'] ?? '') === '' && attachments.length === 0 && (o['sticker'] ?? '') === '') {
      return error(
        400,
        'Sending empty message is not allowed, either a message, attachment or sticker must be given.',
      );
    }
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return this.rateLimitReply(recipients[0] ?? '');
    }
    const timestamp = this.nextTimestamp();
    const record: SentRecord = { body: o, timestamp };
    this.sent.push(record);
    this.notifyWaiters();
    const json = { timestamp: String(timestamp) };
    return { status: 201, json: this.sendShape === 'master' ? [json] : json };
  }

  private rateLimitReply(recipient: string): Reply {
    const token = this.rateLimitEmptyToken ? '' : `fake-challenge-${this.challenges.length + 1}`;
    if (this.mode === 'json-rpc') {
      return {
        status: 429,
        json: {
          error:
            "Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit restrictions via the '/v1/accounts/{number}/rate-limit-challenge' endpoint.",
          challenge_tokens: [token],
          account: this.number,
        },
      };
    }
    return error(
      400,
      `CAPTCHA proof required for sending to "${recipient}", available options "RECAPTCHA, PUSH_CHALLENGE" with challenge token "${token}", or wait "86400" seconds.\n` +
        'Failed to send message due to rate limiting\n',
    );
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters) {
      const matching = this.sent.filter(waiter.predicate);
      if (matching.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(matching.slice(0, waiter.count));
      }
    }
  }
}

function groupEntry(group: FakeGroup): Record<string, unknown> {
  return {
    name: group.name,
    description: '',
    id: group.id,
    internal_id: group.internalId,
    members: group.members,
    blocked: false,
    pending_invites: [],
    pending_requests: [],
    invite_link: '',
    admins: [],
    permissions: { add_members: 'every-member', edit_group: 'every-member', send_messages: 'every-member' },
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Gin's BindJSON plus the handlers' "… missing" checks (empty string or 0 counts as missing). */
function checkFields(body: unknown, required: string[]): Reply | undefined {
  const o = asRecord(body);
  if (o === undefined) return invalid();
  for (const field of required) {
    const v = o[field];
    if (v === undefined || v === null || v === '' || v === 0)
      return error(400, `Couldn't process request - ${field} missing`);
  }
  return undefined;
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
