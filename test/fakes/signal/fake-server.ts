// The fake signal-cli-rest-api: a node:http server on 127.0.0.1 that behaves like the real one (reference §1,
// which wins where the swagger differs) in json-rpc mode (receive is a websocket only; messages are dropped while
// no socket is connected) and normal/native mode (receive is a GET answering a text/plain JSON array). Every
// request is checked against the swagger; what breaks it lands in `violations`. Answers: fake-replies.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { messageItem, type IncomingSpec } from './envelopes.js';
import {
  aboutReply,
  asRecord,
  checkSend,
  errorReply,
  fakeGroup,
  groupEntry,
  invalidRequest,
  missingFields,
  rateLimitReply,
  receiveQuery,
  WEBSOCKET_ONLY,
  type FakeGroup,
  type Reply,
} from './fake-replies.js';
import { ReceiveHub } from './receive-hub.js';
import { SpecValidator, SWAGGER_0_100, SWAGGER_MASTER } from './spec-validator.js';

export type FakeSignalMode = 'normal' | 'native' | 'json-rpc';

export interface FakeSignalOptions {
  /** The bot's account, e.g. '+15550000001'. */
  number: string;
  /** Default 'json-rpc'. */
  mode?: FakeSignalMode;
  /** Default 'v0.100' (`{"timestamp":"…"}`); 'master' answers `[{"timestamp":"…"}]` and validates against master's swagger. */
  sendShape?: 'v0.100' | 'master';
  groups?: { name: string; internalId?: string; members: string[] }[];
  /** Source of send and envelope timestamps (default Date.now); the fake keeps them strictly increasing. */
  now?: () => number;
  /**
   * Polling with an empty queue waits up to `timeout` for a message and answers as soon as one arrives (default
   * true, kind to test run times; the real server always collects for the whole timeout); false answers `[]` at once.
   */
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

interface Waiter {
  predicate: (s: SentRecord) => boolean;
  count: number;
  resolve: (sent: SentRecord[]) => void;
}

/** Path segments under /v1 whose third segment is the account. */
const ACCOUNT_ROUTES = new Set([
  'receive',
  'groups',
  'typing-indicator',
  'reactions',
  'receipts',
  'remote-delete',
  'accounts',
]);

export class FakeSignalServer {
  readonly sent: SentRecord[] = [];
  readonly typing: { method: 'PUT' | 'DELETE'; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly reactions: { method: 'POST' | 'DELETE'; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly receipts: unknown[] = [];
  readonly remoteDeletes: unknown[] = [];
  readonly challenges: { challenge_token: string; captcha: string }[] = [];
  readonly requests: RequestRecord[] = [];
  readonly violations: string[] = [];
  readonly mode: FakeSignalMode;

  private readonly number: string;
  private readonly sendShape: 'v0.100' | 'master';
  private readonly groupList: FakeGroup[];
  private readonly now: () => number;
  private readonly hub: ReceiveHub;
  private readonly validator: SpecValidator;
  private readonly rawSockets = new Set<Duplex>();
  private readonly waiters = new Set<Waiter>();
  private lastTimestamp = 0;
  private rateLimited = 0;
  private rateLimitEmptyToken = false;
  private down: false | 'refuse' | '503' = false;
  private stalled = false;
  private server: Server | undefined;
  private port = 0;

  constructor(options: FakeSignalOptions) {
    this.number = options.number;
    this.mode = options.mode ?? 'json-rpc';
    this.sendShape = options.sendShape ?? 'v0.100';
    this.validator = SpecValidator.fromFile(this.sendShape === 'master' ? SWAGGER_MASTER : SWAGGER_0_100);
    this.groupList = (options.groups ?? []).map(fakeGroup);
    this.now = options.now ?? Date.now;
    this.hub = new ReceiveHub(this.mode === 'json-rpc', options.holdEmptyReceive ?? true);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open websockets (json-rpc mode). */
  get websocketCount(): number {
    return this.hub.openSockets;
  }

  /** Items pushed while no websocket was connected (json-rpc mode), lost like on the real server. */
  get dropped(): readonly unknown[] {
    return this.hub.dropped;
  }

  /** Items waiting for the next poll (normal/native mode). */
  get queue(): readonly unknown[] {
    return this.hub.queue;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      if (this.down === 'refuse') {
        socket.destroy();
        return;
      }
      this.track(socket);
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

  /** A person's message (DM, or in the named group); returns its envelope timestamp. */
  incoming(spec: IncomingSpec): number {
    const timestamp = spec.timestamp ?? this.nextTimestamp();
    const group = spec.group === undefined ? undefined : this.groupList.find((g) => g.name === spec.group);
    if (spec.group !== undefined && group === undefined)
      throw new Error(`fake signal: no group named "${spec.group}"`);
    this.deliver(messageItem(this.number, spec, timestamp, group));
    return timestamp;
  }

  /** Any received item as it is (receipts, sync copies, edits, `{"error":…}` frames, …). */
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
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const got = this.sent.filter(predicate).length;
        reject(
          new Error(
            `fake signal: waited for ${count} matching send(s), got ${got} (of ${this.sent.length} sent)`,
          ),
        );
      }, options.timeoutMs ?? 5000);
      const waiter: Waiter = {
        predicate,
        count,
        resolve: (sent) => {
          clearTimeout(timer);
          resolve(sent);
        },
      };
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

  /** The next `count` sends fail like the real rate limit; `emptyToken` gives issue #881's `[""]`. */
  rateLimitSends(count: number, options: { emptyToken?: boolean } = {}): void {
    this.rateLimited = count;
    this.rateLimitEmptyToken = options.emptyToken ?? false;
  }

  dropWebsockets(): void {
    this.hub.dropSockets();
  }

  /** Websockets stop answering pings and getting frames (frames are dropped), like a half-open connection. */
  freezeWebsockets(frozen: boolean): void {
    this.hub.freeze(frozen);
  }

  /** 'refuse' resets every connection; '503' answers every request 503. Both drop the websockets. */
  setDown(down: boolean, style: 'refuse' | '503' = 'refuse'): void {
    this.down = down ? style : false;
    if (!down) return;
    this.dropWebsockets();
    if (style === 'refuse') for (const socket of this.rawSockets) socket.destroy();
  }

  /** While stalled, requests are read but never answered (for client timeouts). */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
  }

  async close(): Promise<void> {
    this.hub.close();
    for (const waiter of this.waiters) waiter.resolve([]);
    this.waiters.clear();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.rawSockets) socket.destroy();
    await closed;
  }

