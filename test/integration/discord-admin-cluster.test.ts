// Cluster.load / Cluster.unload (what /chorus cluster load|unload call) against real LM Studio simulators.
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import { ClusterError } from '../../cluster/cluster-errors.js';
import { ServerRegistry } from '../../cluster/server-registry.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { validateConfig } from '../../entities/config/index.js';
import { startFakeLmStudios } from '../fakes/lmstudio.js';

const QWEN = 'qwen/qwen3-8b';
const GEMMA = 'google/gemma-3-12b';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(count = 2, memoryGb = 16, tokenDelayMs = 0) {
  const fakes = await startFakeLmStudios(count, { memoryGb, tokenDelayMs });
  cleanups.push(() => fakes.stop());
  const { config } = validateConfig(
    {
      lmStudioServers: fakes.urls.map((url, i) => ({
        ip: '127.0.0.1',
        port: Number(new URL(url).port),
        name: `sim${i}`,
        capabilities: { maxMemory: memoryGb, parallelSlots: 4 },
      })),
      entities: [],
    },
    'test',
  );
  const registry = new ServerRegistry(config.lmStudioServers);
  cleanups.push(() => registry.close());
  await Promise.all(
    registry.all().map(async ({ state, client }) => state.applyDiscovery(await client.modelsV1())),
  );
  const cluster = new Cluster({
    registry,
    settings: config.clusterSettings,
    clock: systemClock,
    logger: silentLogger,
  });
  const models = (i: number) => fakes.sims[i]!.instances().map((x) => x.model);
  return { fakes, cluster, models };
}

describe('loading and unloading models by hand', () => {
  it('GIVEN no server named THEN the model is placed on one server, and loading it again is a no-op', async () => {
    const { cluster, models } = await setup();
    const first = await cluster.load(QWEN);
    expect(first.alreadyLoaded).toBe(false);
    const holder = Number(first.server.slice(3));
    expect(models(holder)).toEqual([QWEN]);
    expect(await cluster.load(QWEN)).toEqual({ server: first.server, alreadyLoaded: true });
    expect(models(0).length + models(1).length).toBe(1);
    expect(
      cluster
        .status()
        .servers.find((s) => s.name === first.server)
        ?.loaded.map((m) => m.key),
    ).toEqual([QWEN]);
  });

  it('GIVEN a server by name or id THEN the model is loaded there', async () => {
    const { cluster, models, fakes } = await setup();
    expect(await cluster.load(GEMMA, 'sim1')).toEqual({ server: 'sim1', alreadyLoaded: false });
    expect(models(1)).toEqual([GEMMA]);
    const id = new URL(fakes.urls[0]!).host;
    expect(await cluster.load(GEMMA, id)).toEqual({ server: 'sim0', alreadyLoaded: false });
    expect(models(0)).toEqual([GEMMA]);
  });

  it('GIVEN a loaded model THEN unload removes it from the server and the status', async () => {
    const { cluster, models } = await setup();
    await cluster.load(QWEN, 'sim0');
    await cluster.load(QWEN, 'sim1');
    expect(await cluster.unload(QWEN, 'sim1')).toEqual(['sim1']);
    expect(models(1)).toEqual([]);
    expect(models(0)).toEqual([QWEN]);
    expect(await cluster.unload(QWEN)).toEqual(['sim0']);
    expect(models(0)).toEqual([]);
    expect(cluster.status().servers.every((s) => s.loaded.length === 0)).toBe(true);
  });

  it('GIVEN an unknown server or a model not loaded THEN clear errors', async () => {
    const { cluster } = await setup();
    await expect(cluster.load(QWEN, 'nope')).rejects.toThrow(
      /unknown LM Studio server "nope"; known: sim0, sim1/,
    );
    await expect(cluster.unload(QWEN)).rejects.toThrow(ClusterError);
    await expect(cluster.unload(QWEN)).rejects.toThrow(/qwen\/qwen3-8b is not loaded on any server/);
    await expect(cluster.load('no/such-model', 'sim0')).rejects.toThrow();
    expect(cluster.status().servers.every((s) => s.loaded.length === 0)).toBe(true);
  });

  it('GIVEN a request for the model in flight THEN unload is refused and the model stays', async () => {
    const { cluster, models } = await setup(1, 16, 20);
    await cluster.load(QWEN);
    const chat = cluster.chat(
      { model: QWEN, messages: [{ role: 'user', content: 'tell me a long story' }], maxTokens: 40 },
      50,
    );
    const deadline = Date.now() + 5000;
    while (cluster.status().inFlight === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    await expect(cluster.unload(QWEN)).rejects.toThrow(
      `${QWEN} has 1 request(s) in flight on sim0; try again shortly`,
    );
    expect(models(0)).toEqual([QWEN]);
    await chat;
    expect(await cluster.unload(QWEN)).toEqual(['sim0']);
  });
});
