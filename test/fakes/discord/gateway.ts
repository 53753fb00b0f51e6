// The fake gateway: HELLO, IDENTIFY (READY + one GUILD_CREATE per guild), heartbeat ACKs, RESUME with a replay
// of the dispatches a session missed, INVALID_SESSION, and close codes 4004 (bad token) and 4014 (intents).
// Each session numbers its own dispatches and keeps them (bounded), so a dropped bot resumes without gaps.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { botUserObject, guildCreate } from './shapes.js';
import type { BotState, FakeWorld } from './state.js';

export const GatewayIntent = {
  Guilds: 1 << 0,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;
const REPLAY_LIMIT = 1000;

export interface GatewaySession {
  id: string;
  bot: BotState;
  intents: number;
  seq: number;
  /** dispatches sent (or due) on this session, for RESUME */
  sent: { op: 0; t: string; s: number; d: unknown }[];
  socket: WebSocket | null;
}

interface Counters {
  identifies: number;
  resumes: number;
  heartbeats: number;
}

/** What a bot receives for one event: the payload, or undefined to send it nothing (e.g. intents). */
export type PayloadFor = (session: GatewaySession) => unknown;

export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly counters = new Map<string, Counters>();

  constructor(
    server: Server,
    private readonly world: FakeWorld,
    private readonly heartbeatIntervalMs: number,
    private readonly resumeUrl: () => string,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  counter(bot: BotState): Counters {
    let counters = this.counters.get(bot.token);
    if (!counters) {
      counters = { identifies: 0, resumes: 0, heartbeats: 0 };
      this.counters.set(bot.token, counters);
    }
    return counters;
  }

  connected(bot: BotState): boolean {
    return this.sessionsOf(bot).some((s) => s.socket?.readyState === WebSocket.OPEN);
  }

  /** Sends an event to each session of each bot; `payload` may shape it per session or return undefined to skip. */
  dispatch(bots: BotState[], t: string, payload: PayloadFor | object): void {
    for (const bot of bots) {
      for (const session of this.sessionsOf(bot)) {
        const d = typeof payload === 'function' ? (payload as PayloadFor)(session) : payload;
        if (d !== undefined) this.send(session, t, d);
      }
    }
  }

  /** Closes the bot's open sockets with `code`; the sessions stay resumable unless `invalidate` forgets them. */
  drop(bot: BotState, code: number, invalidate = false): void {
    for (const session of this.sessionsOf(bot)) {
      const socket = session.socket;
      session.socket = null;
      if (invalidate) this.sessions.delete(session.id);
      if (socket && socket.readyState === WebSocket.OPEN)
        socket.close(code, 'fake discord: connection dropped');
    }
  }

  /** Sends op 7 RECONNECT: the client closes and RESUMEs on resume_gateway_url. */
  requestReconnect(bot: BotState): void {
    for (const session of this.sessionsOf(bot)) {
      if (session.socket?.readyState === WebSocket.OPEN)
        session.socket.send(JSON.stringify({ op: Op.Reconnect, d: null }));
    }
  }

  /** Closes the bot's sockets with 4004 and forgets its sessions (the token was revoked). */
  revoke(bot: BotState): void {
    for (const session of this.sessionsOf(bot)) {
      session.socket?.close(4004, 'Authentication failed.');
      this.sessions.delete(session.id);
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private sessionsOf(bot: BotState): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.bot === bot);
  }

  private send(session: GatewaySession, t: string, d: unknown): void {
    const frame = { op: Op.Dispatch, t, s: ++session.seq, d } as const;
    session.sent.push(frame);
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(frame));
  }

  private onConnection(socket: WebSocket): void {
    let session: GatewaySession | undefined;
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    socket.on('message', (raw: RawData) => {
      let payload: { op?: number; d?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        payload = JSON.parse(raw.toString()) as typeof payload;
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case Op.Heartbeat:
          if (session) this.counter(session.bot).heartbeats++;
          socket.send(JSON.stringify({ op: Op.HeartbeatAck, d: null }));
          return;
        case Op.Identify:
          if (session) return void socket.close(4005, 'Already authenticated.');
          session = this.identify(socket, payload.d);
          return;
        case Op.Resume:
          if (session) return void socket.close(4005, 'Already authenticated.');
          session = this.resume(socket, payload.d);
          return;
        case 3: // presence update
        case 4: // voice state
        case 8: // request guild members
          if (!session) socket.close(4003, 'Not authenticated.');
          return;
        default:
          socket.close(4001, 'Unknown opcode.');
      }
    });
    socket.on('close', (code) => {
      if (!session || session.socket !== socket) return;
      session.socket = null;
      // A client closing with 1000/1001 ends its session, as on Discord; anything else may resume.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    socket.on('error', () => socket.terminate());
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private identify(socket: WebSocket, d: any): GatewaySession | undefined {
    const bot = this.world.botByToken(typeof d?.token === 'string' ? d.token : undefined);
    if (!bot || bot.revoked) {
      socket.close(4004, 'Authentication failed.');
      return undefined;
    }
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if (intents & bot.disallowedIntents) {
      socket.close(4014, 'Disallowed intent(s).');
      return undefined;
    }
    // An identify starts over: the bot's sessions that lost their socket will never be resumed.
    for (const old of this.sessionsOf(bot)) if (!old.socket) this.sessions.delete(old.id);
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      bot,
      intents,
      seq: 0,
      sent: [],
      socket,
    };
    this.sessions.set(session.id, session);
    this.counter(bot).identifies++;
    this.send(session, 'READY', {
      v: 10,
      user: botUserObject(bot),
      user_settings: {},
      guilds: this.world.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.resumeUrl(),
      shard: Array.isArray(d.shard) ? d.shard : [0, 1],
      application: { id: bot.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
    });
    for (const guild of this.world.guilds) this.send(session, 'GUILD_CREATE', guildCreate(this.world, guild));
    return session;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private resume(socket: WebSocket, d: any): GatewaySession | undefined {
    const session = typeof d?.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d?.seq === 'number' ? d.seq : -1;
    const oldest = session?.sent[0]?.s ?? 1;
    if (
      !session ||
      session.bot.token !== d.token ||
      session.bot.revoked ||
      seq > session.seq ||
      seq + 1 < oldest
    ) {
      if (session) this.sessions.delete(session.id);
      socket.send(JSON.stringify({ op: Op.InvalidSession, d: false }));
      return undefined;
    }
    session.socket?.close(4009, 'Session resumed elsewhere.');
    session.socket = socket;
    this.counter(session.bot).resumes++;
    for (const frame of session.sent) if (frame.s > seq) socket.send(JSON.stringify(frame));
    this.send(session, 'RESUMED', {});
    return session;
  }
}
