// The router's view of one server: memory, slots, loaded and downloaded models, discovery, requests and errors.
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GB, ServerState, type DiscoveredModel } from '../../cluster/core/server-state.js';
import { FakeClock } from '../../core/clock.js';
import type { ServerConfig } from '../../entities/config/schema.js';

const GB = BYTES_PER_GB;

function server(options: Partial<ConstructorParameters<typeof ServerState>[0]> = {}): ServerState {
  return new ServerState({
    id: '127.0.0.1:1234',
    url: 'http://127.0.0.1:1234',
    maxMemoryGb: 16,
    parallelSlots: 4,
    ...options,
  });
}

const model = (key: string, gb: number, instances: string[] = []): DiscoveredModel => ({
  key,
  sizeBytes: gb * GB,
  loadedInstances: instances.map((id) => ({ id })),
});

describe('ServerState: identity and capacity', () => {
  it('GIVEN a config entry THEN id, name, URL, memory in bytes and slots come from it', () => {
    const config: ServerConfig = {
      ip: '127.0.0.1',
      port: 41001,
      enabled: true,
      name: 'gpu-box',
      capabilities: { maxMemory: 24, parallelSlots: 2, supportedFormats: [], preferredModels: [] },
    };
    const s = ServerState.fromConfig(config);
    expect(s).toMatchObject({
      id: '127.0.0.1:41001',
      name: 'gpu-box',
      url: 'http://127.0.0.1:41001',
      enabled: true,
      healthy: true,
      memoryBytes: 24 * 1024 ** 3,
      parallelSlots: 2,
    });
  });

  it('GIVEN a config entry without a name, disabled, with an IPv6 address THEN the id names it', () => {
    const s = ServerState.fromConfig({
      ip: '::1',
      port: 1234,
      enabled: false,
      capabilities: { maxMemory: 0.5, parallelSlots: 4, supportedFormats: [], preferredModels: [] },
    });
    expect(s).toMatchObject({
      id: '[::1]:1234',
      name: '[::1]:1234',
      url: 'http://[::1]:1234',
      enabled: false,
    });
    expect(s.memoryBytes).toBe(512 * 1024 ** 2);
  });

  it('GIVEN breaker options THEN the server breaker uses them', () => {
    const clock = new FakeClock();
    const s = server({ breaker: { failureThreshold: 1 } });
    s.breaker.onFailure(clock.now());
    expect(s.breaker.state(clock.now())).toBe('open');
  });

  it.each([
    [{ maxMemoryGb: 0 }, 'options.maxMemoryGb must be a positive number'],
    [{ parallelSlots: 0 }, 'options.parallelSlots must be a positive integer'],
    [{ recentErrorLimit: 0 }, 'options.recentErrorLimit must be a positive integer'],
  ])('GIVEN %j THEN the constructor refuses it: %s', (options, message) => {
    expect(() => server(options)).toThrow(new RangeError(message));
  });
});

describe('ServerState: availability', () => {
  it('GIVEN enabled, healthy, breaker closed and a free slot THEN it is available', () => {
    const now = new FakeClock().now();
    const s = server({ parallelSlots: 1 });
    expect(s.isAvailable(now)).toBe(true);
    s.beginRequest('m', now);
    expect(s.acceptsRequests(now)).toBe(true);
    expect(s.hasFreeSlot()).toBe(false);
    expect(s.isAvailable(now)).toBe(false);
  });

  it('GIVEN disabled, unhealthy or an open breaker THEN it accepts no requests', () => {
    const now = new FakeClock().now();
    const disabled = server({ enabled: false });
    const unhealthy = server({ healthy: false });
    const broken = server();
    broken.breaker.onFailure(now, { fatal: true });
    for (const s of [disabled, unhealthy, broken]) expect(s.acceptsRequests(now)).toBe(false);
    unhealthy.healthy = true;
    expect(unhealthy.acceptsRequests(now)).toBe(true);
  });

  it('GIVEN requests in flight THEN loadRatio is their share of the slots', () => {
    const now = new FakeClock().now();
    const s = server({ parallelSlots: 4 });
    s.beginRequest('m', now);
    expect(s.loadRatio).toBe(0.25);
  });
});

