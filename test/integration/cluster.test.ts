// The cluster against real LM Studio simulators on 127.0.0.1: routing, placement, single flight, failover, the
// wrong-model quirk, queueing and refusals.
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import { ClusterError } from '../../cluster/cluster-errors.js';
import { LmStudioError } from '../../cluster/client/index.js';
import { prewarm } from '../../cluster/prewarm.js';
import { ServerRegistry } from '../../cluster/server-registry.js';
import type { LmStudioSimulatorOptions } from '../../cluster/simulator/index.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { validateConfig } from '../../entities/config/index.js';
import { startFakeLmStudios, type FakeLmStudios } from '../fakes/lmstudio.js';

const QWEN = 'qwen/qwen3-8b';
const GEMMA = 'google/gemma-3-12b';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  count?: number;
  sim?: LmStudioSimulatorOptions | ((i: number) => LmStudioSimulatorOptions);
  memoryGb?: number;
  slots?: number;
  cluster?: Record<string, unknown>;
  breakerCooldownMs?: number;
}

async function setup(o: Setup = {}) {
  const fakes: FakeLmStudios = await startFakeLmStudios(
    o.count ?? 2,
    o.sim ?? { memoryGb: o.memoryGb ?? 16 },
  );
  cleanups.push(() => fakes.stop());
  const { config } = validateConfig(
    {
      lmStudioServers: fakes.urls.map((url, i) => ({
        ip: '127.0.0.1',
        port: Number(new URL(url).port),
        name: `sim${i}`,
        capabilities: { maxMemory: o.memoryGb ?? 16, parallelSlots: o.slots ?? 4 },
      })),
      clusterSettings: { requestTimeout: 5000, ...o.cluster },
      entities: [],
    },
    'test',
  );
  const registry = new ServerRegistry(
    config.lmStudioServers,
    o.breakerCooldownMs === undefined ? {} : { breaker: { cooldownMs: o.breakerCooldownMs } },
  );
  cleanups.push(() => registry.close());
  const rediscover = async () => {
    await Promise.all(
      registry.all().map(async ({ state, client }) => state.applyDiscovery(await client.modelsV1())),
    );
  };
  await rediscover();
  const cluster = new Cluster({
    registry,
    settings: config.clusterSettings,
    clock: systemClock,
    logger: silentLogger,
    rediscover,
  });
  const ask = (model = QWEN, priority = 50) =>
    cluster.chat({ model, messages: [{ role: 'user', content: 'hello there' }], maxTokens: 20 }, priority);
  const loadedOn = (model: string) =>
    fakes.sims
      .map((sim, i) => (sim.instances().some((x) => x.model === model) ? i : -1))
      .filter((i) => i >= 0);
  return { fakes, registry, cluster, ask, loadedOn, state: (i: number) => registry.states()[i]! };
}

