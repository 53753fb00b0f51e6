// Where a model gets loaded (free memory first, then LRU eviction of idle models) and the prewarm spread.
import { describe, expect, it } from 'vitest';
import {
  planEviction,
  planPlacement,
  planPrewarm,
  type PlacementPlan,
} from '../../cluster/core/placement.js';
import { BYTES_PER_GB, ServerState } from '../../cluster/core/server-state.js';
import { FakeClock } from '../../core/clock.js';

const GB = BYTES_PER_GB;
const clock = new FakeClock();
const NOW = clock.now();
const MINUTE = 60_000;

interface LoadedSpec {
  gb: number;
  /** Minutes ago it was last used; undefined: never used through the router. */
  usedAgo?: number;
  inFlight?: number;
  loading?: boolean;
}

/** A server with `memoryGb`, models downloaded (GB each) and loaded ones with their use times. */
function server(
  name: string,
  memoryGb: number,
  downloaded: Record<string, number>,
  loaded: Record<string, LoadedSpec> = {},
): ServerState {
  const port = 42000 + name.charCodeAt(0);
  const s = new ServerState({
    id: `127.0.0.1:${port}`,
    name,
    url: `http://127.0.0.1:${port}`,
    maxMemoryGb: memoryGb,
    parallelSlots: 4,
  });
  const sizes = { ...downloaded, ...Object.fromEntries(Object.entries(loaded).map(([k, v]) => [k, v.gb])) };
  s.applyDiscovery(
    Object.entries(sizes).map(([key, gb]) => ({
      key,
      sizeBytes: gb * GB,
      loadedInstances: key in loaded && !loaded[key]?.loading ? [{ id: `${key}#1` }] : [],
    })),
  );
  for (const [key, spec] of Object.entries(loaded)) {
    if (spec.loading) s.beginLoad(key);
    if (spec.usedAgo !== undefined) s.markUsed(key, NOW - spec.usedAgo * MINUTE);
    for (let i = 0; i < (spec.inFlight ?? 0); i++) s.beginRequest(key, NOW - (spec.usedAgo ?? 0) * MINUTE);
  }
  return s;
}

const describePlan = (plan: PlacementPlan): unknown =>
  'server' in plan ? { server: plan.server.name, evict: plan.evict.map((e) => e.model) } : plan;

describe('planPlacement: free memory', () => {
  it('GIVEN room on several servers THEN the one with the most free memory (spread)', () => {
    const servers = [
      server('a', 16, { m: 4, x: 8 }, { x: { gb: 8 } }),
      server('b', 12, { m: 4 }),
      server('c', 32, { m: 4, y: 24 }, { y: { gb: 24 } }),
    ];
    expect(describePlan(planPlacement('m', 4 * GB, servers, NOW))).toEqual({ server: 'b', evict: [] });
  });

  it('GIVEN equal free memory THEN fewer requests in flight, then the name', () => {
    const a = server('a', 16, { m: 4, x: 1 }, { x: { gb: 0, inFlight: 1 } });
    const b = server('b', 16, { m: 4 });
    expect(describePlan(planPlacement('m', 4 * GB, [a, b], NOW))).toEqual({ server: 'b', evict: [] });
    const c = server('c', 16, { m: 4 });
    expect(describePlan(planPlacement('m', 4 * GB, [c, b], NOW))).toEqual({ server: 'b', evict: [] });
  });

  it('GIVEN a server with room only after evicting and one with room now THEN the one with room now', () => {
    const servers = [
      server('a', 64, { m: 10, big: 60 }, { big: { gb: 60, usedAgo: 600 } }),
      server('b', 12, { m: 10 }),
    ];
    expect(describePlan(planPlacement('m', 10 * GB, servers, NOW))).toEqual({ server: 'b', evict: [] });
  });

  it('GIVEN a server where the model is not downloaded THEN it is not considered', () => {
    const servers = [server('a', 64, {}), server('b', 8, { m: 4 })];
    expect(describePlan(planPlacement('m', 4 * GB, servers, NOW))).toEqual({ server: 'b', evict: [] });
  });

  it('GIVEN the model loaded on one server THEN a second copy goes elsewhere', () => {
    const servers = [server('a', 64, { m: 4 }, { m: { gb: 4 } }), server('b', 8, { m: 4 })];
    expect(describePlan(planPlacement('m', 4 * GB, servers, NOW))).toEqual({ server: 'b', evict: [] });
  });

  it('GIVEN an unhealthy, disabled or broken server THEN it is not considered', () => {
    const unhealthy = server('a', 64, { m: 4 });
    unhealthy.healthy = false;
    const disabled = server('b', 64, { m: 4 });
    disabled.enabled = false;
    const broken = server('c', 64, { m: 4 });
    broken.breaker.onFailure(NOW, { fatal: true });
    const fine = server('d', 8, { m: 4 });
    expect(describePlan(planPlacement('m', 4 * GB, [unhealthy, disabled, broken, fine], NOW))).toEqual({
      server: 'd',
      evict: [],
    });
  });
});