describe('ServerState: discovery and memory', () => {
  it('GIVEN a model list THEN downloaded and loaded models and used memory follow it', () => {
    const s = server();
    s.applyDiscovery([model('a', 4, ['a']), model('b', 2), model('c', 3, ['c', 'c:2'])]);
    expect([...s.downloaded]).toEqual([
      ['a', 4 * GB],
      ['b', 2 * GB],
      ['c', 3 * GB],
    ]);
    expect(s.hasLoaded('a')).toBe(true);
    expect(s.hasLoaded('b')).toBe(false);
    expect(s.isDownloaded('b')).toBe(true);
    expect(s.loaded.get('c')).toEqual({
      instanceId: 'c',
      extraInstanceIds: ['c:2'],
      sizeBytes: 3 * GB,
      lastUsedAt: 0,
      inFlight: 0,
      loading: false,
    });
    // a once, c twice (two instances).
    expect(s.usedMemoryBytes).toBe(10 * GB);
    expect(s.freeMemoryBytes).toBe(6 * GB);
  });

  it('GIVEN a model used earlier WHEN discovery lists it again THEN its usage data is kept', () => {
    const clock = new FakeClock();
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.markUsed('a', clock.now());
    s.beginRequest('a', clock.now());
    s.applyDiscovery([model('a', 4, ['a-renamed'])]);
    expect(s.loaded.get('a')).toMatchObject({
      instanceId: 'a-renamed',
      lastUsedAt: clock.now(),
      inFlight: 1,
    });
  });

  it('GIVEN a loaded model WHEN discovery no longer lists it THEN it is dropped (TTL or auto-evict unloaded it)', () => {
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.applyDiscovery([model('a', 4)]);
    expect(s.hasLoaded('a')).toBe(false);
    expect(s.usedMemoryBytes).toBe(0);
  });

  it('GIVEN a load under way or requests in flight THEN discovery not listing the model keeps it', () => {
    const now = new FakeClock().now();
    const s = server();
    s.applyDiscovery([model('a', 4), model('b', 2, ['b'])]);
    s.beginLoad('a');
    s.beginRequest('b', now);
    s.applyDiscovery([model('a', 4), model('b', 2)]);
    expect(s.loaded.get('a')).toMatchObject({ loading: true, sizeBytes: 4 * GB });
    expect(s.loaded.get('b')).toMatchObject({ inFlight: 1 });
    expect(s.usedMemoryBytes).toBe(6 * GB);
  });

  it('GIVEN loaded models beyond the configured memory THEN free memory is 0, not negative', () => {
    const s = server({ maxMemoryGb: 4 });
    s.applyDiscovery([model('big', 8, ['big'])]);
    expect(s.freeMemoryBytes).toBe(0);
  });
});

describe('ServerState: loads', () => {
  it('GIVEN a load WHEN it finishes THEN the model is loaded with the instance id and counted used', () => {
    const clock = new FakeClock();
    const s = server();
    s.applyDiscovery([model('a', 4)]);
    s.beginLoad('a');
    expect(s.loaded.get('a')).toMatchObject({
      loading: true,
      instanceId: 'a',
      sizeBytes: 4 * GB,
      lastUsedAt: 0,
    });
    expect(s.freeMemoryBytes).toBe(12 * GB);
    clock.advance(9000);
    s.finishLoad('a', 'a:2', clock.now());
    expect(s.loaded.get('a')).toMatchObject({ loading: false, instanceId: 'a:2', lastUsedAt: clock.now() });
  });

  it('GIVEN a load WHEN it fails THEN its memory is free again', () => {
    const s = server();
    s.beginLoad('a', 4 * GB);
    s.failLoad('a');
    expect(s.hasLoaded('a')).toBe(false);
    expect(s.freeMemoryBytes).toBe(16 * GB);
  });

  it('GIVEN a loaded model WHEN a load is begun or failed again THEN nothing changes', () => {
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.beginLoad('a', 1);
    s.failLoad('a');
    expect(s.loaded.get('a')).toMatchObject({ loading: false, sizeBytes: 4 * GB });
  });

  it('GIVEN an unload went through THEN the model is gone', () => {
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.markUnloaded('a');
    expect(s.hasLoaded('a')).toBe(false);
  });
});