describe('the cluster', () => {
  it('GIVEN a listener THEN it sees the text grow as the reply streams, ending with the whole reply', async () => {
    const { cluster } = await setup();
    const seen: string[] = [];
    const reply = await cluster.chat(
      { model: QWEN, messages: [{ role: 'user', content: 'hello there' }], maxTokens: 30 },
      50,
      undefined,
      (text) => seen.push(text),
    );
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(reply.text);
  });

  it('GIVEN a server answering with the wrong model THEN none of its text reaches the listener', async () => {
    const { cluster, state } = await setup({
      sim: (i) =>
        i === 0 ? { memoryGb: 16, models: [{ key: GEMMA, sizeGb: 8 }], preload: [GEMMA] } : { memoryGb: 16 },
    });
    state(0).beginLoad(QWEN, 5 * 1024 ** 3);
    state(0).finishLoad(QWEN, QWEN, Date.now());
    const seen: string[] = [];
    const reply = await cluster.chat(
      { model: QWEN, messages: [{ role: 'user', content: 'hello there' }], maxTokens: 30 },
      50,
      undefined,
      (text) => seen.push(text),
    );
    expect(reply.server).toBe('sim1');
    expect(seen.at(-1)).toBe(reply.text);
    for (const text of seen) expect(reply.text.startsWith(text)).toBe(true);
  });

  it('GIVEN a cold model THEN it is loaded on one server, and later requests go where it is loaded', async () => {
    const { ask, loadedOn } = await setup();
    const first = await ask();
    expect(first).toMatchObject({ model: QWEN, partial: false });
    expect(first.text.length).toBeGreaterThan(0);
    expect(loadedOn(QWEN)).toHaveLength(1);
    const server = first.server;
    for (let i = 0; i < 5; i++) expect((await ask()).server).toBe(server);
    expect(loadedOn(QWEN)).toHaveLength(1);
  });

  it('GIVEN concurrent requests for a cold model THEN they share one load across the cluster', async () => {
    const { ask, loadedOn, fakes } = await setup();
    const replies = await Promise.all(Array.from({ length: 8 }, () => ask()));
    expect(replies.every((r) => r.model === QWEN)).toBe(true);
    expect(loadedOn(QWEN)).toHaveLength(1);
    expect(fakes.sims.flatMap((s) => s.instances())).toHaveLength(1);
  });

  it('GIVEN a model that does not fit beside another THEN the least recently used idle one is unloaded first', async () => {
    const { ask, fakes } = await setup({ count: 1, memoryGb: 10, sim: { memoryGb: 10 } });
    await ask(QWEN);
    await ask(GEMMA);
    expect(fakes.sims[0]!.instances().map((i) => i.model)).toEqual([GEMMA]);
  });

  it('GIVEN the server holding the model goes down THEN requests fail over and none fails', async () => {
    const { ask, fakes, state } = await setup();
    const first = await ask();
    const holder = first.server === 'sim0' ? 0 : 1;
    await fakes.sims[holder]!.faults.down();
    const replies = await Promise.all(Array.from({ length: 5 }, () => ask()));
    expect(replies.every((r) => r.server !== first.server && r.model === QWEN)).toBe(true);
    expect(state(holder).breaker.state(Date.now())).toBe('open');
  });

  it('GIVEN 5xx errors or a stream cut mid-way THEN the request is retried on another server', async () => {
    const { ask, fakes } = await setup();
    const first = await ask();
    const holder = first.server === 'sim0' ? 0 : 1;
    fakes.sims[holder]!.faults.errors(1);
    expect((await ask()).server).not.toBe(first.server);
    fakes.sims[holder]!.faults.errors(0);
    fakes.sims[1 - holder]!.faults.disconnectAfter(2);
    const third = await ask();
    expect(third.model).toBe(QWEN);
  });

  it('GIVEN a server that answers with the one model it has loaded THEN the cluster notices and goes elsewhere', async () => {
    const { ask, state } = await setup({
      sim: (i) =>
        i === 0 ? { memoryGb: 16, models: [{ key: GEMMA, sizeGb: 8 }], preload: [GEMMA] } : { memoryGb: 16 },
    });
    // The router believes sim0 has qwen loaded; sim0 holds only gemma, and answers any other name with it.
    state(0).beginLoad(QWEN, 5 * 1024 ** 3);
    state(0).finishLoad(QWEN, QWEN, Date.now());
    const reply = await ask();
    expect(reply.model).toBe(QWEN);
    expect(
      state(0)
        .recentErrors()
        .map((e) => e.code),
    ).toContain('wrong_model');
  });

  it('GIVEN a request the server refuses with a 4xx THEN it is not retried', async () => {
    const { cluster } = await setup();
    const refused = cluster.chat(
      { model: QWEN, messages: [{ role: 'user', content: 'hi' }], reasoningEffort: 'off' },
      50,
    );
    await expect(refused).rejects.toBeInstanceOf(LmStudioError);
    await expect(refused).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('GIVEN every server down THEN a ClusterError says so', async () => {
    const { ask, fakes } = await setup();
    await Promise.all(fakes.sims.map((s) => s.faults.down()));
    await expect(ask()).rejects.toBeInstanceOf(ClusterError);
  });

  it("GIVEN the entities' models THEN prewarm spreads them over the servers, each loaded once", async () => {
    const { registry, loadedOn } = await setup();
    const result = await prewarm(registry, [QWEN, GEMMA, QWEN, 'not/downloaded'], systemClock, silentLogger);
    expect(result.loaded.sort()).toEqual([GEMMA, QWEN]);
    expect(result.unplaced.map((u) => u.key)).toEqual(['not/downloaded']);
    expect(loadedOn(QWEN)).toHaveLength(1);
    expect(loadedOn(GEMMA)).toHaveLength(1);
    expect(loadedOn(QWEN)).not.toEqual(loadedOn(GEMMA));
  });

  it('GIVEN every slot busy THEN requests wait in the queue, and a full queue refuses clearly', async () => {
    const { ask, cluster, fakes } = await setup({
      slots: 1,
      cluster: { maxQueueSize: 2, loadBalancingStrategy: 'least-loaded' },
    });
    await ask();
    for (const sim of fakes.sims) sim.faults.slow(150);
    const running = [ask(), ask(), ask(), ask()];
    await new Promise((r) => setTimeout(r, 50));
    expect(cluster.status().queueDepth).toBe(2);
    await expect(ask()).rejects.toMatchObject({ code: 'queue_full' });
    const replies = await Promise.all(running);
    expect(replies.every((r) => r.model === QWEN)).toBe(true);
    expect(cluster.status()).toMatchObject({ queueDepth: 0, inFlight: 0 });
  });

  it('GIVEN round-robin THEN requests rotate over the servers; GIVEN least-loaded THEN they spread by load', async () => {
    const rr = await setup({ count: 3, cluster: { loadBalancingStrategy: 'round-robin' } });
    const servers = [];
    for (let i = 0; i < 6; i++) servers.push((await rr.ask()).server);
    expect(servers).toEqual(['sim0', 'sim1', 'sim2', 'sim0', 'sim1', 'sim2']);
    const least = await setup({ count: 2, slots: 1, cluster: { loadBalancingStrategy: 'least-loaded' } });
    for (const sim of least.fakes.sims) sim.faults.slow(50);
    const replies = await Promise.all([least.ask(), least.ask()]);
    expect(replies.map((r) => r.server).sort()).toEqual(['sim0', 'sim1']);
  });

  it('GIVEN requests waiting THEN a higher priority goes first', async () => {
    const { cluster, fakes } = await setup({ count: 1, slots: 1 });
    const ask = (priority: number) =>
      cluster.chat({ model: QWEN, messages: [{ role: 'user', content: 'hi' }] }, priority);
    await ask(50);
    fakes.sims[0]!.faults.slow(40);
    const order: number[] = [];
    const blocker = ask(50);
    await new Promise((r) => setTimeout(r, 10));
    await Promise.all([10, 90, 50].map((p) => ask(p).then(() => order.push(p))));
    await blocker;
    expect(order).toEqual([90, 50, 10]);
  });

  it('GIVEN a server back up after its breaker opened THEN one probe after the cooldown brings it back', async () => {
    const { ask, fakes, state } = await setup({ count: 2, breakerCooldownMs: 100 });
    const first = await ask();
    const holder = first.server === 'sim0' ? 0 : 1;
    await fakes.sims[holder]!.faults.down();
    await ask();
    expect(state(holder).breaker.state(Date.now())).toBe('open');
    await fakes.sims[holder]!.faults.up();
    await new Promise((r) => setTimeout(r, 150));
    expect(state(holder).breaker.state(Date.now())).toBe('half-open');
    await fakes.sims[1 - holder]!.faults.down();
    expect((await ask()).server).toBe(first.server);
    expect(state(holder).breaker.state(Date.now())).toBe('closed');
  });

  it("GIVEN a model unloaded behind the router's back THEN the next request still gets an answer", async () => {
    const { ask, fakes, registry } = await setup({ count: 1 });
    await ask();
    // LM Studio's TTL, auto-evict or a person with `lms unload`: the router's state still says loaded.
    await registry.all()[0]!.client.unload(fakes.sims[0]!.instances()[0]!.id);
    expect(fakes.sims[0]!.instances()).toHaveLength(0);
    expect((await ask()).model).toBe(QWEN);
  });

  it('GIVEN overlapping requests for models that evict each other THEN none fails', async () => {
    const { ask } = await setup({ count: 1, memoryGb: 10, sim: { memoryGb: 10, loadDelayMs: 5 } });
    const models = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? GEMMA : QWEN));
    const replies = await Promise.all(models.map((model) => ask(model)));
    expect(replies.map((r) => r.model)).toEqual(models);
  });

  it('GIVEN every server cutting the stream after some text THEN the longest text that arrived is the reply', async () => {
    const { ask, fakes } = await setup();
    await ask();
    for (const sim of fakes.sims) sim.faults.disconnectAfter(4);
    const reply = await ask();
    expect(reply.partial).toBe(true);
    expect(reply.text.length).toBeGreaterThan(0);
  });
});
