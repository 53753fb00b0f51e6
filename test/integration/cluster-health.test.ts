// HealthMonitor against real LM Studio simulators and node:http servers on 127.0.0.1: discovery into the state,
// down/up, LM Studio's 200-with-error body, timeouts, the timer, no overlapping checks, disabled servers, one log
// line per transition, and the breaker reset on a recovery the checks saw.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { memoryLogger } from '../../core/logger.js';
import { BYTES_PER_GB } from '../../cluster/core/index.js';
import { HealthMonitor, type HealthMonitorOptions } from '../../cluster/health-monitor.js';
import { ServerRegistry } from '../../cluster/server-registry.js';
import { serverSchema } from '../../entities/config/schema.js';
import type { ServerConfig } from '../../entities/config/index.js';
import { startFakeLmStudios } from '../fakes/lmstudio.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serverConfig(url: string, extra: Record<string, unknown> = {}): ServerConfig {
  const { hostname, port } = new URL(url);
  return serverSchema.parse({ ip: hostname, port: Number(port), ...extra });
}

function idOf(url: string): string {
  return new URL(url).host;
}

async function fakes(count: number, options: Parameters<typeof startFakeLmStudios>[1] = {}) {
  const fleet = await startFakeLmStudios(count, options);
  cleanups.push(fleet.stop);
  return fleet;
}

function monitorOf(
  servers: ServerConfig[],
  options: Partial<Omit<HealthMonitorOptions, 'registry' | 'clock' | 'logger'>> = {},
) {
  const registry = new ServerRegistry(servers);
  const logger = memoryLogger();
  const clock = new FakeClock();
  const changes: [string, boolean][] = [];
  const monitor = new HealthMonitor({
    registry,
    intervalMs: 60_000,
    timeoutMs: 1000,
    clock,
    logger,
    onChange: (id, healthy) => changes.push([id, healthy]),
    ...options,
  });
  cleanups.push(async () => {
    await monitor.stop();
    await registry.close();
  });
  const state = (url: string) => {
    const server = registry.get(idOf(url));
    if (!server) throw new Error(`no server ${url}`);
    return server.state;
  };
  return { registry, logger, clock, changes, monitor, state };
}

/** Listens on 127.0.0.1, port 0; the server is closed after the test. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An LM Studio with no models whose greeting takes `greetingMs`; counts greetings and the most at once. */
async function slowGreeter(greetingMs: number) {
  const seen = { greetings: 0, active: 0, maxActive: 0 };
  const url = await listen(
    createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/models') return res.end(JSON.stringify({ models: [] }));
      seen.greetings++;
      seen.active++;
      seen.maxActive = Math.max(seen.maxActive, seen.active);
      setTimeout(() => {
        seen.active--;
        res.end(JSON.stringify({ lmstudio: true }));
      }, greetingMs);
    }),
  );
  return { url, seen };
}