describe('ServerState: requests', () => {
  it('GIVEN requests begin and end THEN in-flight counts and lastUsedAt follow', () => {
    const clock = new FakeClock();
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    const t0 = clock.now();
    s.beginRequest('a', t0);
    s.beginRequest('a', t0);
    expect(s.inFlight).toBe(2);
    expect(s.loaded.get('a')).toMatchObject({ inFlight: 2, lastUsedAt: t0 });
    clock.advance(1000);
    s.endRequest('a', clock.now());
    expect(s.inFlight).toBe(1);
    expect(s.loaded.get('a')).toMatchObject({ inFlight: 1, lastUsedAt: t0 + 1000 });
  });

  it('GIVEN more ends than begins THEN counts stay at 0', () => {
    const now = new FakeClock().now();
    const s = server();
    s.endRequest('a', now);
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.endRequest('a', now);
    expect(s.inFlight).toBe(0);
    expect(s.loaded.get('a')?.inFlight).toBe(0);
  });

  it('GIVEN a request for a model not loaded THEN it is a JIT load: loading, holding its size', () => {
    const now = new FakeClock().now();
    const s = server();
    s.applyDiscovery([model('a', 4)]);
    s.beginRequest('a', now);
    expect(s.loaded.get('a')).toMatchObject({
      loading: true,
      inFlight: 1,
      sizeBytes: 4 * GB,
      instanceId: 'a',
    });
    s.endRequest('a', now, 'ok');
    expect(s.loaded.get('a')).toMatchObject({ loading: false, inFlight: 0 });
  });

  it('GIVEN a JIT load WHEN its only request fails THEN the model is not counted loaded', () => {
    const now = new FakeClock().now();
    const s = server();
    s.applyDiscovery([model('a', 4)]);
    s.beginRequest('a', now);
    s.beginRequest('a', now);
    s.endRequest('a', now, 'failed');
    expect(s.hasLoaded('a')).toBe(true);
    s.endRequest('a', now, 'failed');
    expect(s.hasLoaded('a')).toBe(false);
  });

  it('GIVEN a loaded model WHEN a request fails THEN it stays loaded', () => {
    const now = new FakeClock().now();
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.beginRequest('a', now);
    s.endRequest('a', now, 'failed');
    expect(s.hasLoaded('a')).toBe(true);
  });

  it('GIVEN an older time THEN markUsed never moves lastUsedAt back', () => {
    const s = server();
    s.applyDiscovery([model('a', 4, ['a'])]);
    s.markUsed('a', 2000);
    s.markUsed('a', 1000);
    s.markUsed('unknown', 3000);
    expect(s.loaded.get('a')?.lastUsedAt).toBe(2000);
  });
});

describe('ServerState: recent errors and snapshot', () => {
  it('GIVEN more errors than the limit THEN the last N are kept, oldest first', () => {
    const s = server({ recentErrorLimit: 3 });
    for (let i = 1; i <= 5; i++) s.recordError(i, 'network', `error ${i}`);
    expect(s.recentErrors()).toEqual([
      { at: 3, code: 'network', message: 'error 3' },
      { at: 4, code: 'network', message: 'error 4' },
      { at: 5, code: 'network', message: 'error 5' },
    ]);
  });

  it('GIVEN fewer errors than the limit THEN all are kept in order', () => {
    const s = server();
    s.recordError(1, 'timeout', 'slow');
    s.recordError(2, 'server_error', 'HTTP 500');
    expect(s.recentErrors().map((e) => e.at)).toEqual([1, 2]);
  });

  it('GIVEN some state THEN the snapshot reports it as plain data', () => {
    const now = new FakeClock().now();
    const s = server({ name: 'one' });
    s.applyDiscovery([model('a', 4, ['a']), model('b', 1)]);
    s.beginRequest('a', now);
    s.recordError(now, 'network', 'ECONNRESET');
    expect(s.snapshot(now)).toEqual({
      id: '127.0.0.1:1234',
      name: 'one',
      url: 'http://127.0.0.1:1234',
      enabled: true,
      healthy: true,
      breaker: expect.objectContaining({ state: 'closed' }),
      memoryBytes: 16 * GB,
      usedMemoryBytes: 4 * GB,
      parallelSlots: 4,
      inFlight: 1,
      loaded: [
        {
          key: 'a',
          instanceId: 'a',
          extraInstanceIds: [],
          sizeBytes: 4 * GB,
          lastUsedAt: now,
          inFlight: 1,
          loading: false,
        },
      ],
      downloadedCount: 2,
      recentErrors: [{ at: now, code: 'network', message: 'ECONNRESET' }],
    });
  });
});