describe('planPlacement: eviction', () => {
  it('GIVEN no room anywhere THEN the least recently used idle models go, oldest first', () => {
    const s = server(
      'a',
      16,
      { m: 9 },
      { old: { gb: 4, usedAgo: 30 }, mid: { gb: 4, usedAgo: 20 }, hot: { gb: 4, usedAgo: 1 } },
    );
    const plan = planPlacement('m', 9 * GB, [s], NOW);
    expect(plan).toEqual({
      server: s,
      evict: [
        { model: 'old', instanceId: 'old#1' },
        { model: 'mid', instanceId: 'mid#1' },
      ],
    });
  });

  it('GIVEN models in flight or loading THEN they are never evicted', () => {
    const s = server(
      'a',
      18,
      { m: 8 },
      {
        busy: { gb: 6, usedAgo: 60, inFlight: 1 },
        coming: { gb: 4, loading: true },
        idle: { gb: 4, usedAgo: 1 },
      },
    );
    expect(describePlan(planPlacement('m', 8 * GB, [s], NOW))).toEqual({ server: 'a', evict: ['idle'] });
  });

  it('GIVEN a small cold model and a bigger one that alone frees enough THEN the small one is spared', () => {
    const s = server(
      'a',
      16,
      { m: 8 },
      { tiny: { gb: 1, usedAgo: 60 }, big: { gb: 10, usedAgo: 30 }, hot: { gb: 4, usedAgo: 1 } },
    );
    expect(describePlan(planPlacement('m', 8 * GB, [s], NOW))).toEqual({ server: 'a', evict: ['big'] });
  });

  it('GIVEN eviction plans on two servers THEN the one evicting only colder models wins', () => {
    const servers = [
      server('a', 8, { m: 6 }, { warm: { gb: 4, usedAgo: 5 } }),
      server('b', 16, { m: 6 }, { cold1: { gb: 6, usedAgo: 40 }, cold2: { gb: 6, usedAgo: 50 } }),
    ];
    expect(describePlan(planPlacement('m', 6 * GB, servers, NOW))).toEqual({ server: 'b', evict: ['cold2'] });
  });

  it('GIVEN equally cold plans THEN the fewest bytes evicted, then the fewest models', () => {
    const fewerBytes = [
      server('a', 8, { m: 6 }, { big: { gb: 8 } }),
      server('b', 8, { m: 6 }, { small: { gb: 6 } }),
    ];
    expect(describePlan(planPlacement('m', 6 * GB, fewerBytes, NOW))).toEqual({
      server: 'b',
      evict: ['small'],
    });
    const fewerModels = [
      server('a', 8, { m: 6 }, { p: { gb: 3 }, q: { gb: 3 } }),
      server('b', 8, { m: 6 }, { r: { gb: 6 } }),
    ];
    expect(describePlan(planPlacement('m', 6 * GB, fewerModels, NOW))).toEqual({ server: 'b', evict: ['r'] });
  });

  it('GIVEN never-used models (discovered, not ours) THEN they go before any we used', () => {
    const s = server('a', 8, { m: 4 }, { ours: { gb: 4, usedAgo: 600 }, foreign: { gb: 4 } });
    expect(describePlan(planPlacement('m', 4 * GB, [s], NOW))).toEqual({ server: 'a', evict: ['foreign'] });
  });

  it('GIVEN a model with a hand-loaded second instance THEN evicting it frees both instances', () => {
    const s = server('a', 8, { m: 6 });
    s.applyDiscovery([
      { key: 'm', sizeBytes: 6 * GB, loadedInstances: [] },
      { key: 'dup', sizeBytes: 3 * GB, loadedInstances: [{ id: 'dup' }, { id: 'dup:2' }] },
    ]);
    expect(s.freeMemoryBytes).toBe(2 * GB);
    expect(planPlacement('m', 6 * GB, [s], NOW)).toEqual({
      server: s,
      evict: [
        { model: 'dup', instanceId: 'dup' },
        { model: 'dup', instanceId: 'dup:2' },
      ],
    });
  });

  it('GIVEN planEviction on one server THEN it lists what to unload, or nothing, or undefined', () => {
    const s = server('a', 8, { m: 6 }, { old: { gb: 4, usedAgo: 9 }, busy: { gb: 2, inFlight: 1 } });
    expect(planEviction(s, 2 * GB)).toEqual([]);
    expect(planEviction(s, 6 * GB)).toEqual([{ model: 'old', instanceId: 'old#1' }]);
    expect(planEviction(s, 7 * GB)).toBeUndefined();
  });
});

