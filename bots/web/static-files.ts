// Serves the playground's and the dashboard's files (bots/web/static) from memory; read once, at start.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'dashboard.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

export class StaticFiles {
  readonly #files = new Map<string, Buffer>();

  constructor(directory: URL = new URL('./static/', import.meta.url)) {
    for (const name of Object.keys(TYPES)) this.#files.set(name, readFileSync(new URL(name, directory)));
  }

  /** Serves `name` if it is one of the playground's files; returns false otherwise. */
  serve(name: string, res: ServerResponse): boolean {
    const body = this.#files.get(name);
    const type = TYPES[name];
    if (!body || !type) return false;
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(body);
    return true;
  }
}
