// Starts a real fleet in-process on a free port, with a temp data dir and a config built from a few overrides.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/logger.js';
import type { Generator } from '../../bots/generation/index.js';
import { startFleet, type Fleet, type FleetOptions } from '../../scripts/fleet.js';
import type { MessageView as ApiMessage } from '../../bots/web/message-view.js';

export type { ApiMessage };

export const echoGenerator: Generator = {
  name: 'echo',
  generate: async (req) => ({
    text: `${req.entity.username} answers #${req.message.id}`,
    source: 'llm',
    generator: 'echo',
  }),
};

/** Lines in a sailor's voice: enough for the Markov fallback to recombine into replies that copy none of them. */
export const SAILOR_LINES: readonly string[] = [
  'the sea was calm and the gulls were loud over the harbour this morning',
  'a good captain watches the sky before the sea tells him anything',
  'the harbour lights looked warm when we came home after the storm',
  'every sailor knows the sea keeps her own calendar and her own moods',
  'we mended the nets on deck while the old cook told stories about the harbour',
  'a calm sea never made a skilled sailor, my first captain used to say',
  'the storm came over the sea at night and the captain stayed on deck',
  'the old cook says the gulls know the weather better than any captain',
];

export function testConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    botSettings: { pollingInterval: 200, maxRepliesPerMessage: 2, maxBotExchanges: 0 },
    platforms: { web: { channels: ['general', 'other'] } },
    entities: [
      { id: 'alpha', username: 'Alpha', responseChance: 0 },
      { id: 'beta', username: 'Beta', responseChance: 0, platforms: { web: { channels: ['general'] } } },
    ],
    ...overrides,
  };
}

export function tempDir(prefix = 'chorus-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeConfigFile(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export async function startTestFleet(
  dir: string,
  config: Record<string, unknown> = testConfig(),
  extra: Partial<Omit<FleetOptions, 'configFile' | 'dataDir'>> = { generators: [echoGenerator] },
): Promise<Fleet & { url: string }> {
  const fleet = await startFleet({
    configFile: writeConfigFile(dir, config),
    dataDir: join(dir, 'data'),
    port: 0,
    // Warnings and errors reach the test's output, so a failure shows what the fleet complained about.
    logger: createLogger(
      (r) => process.stderr.write(`fleet ${r.level}: ${r.message} ${JSON.stringify(r.fields ?? {})}\n`),
      'warn',
    ),
    ...extra,
  });
  if (!fleet.url) throw new Error('the web platform did not start');
  return fleet as Fleet & { url: string };
}

export async function post(base: string, channel: string, author: string, text: string): Promise<number> {
  const res = await fetch(`${base}/api/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, text }),
  });
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** Every message of a channel, following `after` pages. */
export async function allMessages(base: string, channel: string): Promise<ApiMessage[]> {
  const out: ApiMessage[] = [];
  for (;;) {
    const after = out.at(-1)?.id ?? 0;
    const res = await fetch(`${base}/api/channels/${channel}/messages?after=${after}&limit=500`);
    const page = ((await res.json()) as { messages: ApiMessage[] }).messages;
    if (page.length === 0) return out;
    out.push(...page);
  }
}

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last value: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