describe('HealthMonitor', () => {
  it('GIVEN a healthy simulator THEN a check puts its models, sizes and loaded instances into the state', async () => {
    const { urls } = await fakes(1, { preload: ['qwen/qwen3-8b'] });
    const url = urls[0] as string;
    const { monitor, state } = monitorOf([serverConfig(url)]);

    await monitor.checkNow();

    const s = state(url);
    expect(s.healthy).toBe(true);
    expect([...s.downloaded.keys()].sort()).toEqual([
      'google/gemma-3-12b',
      'qwen/qwen3-8b',
      'text-embedding-nomic-embed-text-v1.5',
    ]);
    expect(s.downloaded.get('google/gemma-3-12b')).toBe(8 * BYTES_PER_GB);
    expect([...s.loaded.keys()]).toEqual(['qwen/qwen3-8b']);
    expect(s.loaded.get('qwen/qwen3-8b')).toMatchObject({
      instanceId: 'qwen/qwen3-8b',
      sizeBytes: 5 * BYTES_PER_GB,
      loading: false,
    });
    expect(s.usedMemoryBytes).toBe(5 * BYTES_PER_GB);
  });

  it('GIVEN a simulator taken down THEN the next check marks it unhealthy, and healthy again after up()', async () => {
    const { sims, urls } = await fakes(2);
    const [down, other] = [urls[0] as string, urls[1] as string];
    const { monitor, state, changes } = monitorOf(urls.map((u) => serverConfig(u)));
    await monitor.checkNow();
    expect(state(down).healthy).toBe(true);

    await sims[0]?.faults.down();
    await monitor.checkNow();
    expect(state(down).healthy).toBe(false);
    expect(state(other).healthy).toBe(true);
    expect(state(down).recentErrors()).toEqual([
      expect.objectContaining({
        code: 'network',
        message: expect.stringContaining('GET /lmstudio-greeting'),
      }),
    ]);

    await sims[0]?.faults.up();
    await monitor.checkNow();
    expect(state(down).healthy).toBe(true);
    expect(changes).toEqual([
      [idOf(down), false],
      [idOf(down), true],
    ]);
  });

  it("GIVEN a server answering LM Studio's 200 with an error body THEN it is unhealthy", async () => {
    const url = await listen(
      createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: `Unexpected endpoint or method. (${req.method} ${req.url})` }));
      }),
    );
    const { monitor, state } = monitorOf([serverConfig(url)]);

    await monitor.checkNow();

    expect(state(url).healthy).toBe(false);
    expect(state(url).recentErrors()[0]).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('Unexpected endpoint or method. (GET /lmstudio-greeting)'),
    });
  });

  it('GIVEN a server slower than the timeout THEN it is unhealthy with a timeout', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    sims[0]?.faults.slow(1000);
    const { monitor, state } = monitorOf([serverConfig(url)], { timeoutMs: 100 });

    const started = Date.now();
    await monitor.checkNow();

    expect(Date.now() - started).toBeLessThan(900);
    expect(state(url).healthy).toBe(false);
    expect(state(url).recentErrors()[0]?.code).toBe('timeout');
  });

  it('GIVEN start() THEN the timer runs checks on its own', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    const { monitor, state } = monitorOf([serverConfig(url)], { intervalMs: 50 });

    await monitor.start();
    expect(state(url).healthy).toBe(true);

    await sims[0]?.faults.down();
    await vi.waitFor(() => expect(state(url).healthy).toBe(false), { timeout: 3000, interval: 20 });
    await sims[0]?.faults.up();
    await vi.waitFor(() => expect(state(url).healthy).toBe(true), { timeout: 3000, interval: 20 });
  });

  it('GIVEN checks asked for while one runs THEN they never overlap and share one follow-up check', async () => {
    const { url, seen } = await slowGreeter(80);
    const { monitor } = monitorOf([serverConfig(url)]);

    await Promise.all([monitor.checkNow(), monitor.checkNow(), monitor.checkNow()]);
    // The first, then one more for the two callers that asked while it ran.
    expect(seen).toMatchObject({ greetings: 2, maxActive: 1 });
  });

  it('GIVEN a timer faster than the checks THEN a server still has one check at a time', async () => {
    const { url, seen } = await slowGreeter(60);
    const { monitor } = monitorOf([serverConfig(url)], { intervalMs: 10 });

    void monitor.start();
    await delay(200);
    await monitor.checkNow();
    await monitor.stop();

    expect(seen.greetings).toBeGreaterThanOrEqual(3);
    expect(seen.maxActive).toBe(1);
  });

  it('GIVEN a disabled server THEN it is not checked, until the config enables it', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    await sims[0]?.faults.down();
    const { monitor, state, registry } = monitorOf([serverConfig(url, { enabled: false })]);

    await monitor.checkNow();
    await monitor.checkNow(idOf(url));
    expect(state(url).healthy).toBe(true);
    expect(state(url).recentErrors()).toEqual([]);

    registry.update([serverConfig(url)]);
    await monitor.checkNow();
    expect(state(url).healthy).toBe(false);
  });

  it('GIVEN a server failing many checks THEN one warning when it goes down, one line when it comes back', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    const { monitor, state, logger } = monitorOf([serverConfig(url)]);

    await monitor.checkNow();
    await sims[0]?.faults.down();
    for (let i = 0; i < 3; i++) await monitor.checkNow();
    await sims[0]?.faults.up();
    for (let i = 0; i < 2; i++) await monitor.checkNow();

    expect(logger.records.map((r) => [r.level, r.message])).toEqual([
      ['warn', 'LM Studio server failed its health check; no requests go to it until it passes'],
      ['info', 'LM Studio server is healthy again'],
    ]);
    expect(logger.records[0]?.fields).toMatchObject({ url, code: 'network' });
    // A failure repeated is one recent error, dated when it first happened. (Here two: the kept-alive socket
    // dropped by down(), then refused connections.)
    const messages = state(url)
      .recentErrors()
      .map((e) => e.message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages.at(-1)).toContain('ECONNREFUSED');
  });

  it('GIVEN an open breaker THEN a recovery the checks saw closes it, a passing check of a healthy server does not', async () => {
    const { sims, urls } = await fakes(2);
    const [recovered, steady] = [urls[0] as string, urls[1] as string];
    const { monitor, state, clock } = monitorOf(urls.map((u) => serverConfig(u)));
    const now = clock.now();

    await sims[0]?.faults.down();
    await monitor.checkNow();
    state(recovered).breaker.onFailure(now, { fatal: true });
    state(steady).breaker.onFailure(now, { fatal: true });
    await sims[0]?.faults.up();
    await monitor.checkNow();

    expect(state(recovered).breaker.state(now)).toBe('closed');
    expect(state(recovered).acceptsRequests(now)).toBe(true);
    // Its failures came from requests the checks do not make: the breaker's own cooldown and probe decide.
    expect(state(steady).breaker.state(now)).toBe('open');
  });

  it('GIVEN stop() while a check runs THEN it aborts the check, waits for it, and leaves the state alone', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    sims[0]?.faults.slow(5000);
    const { monitor, state, changes } = monitorOf([serverConfig(url)], { timeoutMs: 10_000 });

    const check = monitor.checkNow();
    await delay(50);
    const started = Date.now();
    await monitor.stop();
    await check;

    expect(Date.now() - started).toBeLessThan(1000);
    expect(state(url).healthy).toBe(true);
    expect(state(url).recentErrors()).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('GIVEN a server removed by a config reload while its check runs THEN its late result is dropped', async () => {
    const { sims, urls } = await fakes(1);
    const url = urls[0] as string;
    sims[0]?.faults.slow(300);
    const { monitor, registry, logger, changes } = monitorOf([serverConfig(url)], { timeoutMs: 100 });

    const check = monitor.checkNow();
    registry.update([]);
    await check;

    expect(changes).toEqual([]);
    expect(logger.records).toEqual([]);
  });

  it('GIVEN bad timings THEN the constructor names the option', () => {
    const registry = new ServerRegistry([]);
    const base = {
      registry,
      clock: new FakeClock(),
      logger: memoryLogger(),
      intervalMs: 1000,
      timeoutMs: 1000,
    };
    expect(() => new HealthMonitor({ ...base, intervalMs: 0 })).toThrow(
      'options.intervalMs must be a positive integer of ms, at most 2147483647',
    );
    expect(() => new HealthMonitor({ ...base, timeoutMs: 1.5 })).toThrow(
      'options.timeoutMs must be a positive integer of ms, at most 2147483647',
    );
  });
});
