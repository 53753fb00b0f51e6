// Server choice under model-affinity, least-loaded and round-robin, with queue / place / none answers.
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GB, ServerState } from '../../cluster/core/server-state.js';
import { RoundRobinCursor, chooseServer, type ServerChoice } from '../../cluster/core/strategies.js';
import { FakeClock } from '../../core/clock.js';

const GB = BYTES_PER_GB;
const NOW = new FakeClock().now();

interface Spec {
  slots?: number;
  inFlight?: number;
  /** Loaded model keys (4 GB each). */
  loaded?: string[];
  /** Downloaded but not loaded (4 GB each). */
  downloaded?: string[];
  memoryGb?: number;
}

/** A server named `name` on a loopback port, its models discovered and `inFlight` requests running. */
function server(name: string, spec: Spec = {}): ServerState {
  const port = 41000 + name.charCodeAt(0);
  const s = new ServerState({
    id: `127.0.0.1:${port}`,
    name,
    url: `http://127.0.0.1:${port}`,
    maxMemoryGb: spec.memoryGb ?? 16,
    parallelSlots: spec.slots ?? 4,
  });
  s.applyDiscovery([
    ...(spec.loaded ?? []).map((key) => ({ key, sizeBytes: 4 * GB, loadedInstances: [{ id: key }] })),
    ...(spec.downloaded ?? []).map((key) => ({ key, sizeBytes: 4 * GB, loadedInstances: [] })),
  ]);
  // Busy work on a model of its own, so the test's models keep their in-flight counts at 0.
  for (let i = 0; i < (spec.inFlight ?? 0); i++) s.beginRequest('other', NOW);
  return s;
}

const picked = (choice: ServerChoice): string | undefined =>
  choice.kind === 'server' ? choice.server.name : undefined;

describe('chooseServer: model-affinity', () => {
  it('GIVEN the model loaded on two servers THEN the one with fewer requests in flight', () => {
    const servers = [
      server('a', { loaded: ['m'], inFlight: 2 }),
      server('b', { loaded: ['m'], inFlight: 1 }),
      server('c', { downloaded: ['m'] }),
    ];
    expect(picked(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW))).toBe('b');
  });

  it('GIVEN equal requests in flight THEN the lower share of slots, then the name, breaks the tie', () => {
    const bigger = [
      server('a', { loaded: ['m'], inFlight: 2, slots: 4 }),
      server('b', { loaded: ['m'], inFlight: 2, slots: 8 }),
    ];
    expect(picked(chooseServer(bigger, 'm', 'model-affinity', new RoundRobinCursor(), NOW))).toBe('b');
    const same = [server('b', { loaded: ['m'] }), server('a', { loaded: ['m'] })];
    expect(picked(chooseServer(same, 'm', 'model-affinity', new RoundRobinCursor(), NOW))).toBe('a');
  });

  it('GIVEN the model loaded nowhere but downloaded on a usable server THEN placement decides', () => {
    const servers = [server('a', { loaded: ['x'] }), server('b', { downloaded: ['m'] })];
    expect(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'place',
    });
  });

  it('GIVEN the model loading on a server THEN requests go there rather than to a second copy', () => {
    const a = server('a', { downloaded: ['m'] });
    a.beginLoad('m');
    const servers = [a, server('b', { downloaded: ['m'] })];
    expect(picked(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW))).toBe('a');
  });

  it('GIVEN every server holding the model is full THEN queue', () => {
    const servers = [
      server('a', { loaded: ['m'], slots: 1, inFlight: 1 }),
      server('b', { loaded: ['m'], slots: 2, inFlight: 2 }),
      server('c', { downloaded: ['m'] }),
    ];
    expect(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'queue',
    });
  });

  it('GIVEN the only server holding the model has its breaker open THEN placement decides', () => {
    const a = server('a', { loaded: ['m'] });
    a.breaker.onFailure(NOW, { fatal: true });
    const servers = [a, server('b', { downloaded: ['m'] })];
    expect(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'place',
    });
  });

  it('GIVEN the model is downloaded on no usable server THEN none, with the reason', () => {
    const servers = [server('a', { loaded: ['x'] })];
    expect(chooseServer(servers, 'm', 'model-affinity', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'none',
      reason: 'model "m" is not downloaded on any usable server',
    });
  });

  it('GIVEN a half-open breaker THEN the server counts as usable and its probe is not taken', () => {
    const a = server('a', { loaded: ['m'] });
    a.breaker.onFailure(NOW, { fatal: true });
    const later = NOW + 5000;
    expect(picked(chooseServer([a], 'm', 'model-affinity', new RoundRobinCursor(), later))).toBe('a');
    expect(a.breaker.tryAcquire(later)).toBe(true);
    expect(chooseServer([a], 'm', 'model-affinity', new RoundRobinCursor(), later)).toMatchObject({
      kind: 'none',
    });
  });
});