  private track(socket: Duplex): void {
    this.rawSockets.add(socket);
    socket.once('close', () => this.rawSockets.delete(socket));
  }

  private nextTimestamp(): number {
    this.lastTimestamp = Math.max(this.lastTimestamp + 1, this.now());
    return this.lastTimestamp;
  }

  private deliver(item: unknown): void {
    this.hub.deliver(item);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodePath(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const account = /^\/v1\/receive\/([^/]+)$/.exec(path)?.[1];
    if (this.down !== false || account === undefined) {
      socket.destroy();
      return;
    }
    this.violations.push(...this.validator.validate({ method: 'GET', path, query, body: undefined }));
    if (this.mode !== 'json-rpc') {
      // The normal-mode handler answers a plain GET; a websocket client sees "Unexpected server response: 200".
      this.requests.push({ method: 'GET', path, query, body: undefined, status: 200 });
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n[]');
      return;
    }
    this.requests.push({ method: 'GET', path, query, body: undefined, status: 101 });
    this.track(socket);
    this.hub.accept(req, socket, head, account === this.number);
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
      }
    }
    const record: RequestRecord = { method, path, query, body: badJson ? raw : body, status: 0 };
    this.requests.push(record);
    if (badJson) this.violations.push(`${method} ${path}: the body is not JSON`);
    else this.violations.push(...this.validator.validate({ method, path, query, body }));
    if (this.stalled) return;
    const reply =
      this.down === '503'
        ? errorReply(503, 'service unavailable')
        : await this.route(method, path, query, body, res);
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
    const accountRoute = parts[0] === 'v1' && ACCOUNT_ROUTES.has(parts[1] ?? '') && parts[2] !== undefined;
    if (accountRoute && parts[2] !== this.number)
      return errorReply(400, `User ${parts[2]} is not registered.`);
    const key = `${method} /${parts.map((p, i) => (i === 2 && accountRoute ? '{number}' : p)).join('/')}`;
    switch (key) {
      case 'GET /v1/about':
        return aboutReply(this.mode);
      case 'GET /v1/health':
        return { status: 204 };
      case 'GET /v1/receive/{number}':
        return this.mode === 'json-rpc' ? errorReply(400, WEBSOCKET_ONLY) : this.poll(query, res);
      case 'POST /v2/send':
        return this.send(body);
      case 'PUT /v1/typing-indicator/{number}':
      case 'DELETE /v1/typing-indicator/{number}':
        return missingFields(body, ['recipient']) ?? this.record(this.typing, { method, body }, 204);
      case 'POST /v1/reactions/{number}':
        return (
          missingFields(body, ['recipient', 'reaction', 'target_author', 'timestamp']) ??
          this.record(this.reactions, { method, body }, 204)
        );
      case 'DELETE /v1/reactions/{number}':
        return (
          missingFields(body, ['recipient', 'target_author', 'timestamp']) ??
          this.record(this.reactions, { method, body }, 204)
        );
      case 'POST /v1/receipts/{number}':
        return missingFields(body, ['recipient', 'timestamp']) ?? this.record(this.receipts, body, 204);
      case 'DELETE /v1/remote-delete/{number}': {
        const problem = missingFields(body, []);
        if (problem !== undefined) return problem;
        this.remoteDeletes.push(body);
        return { status: 201, json: { timestamp: String(this.nextTimestamp()) } };
      }
      case 'GET /v1/groups/{number}':
        return { status: 200, json: this.groupList.map((g) => groupEntry(g, this.sendShape)) };
      case 'POST /v1/accounts/{number}/rate-limit-challenge':
        return this.challenge(body);
      default: {
        if (method === 'GET' && accountRoute && parts[1] === 'groups' && parts.length === 4) {
          const group = this.groupList.find((g) => g.id === parts[3]);
          return group === undefined
            ? errorReply(404, 'No group with that id found')
            : { status: 200, json: groupEntry(group, this.sendShape) };
        }
        return { status: 404, text: '404 page not found' };
      }
    }
  }

