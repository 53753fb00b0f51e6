// The `chorus` command line, run as a real child process from dist/.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allMessages, post, tempDir, testConfig, waitFor, writeConfigFile } from '../support/test-fleet.js';

const CLI = 'dist/scripts/chorus.js';
const FIXTURE = new URL('../../../shared/fixtures/saywhatwant-config-aientities.json', import.meta.url)
  .pathname;
const chorus = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};

describe('chorus CLI', () => {
  it('prints help for itself and each command', () => {
    expect(chorus(['--help']).stdout).toContain('Usage: chorus <command>');
    for (const command of ['run', 'check-config', 'bench']) {
      const result = chorus([command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: chorus ${command}`);
    }
  });

  it('rejects an unknown command with exit 2', () => {
    const result = chorus(['dance']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('chorus: unknown command "dance"');
  });

  it('check-config accepts the shipped config and the seed fixture (with one warning per unused key)', () => {
    expect(chorus(['check-config', 'config-aientities.json']).status).toBe(0);
    const fixture = chorus(['check-config', FIXTURE]);
    expect(fixture.status).toBe(0);
    expect(fixture.stdout).toContain('ok (32 entities');
    expect(fixture.stderr.trim().split('\n')).toEqual([
      'warning: botSettings.websocketPort: unknown key, ignored',
      'warning: queueSettings: unknown key, ignored',
      'warning: routerSettings: unknown key, ignored',
      'warning: globalSettings.requireHumanActivity: unknown key, ignored',
      'warning: globalSettings.cloudflareWorkerRateLimits: unknown key, ignored',
      'warning: _configNotes: unknown key, ignored',
    ]);
  });

  it('check-config prints one line per problem and exits 1', () => {
    const config = testConfig({
      clusterSettings: { loadBalancingStrategy: 'fastest' },
      entities: [
        { id: 'a', username: 'A', responseChance: 1.5 },
        { id: 'b', username: 'B', rateLimits: { maxPostsPerMinute: -1 } },
      ],
    });
    const result = chorus(['check-config', writeConfigFile(dir(), config)]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'clusterSettings.loadBalancingStrategy: expected one of model-affinity, least-loaded, round-robin, got "fastest"',
      'entities[0].responseChance: expected a number from 0 to 1, got 1.5',
      'entities[1].rateLimits.maxPostsPerMinute: expected a positive integer, got -1',
    ]);
  });

  it('check-config names a missing file and invalid JSON with line and column', () => {
    const missing = chorus(['check-config', '/nonexistent/config.json']);
    expect(missing.status).toBe(1);
    expect(missing.stdout.trim()).toBe('/nonexistent/config.json: file not found');
    const file = join(dir(), 'broken.json');
    writeFileSync(file, '{\n  "entities": [\n    { "id": "a" },\n  ]\n}\n');
    const broken = chorus(['check-config', file]);
    expect(broken.stdout.trim()).toBe(
      `${file}: invalid JSON at line 3, column 18: trailing comma before ']'`,
    );
  });

  it('never shows a secret, even when a variable for an enabled platform is missing', () => {
    const config = testConfig({
      platforms: { discord: { enabled: true } },
      entities: [
        {
          id: 'a',
          username: 'A',
          platforms: { discord: { token: { env: 'CHORUS_TOKEN_A' }, channels: ['1'] } },
        },
        {
          id: 'b',
          username: 'B',
          platforms: { discord: { token: { env: 'CHORUS_TOKEN_B' }, channels: ['1'] } },
        },
      ],
    });
    const file = writeConfigFile(dir(), config);
    const result = chorus(['check-config', file], { CHORUS_TOKEN_A: 'super-secret-token-value' });
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe(
      'entities[1].platforms.discord.token: environment variable CHORUS_TOKEN_B is not set (entity "b")',
    );
    expect(result.stdout + result.stderr).not.toContain('super-secret-token-value');
  });

  it('run serves the playground, where every shipped persona answers by Markov, and stops on SIGTERM', async () => {
    const d = dir();
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--config', 'config-aientities.json', '--data', d, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const url = await new Promise<string>((resolve) =>
      child.stdout.on('data', (b: Buffer) => {
        const m = /playground: (http:\/\/127\.0\.0\.1:\d+)/.exec(b.toString());
        if (m) resolve(m[1]!);
      }),
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const { channels } = (await (await fetch(`${url}/api/channels`)).json()) as {
      channels: { name: string; entities: string[] }[];
    };
    const personas = ['Sage', 'Pixel', 'Basil', 'Marlow'];
    const asked = await Promise.all(
      personas.map(async (name) => {
        const channel = channels.find(
          (c) => c.entities.includes(name.toLowerCase()) && c.name !== 'general',
        )!;
        const id = await post(url, channel.name, 'ivy', `@${name} what do you think?`);
        return { entity: name.toLowerCase(), channel: channel.name, id };
      }),
    );
    for (const { entity, channel, id } of asked) {
      const messages = await waitFor(
        () => allMessages(url, channel),
        (m) => m.some((x) => x.replyTo === id && x.entity === entity),
      );
      const reply = messages.find((m) => m.replyTo === id && m.entity === entity);
      expect(reply).toMatchObject({ source: 'markov' });
    }
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(stderr).toContain('shutting down');
    expect(stderr).toContain('stopped');
  });
});
