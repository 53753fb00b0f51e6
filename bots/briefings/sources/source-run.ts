// Running one fact source for a briefing: its own timeout, its own abort, and a failure that becomes one line
// ("Weather: unavailable (timeout after 5 s)") instead of losing the briefing. Also reads a URL or a file.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** One section of a briefing's facts. */
export interface FactSection {
  title: string;
  lines: string[];
  /** Set when the source failed: why, in a few words. */
  unavailable?: string;
}

class SourceTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timeout after ${ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`}`);
  }
}

/** A source failed in a way worth telling the reader (HTTP status, bad content). */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** A few words on why a source failed, for its line. */
export function failureReason(error: unknown): string {
  if (error instanceof SourceTimeout || error instanceof SourceError) return error.message;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = (error as { code?: unknown } | undefined)?.code ?? cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOENT') return 'file not found';
  if (code === 'ENOTFOUND') return 'host not found';
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 120) || 'failed';
}

/**
 * Runs `read` with its own deadline (and the caller's abort), resolving to its section or to a section
 * saying it is unavailable. Never rejects.
 */
export async function runSource(
  title: string,
  timeoutMs: number,
  read: (signal: AbortSignal) => Promise<FactSection | string[]>,
  parent?: AbortSignal,
): Promise<FactSection> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SourceTimeout(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    const result = await Promise.race([read(controller.signal), deadline]);
    return Array.isArray(result) ? { title, lines: result } : result;
  } catch (error) {
    const reason = controller.signal.reason instanceof SourceTimeout ? controller.signal.reason : error;
    return { title, lines: [], unavailable: failureReason(reason) };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

const isUrl = (location: string) => /^https?:\/\//i.test(location);

/** The text at an http(s) URL, a file:// URL or a file path. HTTP errors become SourceError("HTTP 503"). */
export async function readText(location: string, signal: AbortSignal): Promise<string> {
  if (isUrl(location)) {
    const response = await fetch(location, { signal, headers: { 'user-agent': 'Chorus briefings' } });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new SourceError(`HTTP ${response.status}`);
    }
    return await response.text();
  }
  const path = location.startsWith('file://') ? fileURLToPath(location) : location;
  return await readFile(path, { encoding: 'utf8', signal });
}

/** JSON from an http(s) URL. */
export async function readJson(url: string, signal: AbortSignal): Promise<unknown> {
  const text = await readText(url, signal);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SourceError('not JSON');
  }
}

/** A short name for a source's location, for its line: the host of a URL, the file name of a path. */
export function shortName(location: string): string {
  if (isUrl(location)) {
    try {
      return new URL(location).host;
    } catch {
      return location;
    }
  }
  return location.split(/[\\/]/).pop() ?? location;
}