  private record<T>(list: T[], entry: unknown, status: number): Reply {
    list.push(entry as T);
    return { status };
  }

  private poll(query: Record<string, string>, res: ServerResponse): Promise<Reply> | Reply {
    const parsed = receiveQuery(query);
    return 'status' in parsed ? parsed : this.hub.poll(parsed.timeoutSeconds, parsed.maxMessages, res);
  }

  private send(body: unknown): Reply {
    const checked = checkSend(body, this.number);
    if ('status' in checked) return checked;
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      const token = this.rateLimitEmptyToken ? '' : `fake-challenge-${this.challenges.length + 1}`;
      return rateLimitReply(this.mode, this.number, checked.recipients[0] ?? '', token);
    }
    const timestamp = this.nextTimestamp();
    this.sent.push({ body: checked.body, timestamp });
    this.notifyWaiters();
    const json = { timestamp: String(timestamp) };
    return { status: 201, json: this.sendShape === 'master' ? [json] : json };
  }

  private challenge(body: unknown): Reply {
    const o = asRecord(body);
    if (o === undefined) return invalidRequest();
    const token = o['challenge_token'];
    const captcha = o['captcha'];
    if (typeof token !== 'string' || token === '') {
      return errorReply(400, "Couldn't process request - challenge token missing");
    }
    if (typeof captcha !== 'string' || captcha === '') {
      return errorReply(400, "Couldn't process request - captcha missing");
    }
    this.challenges.push({ challenge_token: token, captcha });
    this.rateLimited = 0;
    return { status: 204 };
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
