// The fake's receive side. json-rpc: websockets at /v1/receive/{number} get each item as a frame, and items that
// arrive while none is open are dropped (real behaviour, issue #537). normal/native: items queue for the next
// GET, which answers them as a text/plain JSON array.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Reply } from './fake-replies.js';

export class ReceiveHub {
  /** Items pushed while no websocket was open (json-rpc), lost like on the real server. */
  readonly dropped: unknown[] = [];
  /** Items waiting for the next poll (normal/native). */
  readonly queue: unknown[] = [];
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly sockets = new Set<WebSocket>();
  private readonly pollers = new Set<() => void>();
  private frozen = false;

  constructor(
    private readonly websockets: boolean,
    private readonly holdEmptyReceive: boolean,
  ) {}

  get openSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  deliver(item: unknown): void {
    if (!this.websockets) {
      this.queue.push(item);
      for (const wake of this.pollers) wake();
      return;
    }
    const open = [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN);
    if (open.length === 0 || this.frozen) {
      this.dropped.push(item);
      return;
    }
    const frame = JSON.stringify(item);
    for (const socket of open) socket.send(frame);
  }

  /** Upgrades to a websocket; only sockets of `account === own` get frames (query parameters are ignored). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, ownAccount: boolean): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!ownAccount) return;
      this.sockets.add(ws);
      ws.on('ping', (data) => {
        if (!this.frozen) ws.pong(data);
      });
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('error', () => ws.terminate());
    });
  }

  /** Frozen sockets answer no pings and get no frames (their items are dropped): a half-open connection. */
  freeze(frozen: boolean): void {
    this.frozen = frozen;
  }

  dropSockets(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** One normal-mode GET: waits (when holding) for an item or the timeout, then answers the queue. */
  async poll(timeoutSeconds: number, maxMessages: number, res: ServerResponse): Promise<Reply> {
    if (this.queue.length === 0 && this.holdEmptyReceive && timeoutSeconds > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollers.delete(wake);
          res.off('close', wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutSeconds * 1000);
        this.pollers.add(wake);
        res.once('close', wake);
      });
    }
    if (res.destroyed) return { status: 200, text: '[]' };
    const items = this.queue.splice(0, maxMessages > 0 ? maxMessages : this.queue.length);
    return { status: 200, text: `[${items.map((i) => JSON.stringify(i)).join(',')}]` };
  }

  close(): void {
    for (const wake of this.pollers) wake();
    this.dropSockets();
  }
}
