// Which server a request for a model goes to, under the three `loadBalancingStrategy` settings. Pure: reads the
// servers' state, never changes it (except the round-robin cursor it is given), and never takes a breaker's probe.
import type { LOAD_BALANCING_STRATEGIES } from '../../entities/config/schema.js';
import { compareServerNames, type ServerState } from './server-state.js';

export type LoadBalancingStrategy = (typeof LOAD_BALANCING_STRATEGIES)[number];

export type ServerChoice =
  /** Send it there (the model may still have to be loaded there: see `ServerState.hasLoaded`). */
  | { kind: 'server'; server: ServerState }
  /** The model is loaded on no usable server: ask placement where to load it. */
  | { kind: 'place' }
  /** Servers could take it but every slot is busy: wait in the queue and ask again when a request ends. */
  | { kind: 'queue' }
  /** No server can take it now. */
  | { kind: 'none'; reason: string };

/** Where round-robin left off; one per router, kept between calls. */
export class RoundRobinCursor {
  /** The id of the server chosen last. */
  lastId: string | undefined;
}

export function chooseServer(
  servers: readonly ServerState[],
  model: string,
  strategy: LoadBalancingStrategy,
  cursor: RoundRobinCursor,
  now: number,
): ServerChoice {
  const usable = servers.filter((server) => server.acceptsRequests(now));
  if (usable.length === 0) return { kind: 'none', reason: noServerReason(servers) };
  switch (strategy) {
    case 'model-affinity':
      return modelAffinity(usable, model);
    case 'least-loaded':
      return leastLoaded(usable, model);
    case 'round-robin':
      return roundRobin(servers, usable, model, cursor);
  }
}

/** Among servers holding the model (loading counts: a second copy would be wasted), the least busy. */
function modelAffinity(usable: readonly ServerState[], model: string): ServerChoice {
  const holding = usable.filter((server) => server.hasLoaded(model));
  if (holding.length === 0) {
    return usable.some((server) => server.isDownloaded(model))
      ? { kind: 'place' }
      : { kind: 'none', reason: notDownloaded(model) };
  }
  return pick(holding, byInFlightThenRatio);
}

/** Among servers that hold the model or can load it, the lowest share of busy slots; holding it breaks ties. */
function leastLoaded(usable: readonly ServerState[], model: string): ServerChoice {
  const candidates = usable.filter((server) => canServe(server, model));
  if (candidates.length === 0) return { kind: 'none', reason: notDownloaded(model) };
  return pick(candidates, (a, b) => {
    return (
      a.loadRatio - b.loadRatio ||
      a.inFlight - b.inFlight ||
      Number(b.hasLoaded(model)) - Number(a.hasLoaded(model)) ||
      compareServerNames(a, b)
    );
  });
}

/** The next candidate after the last chosen server, in configuration order. */
function roundRobin(
  servers: readonly ServerState[],
  usable: readonly ServerState[],
  model: string,
  cursor: RoundRobinCursor,
): ServerChoice {
  const candidates = new Set(usable.filter((server) => canServe(server, model)));
  if (candidates.size === 0) return { kind: 'none', reason: notDownloaded(model) };
  const start = servers.findIndex((server) => server.id === cursor.lastId) + 1;
  for (let step = 0; step < servers.length; step++) {
    const server = servers[(start + step) % servers.length] as ServerState;
    if (candidates.has(server) && server.hasFreeSlot()) {
      cursor.lastId = server.id;
      return { kind: 'server', server };
    }
  }
  return { kind: 'queue' };
}

/** The model is loaded there, or downloaded and small enough to be loaded there (after evictions if need be). */
function canServe(server: ServerState, model: string): boolean {
  if (server.hasLoaded(model)) return true;
  const size = server.downloaded.get(model);
  return size !== undefined && size <= server.memoryBytes;
}

function pick(
  candidates: readonly ServerState[],
  compare: (a: ServerState, b: ServerState) => number,
): ServerChoice {
  let best: ServerState | undefined;
  for (const server of candidates) {
    if (server.hasFreeSlot() && (!best || compare(server, best) < 0)) best = server;
  }
  return best ? { kind: 'server', server: best } : { kind: 'queue' };
}

function byInFlightThenRatio(a: ServerState, b: ServerState): number {
  return a.inFlight - b.inFlight || a.loadRatio - b.loadRatio || compareServerNames(a, b);
}

function notDownloaded(model: string): string {
  return `model "${model}" is not downloaded on any usable server`;
}

function noServerReason(servers: readonly ServerState[]): string {
  if (servers.length === 0) return 'no LM Studio server is configured';
  if (!servers.some((server) => server.enabled)) return 'every LM Studio server is disabled';
  if (!servers.some((server) => server.enabled && server.healthy))
    return 'no enabled LM Studio server is healthy';
  return 'every healthy LM Studio server has its circuit breaker open';
}
