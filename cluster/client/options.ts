// Options of one LmStudioClient, their defaults in one object, and the checks that run once in the
// constructor with exact messages naming the option. Values are never echoed: a URL may hold credentials.
import type { Dispatcher } from 'undici';
import { Secret } from '../../core/secret.js';

export interface LmStudioClientTuning {
  /** Keep-alive connections to the server; streams hold one each until they end. */
  connections: number;
  /** How long an idle connection is kept open, in ms (the server's `keep-alive: timeout` hint wins if lower). */
  keepAliveTimeoutMs: number;
  /** How long opening a TCP connection may take, in ms; failing that is a `network` error. */
  connectTimeoutMs: number;
  /** Default deadline of chat, embeddings, model lists and unload, in ms. */
  requestTimeoutMs: number;
  /** Default deadline of a model load, in ms (a cold load of a large model takes minutes). */
  loadTimeoutMs: number;
  /** Default deadline of the greeting probe, in ms. */
  probeTimeoutMs: number;
  /** Inputs per `/v1/embeddings` request. */
  embeddingBatchSize: number;
  /** Largest JSON body read, in bytes; a larger one is a `bad_response`. */
  maxResponseBytes: number;
  /** Largest single event of a chat stream, in characters; a larger one is a `bad_response`. */
  maxStreamEventChars: number;
}

export const DefaultLmStudioClientTuning = {
  connections: 8,
  keepAliveTimeoutMs: 4_000,
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  loadTimeoutMs: 120_000,
  probeTimeoutMs: 2_000,
  embeddingBatchSize: 64,
  maxResponseBytes: 32 * 1024 * 1024,
  maxStreamEventChars: 1024 * 1024,
} as const satisfies LmStudioClientTuning;

export interface LmStudioClientOptions extends Partial<LmStudioClientTuning> {
  /** The server's origin, e.g. `http://127.0.0.1:1234` (no path, no credentials). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when LM Studio's API-token auth is on. */
  apiKey?: Secret;
  /** A dispatcher to use instead of the client's own keep-alive Pool; the client then never closes it. */
  dispatcher?: Dispatcher;
}

export interface ResolvedClientOptions extends LmStudioClientTuning {
  origin: string;
  apiKey: Secret | undefined;
  dispatcher: Dispatcher | undefined;
}

const INTEGER_OPTIONS = Object.keys(DefaultLmStudioClientTuning) as (keyof LmStudioClientTuning)[];

/** Checks the options and merges the defaults. Throws TypeError/RangeError naming the bad option. */
export function resolveClientOptions(options: LmStudioClientOptions): ResolvedClientOptions {
  const origin = parseOrigin(options.baseUrl);
  if (options.apiKey !== undefined && !(options.apiKey instanceof Secret)) {
    throw new TypeError(
      'options.apiKey must be a Secret (core/secret.ts), so it cannot be logged by accident',
    );
  }
  const tuning: LmStudioClientTuning = { ...DefaultLmStudioClientTuning };
  for (const key of INTEGER_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`options.${key} must be a positive integer`);
    }
    tuning[key] = value;
  }
  return { ...tuning, origin, apiKey: options.apiKey, dispatcher: options.dispatcher };
}

function parseOrigin(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string') throw new TypeError('options.baseUrl must be a string');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('options.baseUrl must be an absolute URL such as http://127.0.0.1:1234');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('options.baseUrl must use http: or https:');
  }
  if (url.username || url.password) {
    throw new TypeError('options.baseUrl must not contain credentials; pass the API key as options.apiKey');
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new TypeError('options.baseUrl must be an origin without path, query or fragment');
  }
  return url.origin;
}
