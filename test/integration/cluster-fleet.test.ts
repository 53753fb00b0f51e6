// The fleet with an LM Studio cluster: entities answer through simulators (in-process, and started with
// `chorus sim lmstudio`), and by Markov when every server is down; the cluster's status is served.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allMessages,
  post,
  SAILOR_LINES,
  startTestFleet,
  tempDir,
  testConfig,
  waitFor,
  writeConfigFile,
} from '../support/test-fleet.js';
import { startFakeLmStudios } from '../fakes/lmstudio.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const server = (url: string, name: string) => ({
  ip: '127.0.0.1',
  port: Number(new URL(url).port),
  name,
  capabilities: { maxMemory: 16 },
});

const seedText = [...SAILOR_LINES];

function clusterConfig(urls: string[]) {
  return testConfig({
    lmStudioServers: urls.map((url, i) => server(url, `sim${i}`)),
    clusterSettings: { requestTimeout: 3000, healthCheckInterval: 60_000 },
    entities: [
      {
        id: 'alpha',
        username: 'Alpha',
        responseChance: 0,
        baseModel: 'qwen/qwen3-8b',
        markov: {
          scope: 'entity',
          seedText,
        },
      },
    ],
  });
}

async function reply(url: string, text: string) {
  const id = await post(url, 'general', 'ivy', text);
  const messages = await waitFor(
    () => allMessages(url, 'general'),
    (m) => m.some((x) => x.replyTo === id),
  );
  return messages.find((m) => m.replyTo === id)!;
}

describe('the fleet with an LM Studio cluster', () => {
  it('GIVEN simulators THEN entities answer by LLM, and by Markov once every server is down', async () => {
    const fakes = await startFakeLmStudios(2, { memoryGb: 16 });
    cleanups.push(() => fakes.stop());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const fleet = await startTestFleet(dir.path, clusterConfig(fakes.urls), {});
    cleanups.push(() => fleet.stop());

    expect(await reply(fleet.url, '@Alpha how was the sea?')).toMatchObject({
      entity: 'alpha',
      source: 'llm',
    });
    const status = (await (await fetch(`${fleet.url}/api/cluster`)).json()) as {
      servers: { name: string; loaded: { key: string }[] }[];
    };
    expect(status.servers.map((s) => s.name)).toEqual(['sim0', 'sim1']);
    expect(status.servers.flatMap((s) => s.loaded.map((m) => m.key))).toContain('qwen/qwen3-8b');
    const dashboard = await fetch(`${fleet.url}/dashboard`);
    expect(dashboard.headers.get('content-type')).toContain('text/html');
    expect(await dashboard.text()).toContain('Chorus dashboard');
    expect((await fetch(`${fleet.url}/static/dashboard.js`)).status).toBe(200);

    await Promise.all(fakes.sims.map((s) => s.faults.down()));
    expect(await reply(fleet.url, '@Alpha how was the sea today?')).toMatchObject({
      entity: 'alpha',
      source: 'markov',
    });
  });

  it('GIVEN `chorus sim lmstudio` running THEN the playground answers through it', async () => {
    const sim = spawn(process.execPath, [
      'dist/scripts/chorus.js',
      'sim',
      'lmstudio',
      '--port',
      '0',
      '--models',
      'qwen/qwen3-8b=5',
      '--memory',
      '16',
      '--token-delay',
      '0',
    ]);
    cleanups.push(() => sim.kill('SIGTERM'));
    const url = await new Promise<string>((resolve, reject) => {
      sim.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
      sim.stdout.on('data', (b: Buffer) => {
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(b.toString());
        if (m) resolve(m[1]!);
      });
    });
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const fleet = await startTestFleet(dir.path, clusterConfig([url]), {});
    cleanups.push(() => fleet.stop());
    expect(await reply(fleet.url, '@Alpha hello')).toMatchObject({ entity: 'alpha', source: 'llm' });
  });

  it('GIVEN servers changed in the config file THEN the running fleet picks them up without a restart', async () => {
    const fakes = await startFakeLmStudios(2, { memoryGb: 16 });
    cleanups.push(() => fakes.stop());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const fleet = await startTestFleet(dir.path, clusterConfig([fakes.urls[0]!]), {});
    cleanups.push(() => fleet.stop());
    const names = async () =>
      (
        (await (await fetch(`${fleet.url}/api/cluster`)).json()) as {
          servers: { name: string; enabled: boolean }[];
        }
      ).servers;
    expect((await names()).map((s) => s.name)).toEqual(['sim0']);

    const changed = clusterConfig(fakes.urls) as { lmStudioServers: { enabled?: boolean }[] };
    changed.lmStudioServers[0]!.enabled = false;
    writeConfigFile(dir.path, changed);
    await waitFor(names, (servers) => servers.length === 2 && servers[0]?.enabled === false);
    expect(await reply(fleet.url, '@Alpha hello again')).toMatchObject({ source: 'llm' });
    expect(fakes.sims[1]!.instances().map((i) => i.model)).toEqual(['qwen/qwen3-8b']);
  });
});
