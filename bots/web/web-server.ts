// The HTTP server of the playground: static pages (playground, dashboard), API and health. Bound to 127.0.0.1 by
// default.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { handleApi, type ApiContext } from './api-routes.js';
import { HttpError, sendJson } from './http-kit.js';
import { StaticFiles } from './static-files.js';

export interface WebServerOptions extends ApiContext {
  host: string;
  port: number;
  logger: Logger;
  /** The body of GET /healthz. */
  health: () => { ready: boolean } & Record<string, unknown>;
}

export interface RunningWebServer {
  url: string;
  close(): Promise<void>;
}

function fail(res: ServerResponse, error: unknown, logger: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
  else {
    logger.error('request failed', { error: error instanceof Error ? error.message : String(error) });
    sendJson(res, 500, { error: 'internal error' });
  }
}

export async function startWebServer(o: WebServerOptions): Promise<RunningWebServer> {
  const files = new StaticFiles();
  const streams = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.endsWith('/events')) {
      streams.add(res);
      res.on('close', () => streams.delete(res));
    }
    const route = async () => {
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html'))
        files.serve('index.html', res);
      else if (req.method === 'GET' && url.pathname === '/dashboard') files.serve('dashboard.html', res);
      else if (
        req.method === 'GET' &&
        url.pathname.startsWith('/static/') &&
        files.serve(url.pathname.slice(8), res)
      )
        return;
      else if (url.pathname === '/healthz') {
        const health = o.health();
        sendJson(res, health.ready ? 200 : 503, { status: health.ready ? 'ok' : 'starting', ...health });
      } else if (!(await handleApi(req, res, url, o)))
        throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
    };
    route().catch((error: unknown) => fail(res, error, o.logger));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Stop accepting, let requests in progress finish, and end the event streams, which never end by themselves.
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const stream of streams) stream.end();
      }),
  };
}