describe('chooseServer: least-loaded', () => {
  it('GIVEN servers with the model THEN the lowest share of busy slots wins, loaded or not', () => {
    const servers = [
      server('a', { loaded: ['m'], inFlight: 2, slots: 4 }),
      server('b', { downloaded: ['m'], inFlight: 1, slots: 4 }),
      server('c', { loaded: ['m'], inFlight: 3, slots: 8 }),
    ];
    expect(picked(chooseServer(servers, 'm', 'least-loaded', new RoundRobinCursor(), NOW))).toBe('b');
  });

  it('GIVEN equal shares THEN fewer in flight, then holding the model, then the name', () => {
    const fewer = [
      server('a', { loaded: ['m'], inFlight: 2, slots: 4 }),
      server('b', { loaded: ['m'], inFlight: 1, slots: 2 }),
    ];
    expect(picked(chooseServer(fewer, 'm', 'least-loaded', new RoundRobinCursor(), NOW))).toBe('b');
    const holding = [server('a', { downloaded: ['m'] }), server('b', { loaded: ['m'] })];
    expect(picked(chooseServer(holding, 'm', 'least-loaded', new RoundRobinCursor(), NOW))).toBe('b');
    const named = [server('b', { loaded: ['m'] }), server('a', { loaded: ['m'] })];
    expect(picked(chooseServer(named, 'm', 'least-loaded', new RoundRobinCursor(), NOW))).toBe('a');
  });

  it('GIVEN a server without the model, or where it can never fit, THEN it is not a candidate', () => {
    const small = new ServerState({
      id: 's',
      name: 's',
      url: 'http://127.0.0.1:41999',
      maxMemoryGb: 2,
      parallelSlots: 4,
    });
    small.applyDiscovery([{ key: 'm', sizeBytes: 4 * GB, loadedInstances: [] }]);
    const servers = [server('a', { loaded: ['x'] }), small, server('b', { downloaded: ['m'], inFlight: 3 })];
    expect(picked(chooseServer(servers, 'm', 'least-loaded', new RoundRobinCursor(), NOW))).toBe('b');
    expect(chooseServer(servers.slice(0, 2), 'm', 'least-loaded', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'none',
      reason: 'model "m" is not downloaded on any usable server',
    });
  });

  it('GIVEN every candidate is full THEN queue', () => {
    const servers = [
      server('a', { loaded: ['m'], slots: 1, inFlight: 1 }),
      server('b', { downloaded: ['x'] }),
    ];
    expect(chooseServer(servers, 'm', 'least-loaded', new RoundRobinCursor(), NOW)).toEqual({
      kind: 'queue',
    });
  });
});

describe('chooseServer: round-robin', () => {
  it('GIVEN three servers with the model THEN they take turns in configuration order', () => {
    const servers = ['c', 'a', 'b'].map((name) => server(name, { downloaded: ['m'] }));
    const cursor = new RoundRobinCursor();
    const order = Array.from({ length: 5 }, () =>
      picked(chooseServer(servers, 'm', 'round-robin', cursor, NOW)),
    );
    expect(order).toEqual(['c', 'a', 'b', 'c', 'a']);
  });

  it('GIVEN a full or unusable server THEN its turn passes to the next', () => {
    const servers = [
      server('a', { downloaded: ['m'] }),
      server('b', { downloaded: ['m'], slots: 1, inFlight: 1 }),
      server('c', { downloaded: ['m'] }),
      server('d', { downloaded: ['x'] }),
    ];
    (servers[2] as ServerState).enabled = false;
    const cursor = new RoundRobinCursor();
    const order = Array.from({ length: 3 }, () =>
      picked(chooseServer(servers, 'm', 'round-robin', cursor, NOW)),
    );
    expect(order).toEqual(['a', 'a', 'a']);
    (servers[1] as ServerState).endRequest('other', NOW);
    expect(picked(chooseServer(servers, 'm', 'round-robin', cursor, NOW))).toBe('b');
  });

  it('GIVEN the last chosen server was removed THEN the turn starts again from the first', () => {
    const servers = ['a', 'b', 'c'].map((name) => server(name, { downloaded: ['m'] }));
    const cursor = new RoundRobinCursor();
    cursor.lastId = 'gone';
    expect(picked(chooseServer(servers, 'm', 'round-robin', cursor, NOW))).toBe('a');
    expect(cursor.lastId).toBe((servers[0] as ServerState).id);
  });

  it('GIVEN every candidate is full THEN queue, and the cursor stays', () => {
    const servers = [server('a', { downloaded: ['m'], slots: 1, inFlight: 1 })];
    const cursor = new RoundRobinCursor();
    expect(chooseServer(servers, 'm', 'round-robin', cursor, NOW)).toEqual({ kind: 'queue' });
    expect(cursor.lastId).toBeUndefined();
  });

  it('GIVEN no server has the model THEN none', () => {
    const servers = [server('a', { downloaded: ['x'] })];
    expect(chooseServer(servers, 'm', 'round-robin', new RoundRobinCursor(), NOW)).toMatchObject({
      kind: 'none',
    });
  });
});

describe('chooseServer: no usable server', () => {
  const cursor = new RoundRobinCursor();

  it('GIVEN no servers THEN none: none configured', () => {
    expect(chooseServer([], 'm', 'model-affinity', cursor, NOW)).toEqual({
      kind: 'none',
      reason: 'no LM Studio server is configured',
    });
  });

  it('GIVEN only disabled servers THEN none: all disabled', () => {
    const servers = [server('a', { loaded: ['m'] })];
    (servers[0] as ServerState).enabled = false;
    expect(chooseServer(servers, 'm', 'least-loaded', cursor, NOW)).toEqual({
      kind: 'none',
      reason: 'every LM Studio server is disabled',
    });
  });

  it('GIVEN only unhealthy servers THEN none: none healthy', () => {
    const servers = [server('a', { loaded: ['m'] })];
    (servers[0] as ServerState).healthy = false;
    expect(chooseServer(servers, 'm', 'round-robin', cursor, NOW)).toEqual({
      kind: 'none',
      reason: 'no enabled LM Studio server is healthy',
    });
  });

  it('GIVEN healthy servers with open breakers THEN none: breakers open', () => {
    const servers = [server('a', { loaded: ['m'] })];
    (servers[0] as ServerState).breaker.onFailure(NOW, { fatal: true });
    expect(chooseServer(servers, 'm', 'model-affinity', cursor, NOW)).toEqual({
      kind: 'none',
      reason: 'every healthy LM Studio server has its circuit breaker open',
    });
  });
});
