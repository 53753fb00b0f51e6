// ConfigWatcher on a real file in a temp directory: servers added, removed and disabled reach onServers, a file
// replaced by rename (as editors save) is still followed, an invalid file is reported and ignored, close() stops.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryLogger } from '../../core/logger.js';
import { ConfigWatcher } from '../../cluster/config-watcher.js';
import type { ServerConfig } from '../../entities/config/index.js';

const DEBOUNCE_MS = 20;

let dir: string;
let file: string;
const watchers: ConfigWatcher[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-config-watch-'));
  file = join(dir, 'config-aientities.json');
  writeConfig([server(1234)]);
});

afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
  rmSync(dir, { recursive: true, force: true });
});

function server(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ip: '127.0.0.1', port, ...extra };
}

function writeConfig(servers: unknown[], extra: Record<string, unknown> = {}): void {
  writeFileSync(file, JSON.stringify({ entities: [], lmStudioServers: servers, ...extra }, null, 2));
}

function start(env: Record<string, string> = {}) {
  const logger = memoryLogger();
  const calls: ServerConfig[][] = [];
  const watcher = new ConfigWatcher({
    file,
    env,
    logger,
    onServers: (servers) => calls.push(servers),
    debounceMs: DEBOUNCE_MS,
  });
  watchers.push(watcher);
  return { watcher, logger, calls };
}

const summary = (servers: ServerConfig[] | undefined) =>
  servers?.map((s) => ({ port: s.port, enabled: s.enabled }));

async function nextCall(calls: ServerConfig[][], count: number): Promise<ServerConfig[] | undefined> {
  await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(count), { timeout: 3000, interval: 10 });
  return calls.at(-1);
}

describe('ConfigWatcher', () => {
  it('GIVEN servers added, removed and disabled in the file THEN onServers gets each new list', async () => {
    const { calls } = start();

    writeConfig([server(1234), server(1235, { name: 'second' })]);
    expect(summary(await nextCall(calls, 1))).toEqual([
      { port: 1234, enabled: true },
      { port: 1235, enabled: true },
    ]);
    // The list is the validated one, defaults applied.
    expect(calls[0]?.[1]).toMatchObject({
      name: 'second',
      capabilities: { maxMemory: 16, parallelSlots: 4 },
    });

    writeConfig([server(1235)]);
    expect(summary(await nextCall(calls, 2))).toEqual([{ port: 1235, enabled: true }]);

    writeConfig([server(1235, { enabled: false })]);
    expect(summary(await nextCall(calls, 3))).toEqual([{ port: 1235, enabled: false }]);
  });

  it('GIVEN an editor that saves by renaming a new file over the old one THEN every save is picked up', async () => {
    const { calls } = start();
    const replace = (servers: unknown[]) => {
      const temp = join(dir, '.config-aientities.json.swp');
      writeFileSync(temp, JSON.stringify({ entities: [], lmStudioServers: servers }));
      renameSync(temp, file);
    };

    replace([server(2000)]);
    expect(summary(await nextCall(calls, 1))).toEqual([{ port: 2000, enabled: true }]);
    replace([server(2001)]);
    expect(summary(await nextCall(calls, 2))).toEqual([{ port: 2001, enabled: true }]);
  });

  it('GIVEN an invalid file THEN a warning names the problem, onServers is not called, and a fixed file applies', async () => {
    const { calls, logger } = start();

    writeConfig([server(99_999)]);
    await vi.waitFor(() => expect(logger.records.some((r) => r.level === 'warn')).toBe(true), {
      timeout: 3000,
      interval: 10,
    });
    expect(logger.records[0]).toMatchObject({
      level: 'warn',
      message: 'config: the changed file is not valid; the LM Studio servers stay as they were',
      fields: { file, error: expect.stringContaining('lmStudioServers[0].port') },
    });
    expect(calls).toEqual([]);

    writeFileSync(file, '{ "entities": [ ');
    await vi.waitFor(() => expect(logger.records.filter((r) => r.level === 'warn')).toHaveLength(2), {
      timeout: 3000,
      interval: 10,
    });
    expect(calls).toEqual([]);

    writeConfig([server(1236)]);
    expect(summary(await nextCall(calls, 1))).toEqual([{ port: 1236, enabled: true }]);
  });

  it('GIVEN an invalid file holding a secret THEN the warning does not show the secret', async () => {
    const token = 'sk-lm-secret:0123456789';
    const { logger } = start({ CHORUS_ADMIN: token });

    // The token pasted into the wrong field, and referenced where it belongs, so loadConfig knows it is a secret.
    writeConfig([server(1234)], {
      platforms: { web: { adminToken: { env: 'CHORUS_ADMIN' } } },
      clusterSettings: { loadBalancingStrategy: token },
    });
    await vi.waitFor(() => expect(logger.records.some((r) => r.level === 'warn')).toBe(true), {
      timeout: 3000,
      interval: 10,
    });
    expect(JSON.stringify(logger.records)).not.toContain(token);
    expect(JSON.stringify(logger.records)).toContain('clusterSettings.loadBalancingStrategy');
  });

  it('GIVEN a save that leaves the servers alone THEN onServers is not called again', async () => {
    const { calls } = start();

    writeConfig([server(1237)]);
    await nextCall(calls, 1);
    writeConfig([server(1237)], { entities: [{ id: 'alpha', username: 'Alpha' }] });
    await delay(DEBOUNCE_MS * 10);

    expect(calls).toHaveLength(1);
  });

  it('GIVEN close() THEN later changes are ignored', async () => {
    const { watcher, calls, logger } = start();

    watcher.close();
    watcher.close();
    writeConfig([server(1238)]);
    await delay(DEBOUNCE_MS * 10);

    expect(calls).toEqual([]);
    expect(logger.records).toEqual([]);
  });

  it('GIVEN a negative debounce THEN the constructor names the option', () => {
    expect(
      () =>
        new ConfigWatcher({
          file,
          env: {},
          logger: memoryLogger(),
          onServers: () => undefined,
          debounceMs: -1,
        }),
    ).toThrow('options.debounceMs must be an integer of ms, 0 or more');
  });
});
