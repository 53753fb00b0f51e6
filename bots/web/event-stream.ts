// Server-sent events for one channel: replays what the client missed (?after=ID), then streams new messages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredMessage } from '../../core/message.js';
import type { InboxRepository } from '../../store/index.js';
import type { ChannelEvents } from '../channel-events.js';
import { toView } from './message-view.js';

const KEEPALIVE_MS = 15_000;

export function streamChannel(
  req: IncomingMessage,
  res: ServerResponse,
  channel: string,
  after: number,
  inbox: InboxRepository,
  events: ChannelEvents,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  let last = after;
  const write = (m: StoredMessage) => {
    if (m.id <= last) return;
    last = m.id;
    res.write(`event: message\nid: ${m.id}\ndata: ${JSON.stringify(toView(m))}\n\n`);
  };
  // Subscribe before replaying so nothing falls between the two; `write` drops what was already sent.
  const buffered: StoredMessage[] = [];
  let replaying = true;
  const unsubscribe = events.subscribe('web', channel, (m) => (replaying ? buffered.push(m) : write(m)));
  for (
    let page = inbox.after('web', channel, last, 500);
    page.length > 0;
    page = inbox.after('web', channel, last, 500)
  ) {
    page.forEach(write);
  }
  replaying = false;
  buffered.sort((a, b) => a.id - b.id).forEach(write);

  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const close = () => {
    clearInterval(keepalive);
    unsubscribe();
  };
  req.on('close', close);
  res.on('close', close);
}