describe('planPlacement: none', () => {
  it('GIVEN no usable server has the model THEN not_downloaded', () => {
    expect(planPlacement('m', GB, [server('a', 8, { x: 1 })], NOW)).toEqual({
      none: 'model "m" is not downloaded on any usable server without it',
      code: 'not_downloaded',
    });
  });

  it('GIVEN the model is larger than every server THEN too_large, naming the sizes', () => {
    const servers = [server('a', 8, { m: 20 }), server('b', 16, { m: 20 })];
    expect(planPlacement('m', 20 * GB, servers, NOW)).toEqual({
      none: 'model "m" (20.0 GB) is larger than any usable server\'s memory (largest: 16.0 GB)',
      code: 'too_large',
    });
  });

  it('GIVEN room only by unloading models in use THEN busy', () => {
    const s = server('a', 8, { m: 6 }, { busy: { gb: 4, inFlight: 2 } });
    expect(planPlacement('m', 6 * GB, [s], NOW)).toEqual({
      none: 'model "m" fits only by unloading models in use; try again later',
      code: 'busy',
    });
  });
});

describe('planPrewarm', () => {
  it('GIVEN models and empty servers THEN biggest first, each onto the server with the most free memory', () => {
    const all = { m8: 8, m6: 6, m4: 4, m2: 2 };
    const servers = [server('a', 16, all), server('b', 12, all)];
    const plan = planPrewarm(
      [
        { key: 'm2', sizeBytes: 2 * GB },
        { key: 'm8', sizeBytes: 8 * GB },
        { key: 'm4', sizeBytes: 4 * GB },
        { key: 'm6', sizeBytes: 6 * GB },
      ],
      servers,
      NOW,
    );
    // a: 16 → m8 → 8; b: 12 → m6 → 6; m4 → a (8) → 4; m2 → b (6).
    const keys = (id: string) => plan.loads.get(id)?.map((m) => m.key);
    expect(keys((servers[0] as ServerState).id)).toEqual(['m8', 'm4']);
    expect(keys((servers[1] as ServerState).id)).toEqual(['m6', 'm2']);
    expect(plan.unplaced).toEqual([]);
    expect(plan.alreadyLoaded).toEqual([]);
  });

  it('GIVEN a model listed twice THEN it is placed once', () => {
    const servers = [server('a', 16, { m: 4 }), server('b', 16, { m: 4 })];
    const plan = planPrewarm(
      [
        { key: 'm', sizeBytes: 4 * GB },
        { key: 'm', sizeBytes: 4 * GB },
      ],
      servers,
      NOW,
    );
    expect([...plan.loads.values()].flat()).toEqual([{ key: 'm', sizeBytes: 4 * GB }]);
    expect(plan.loads.has((servers[0] as ServerState).id)).toBe(true);
  });

  it('GIVEN loaded models THEN they count against free memory and are reported as already loaded', () => {
    const servers = [
      server('a', 16, { m: 4, n: 4 }, { x: { gb: 10 } }),
      server('b', 8, { n: 4, m: 4, x: 10 }),
    ];
    const plan = planPrewarm(
      [
        { key: 'x', sizeBytes: 10 * GB },
        { key: 'n', sizeBytes: 4 * GB },
        { key: 'm', sizeBytes: 4 * GB },
      ],
      servers,
      NOW,
    );
    expect(plan.alreadyLoaded).toEqual(['x']);
    // b has 8 free, a has 6: m goes to b (key order for equal sizes), then n to a (6 > 4).
    expect(plan.loads.get((servers[1] as ServerState).id)).toEqual([{ key: 'm', sizeBytes: 4 * GB }]);
    expect(plan.loads.get((servers[0] as ServerState).id)).toEqual([{ key: 'n', sizeBytes: 4 * GB }]);
  });

  it('GIVEN models that fit nowhere or are downloaded nowhere THEN they are reported with the reason', () => {
    const servers = [server('a', 8, { big: 12, m: 6, n: 6 })];
    const plan = planPrewarm(
      [
        { key: 'big', sizeBytes: 12 * GB },
        { key: 'm', sizeBytes: 6 * GB },
        { key: 'n', sizeBytes: 6 * GB },
        { key: 'ghost', sizeBytes: GB },
      ],
      servers,
      NOW,
    );
    expect(plan.loads.get((servers[0] as ServerState).id)).toEqual([{ key: 'm', sizeBytes: 6 * GB }]);
    expect(plan.unplaced).toEqual([
      {
        key: 'big',
        sizeBytes: 12 * GB,
        reason: 'larger than the free memory of every server that has it (12.0 GB)',
      },
      {
        key: 'n',
        sizeBytes: 6 * GB,
        reason: 'larger than the free memory of every server that has it (6.0 GB)',
      },
      { key: 'ghost', sizeBytes: GB, reason: 'not downloaded on any usable server' },
    ]);
  });

  it('GIVEN an unusable server THEN nothing is planned on it', () => {
    const down = server('a', 64, { m: 4 });
    down.healthy = false;
    const plan = planPrewarm([{ key: 'm', sizeBytes: 4 * GB }], [down, server('b', 8, { m: 4 })], NOW);
    expect([...plan.loads.keys()]).toEqual(['127.0.0.1:42098']);
  });
});
