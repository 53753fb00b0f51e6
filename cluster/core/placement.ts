// Where to load a model that no server holds, and what to unload there first; and how to spread the entities'
// models over the servers at start (prewarm). Pure: reads the servers' state and returns plans to carry out.
//
// Placement spreads rather than packs: of the servers with room, the one with the most free memory. Chorus's models
// are few and all in use, so spreading puts them on different machines, whose parallel slots and compute then share
// the load, and leaves headroom everywhere for the next model without evicting. Bin-packing would keep one server
// empty for a model larger than any gap, which a fleet of persona bots rarely needs.
//
// Eviction is least-recently-used: only idle models (nothing in flight, not loading) go, coldest first, and a model
// whose memory turns out not to be needed is spared. Across servers the plan whose most recently used victim is
// coldest wins (evicting a hot model means loading it again soon); then the fewest bytes, then the fewest models.
import { BYTES_PER_GB, compareServerNames, type LoadedModel, type ServerState } from './server-state.js';

export interface EvictionTarget {
  model: string;
  instanceId: string;
}

export type PlacementFailure = 'not_downloaded' | 'too_large' | 'busy';

export type PlacementPlan =
  /** Unload `evict` (in order; one entry per instance) on `server`, then load the model there. */
  | { server: ServerState; evict: EvictionTarget[] }
  /**
   * `not_downloaded`: no usable server has the model; `too_large`: it is larger than every such server's memory;
   * `busy`: it would fit only by unloading models in use: wait and plan again.
   */
  | { none: string; code: PlacementFailure };

export interface ModelSize {
  key: string;
  sizeBytes: number;
}

export interface PrewarmPlan {
  /** Models to load, per server id, biggest first. */
  loads: Map<string, ModelSize[]>;
  /** Already loaded (or loading) on some usable server. */
  alreadyLoaded: string[];
  /** Models that fit in no usable server's free memory, with the reason. */
  unplaced: (ModelSize & { reason: string })[];
}

interface Candidate {
  server: ServerState;
  victims: [string, Readonly<LoadedModel>][];
  bytes: number;
  /** lastUsedAt of the most recently used victim (-1 when nothing is evicted). */
  newest: number;
}

const gb = (bytes: number): string => `${(bytes / BYTES_PER_GB).toFixed(1)} GB`;

export function planPlacement(
  model: string,
  sizeBytes: number,
  servers: readonly ServerState[],
  now: number,
): PlacementPlan {
  const usable = servers.filter(
    (server) => server.acceptsRequests(now) && server.isDownloaded(model) && !server.hasLoaded(model),
  );
  if (usable.length === 0) {
    return {
      none: `model "${model}" is not downloaded on any usable server without it`,
      code: 'not_downloaded',
    };
  }
  const large = usable.filter((server) => server.memoryBytes >= sizeBytes);
  if (large.length === 0) {
    const largest = Math.max(...usable.map((server) => server.memoryBytes));
    return {
      none: `model "${model}" (${gb(sizeBytes)}) is larger than any usable server's memory (largest: ${gb(largest)})`,
      code: 'too_large',
    };
  }
  let best: Candidate | undefined;
  for (const server of large) {
    const candidate = evictionFor(server, sizeBytes);
    if (candidate && (!best || compareCandidates(candidate, best) < 0)) best = candidate;
  }
  if (!best) {
    return { none: `model "${model}" fits only by unloading models in use; try again later`, code: 'busy' };
  }
  return { server: best.server, evict: targets(best.victims) };
}

/**
 * What to unload on `server` so that `sizeBytes` fit, least recently used first; undefined if even unloading every
 * idle model is not enough. Nothing to unload if it fits already.
 */
export function planEviction(server: ServerState, sizeBytes: number): EvictionTarget[] | undefined {
  const candidate = evictionFor(server, sizeBytes);
  return candidate && targets(candidate.victims);
}

/** Every instance of each victim, hand-loaded extras included: the memory counted as freed is all of theirs. */
function targets(victims: readonly [string, Readonly<LoadedModel>][]): EvictionTarget[] {
  return victims.flatMap(([model, loaded]) =>
    [loaded.instanceId, ...loaded.extraInstanceIds].map((instanceId) => ({ model, instanceId })),
  );
}

function evictionFor(server: ServerState, sizeBytes: number): Candidate | undefined {
  let free = server.memoryBytes - server.usedMemoryBytes;
  if (free >= sizeBytes) return { server, victims: [], bytes: 0, newest: -1 };
  const idle = [...server.loaded]
    .filter(([, loaded]) => loaded.inFlight === 0 && !loaded.loading)
    .sort(([keyA, a], [keyB, b]) => a.lastUsedAt - b.lastUsedAt || (keyA < keyB ? -1 : 1));
  const victims: [string, Readonly<LoadedModel>][] = [];
  for (const victim of idle) {
    if (free >= sizeBytes) break;
    victims.push(victim);
    free += heldBytes(victim[1]);
  }
  if (free < sizeBytes) return undefined;
  // Spare victims that were not needed after all, most recently used first (a small cold model taken before a big
  // one that alone frees enough).
  for (let i = victims.length - 1; i >= 0; i--) {
    const held = heldBytes((victims[i] as [string, LoadedModel])[1]);
    if (free - held >= sizeBytes) {
      free -= held;
      victims.splice(i, 1);
    }
  }
  const bytes = victims.reduce((sum, [, loaded]) => sum + heldBytes(loaded), 0);
  const newest = Math.max(-1, ...victims.map(([, loaded]) => loaded.lastUsedAt));
  return { server, victims, bytes, newest };
}

/** Evicting nothing beats evicting: then the most free memory; otherwise see the file header. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const aFits = a.victims.length === 0;
  if (aFits !== (b.victims.length === 0)) return aFits ? -1 : 1;
  if (aFits) return roomiest(a.server, b.server);
  return (
    a.newest - b.newest ||
    a.bytes - b.bytes ||
    a.victims.length - b.victims.length ||
    compareServerNames(a.server, b.server)
  );
}

/** The most free memory first, then the fewest requests in flight, then by name. */
function roomiest(
  a: ServerState,
  b: ServerState,
  freeA = a.freeMemoryBytes,
  freeB = b.freeMemoryBytes,
): number {
  return freeB - freeA || a.inFlight - b.inFlight || compareServerNames(a, b);
}

/** An instance of a model holds `sizeBytes`; hand-loaded extra instances hold as much again each. */
function heldBytes(loaded: Readonly<LoadedModel>): number {
  return loaded.sizeBytes * (1 + loaded.extraInstanceIds.length);
}

/**
 * Spreads models over the servers' free memory without evicting anything: each model once, biggest first, onto the
 * usable server that has it downloaded and the most free memory left. Models loaded somewhere already are skipped.
 */
export function planPrewarm(
  models: readonly ModelSize[],
  servers: readonly ServerState[],
  now: number,
): PrewarmPlan {
  const usable = servers.filter((server) => server.acceptsRequests(now));
  const free = new Map(usable.map((server) => [server, server.freeMemoryBytes]));
  const plan: PrewarmPlan = { loads: new Map(), alreadyLoaded: [], unplaced: [] };
  const unique = new Map(models.map((model) => [model.key, model]));
  const order = [...unique.values()].sort((a, b) => b.sizeBytes - a.sizeBytes || (a.key < b.key ? -1 : 1));
  for (const model of order) {
    if (usable.some((server) => server.hasLoaded(model.key))) {
      plan.alreadyLoaded.push(model.key);
      continue;
    }
    const holders = usable.filter((server) => server.isDownloaded(model.key));
    let best: ServerState | undefined;
    for (const server of holders) {
      const room = free.get(server) as number;
      if (room < model.sizeBytes) continue;
      if (!best || roomiest(server, best, room, free.get(best) as number) < 0) best = server;
    }
    if (!best) {
      const reason =
        holders.length === 0
          ? 'not downloaded on any usable server'
          : `larger than the free memory of every server that has it (${gb(model.sizeBytes)})`;
      plan.unplaced.push({ ...model, reason });
      continue;
    }
    free.set(best, (free.get(best) as number) - model.sizeBytes);
    const list = plan.loads.get(best.id) ?? [];
    list.push(model);
    plan.loads.set(best.id, list);
  }
  return plan;
}
