// A real fleet with the Signal platform enabled against the fake signal-cli-rest-api (test/fakes/signal/):
// two entities in one group (Ada also answers DMs), one admin number, fast platform timers.
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { seededRandom } from '../../core/random.js';
import type { Generator } from '../../bots/generation/index.js';
import { createSignalPlatformStarter, type SignalPlatformOptions } from '../../bots/signal/index.js';
import { startFleet, type Fleet } from '../../scripts/fleet.js';
import { startFakeSignal, type FakeSignal, type FakeSignalMode } from '../fakes/signal/index.js';
import { echoGenerator, writeConfigFile } from './test-fleet.js';

export const BOT_NUMBER = '+15550000001';
export const ADMIN = { uuid: 'aaaaaaaa-0000-4000-8000-000000000009', number: '+15550000009', name: 'Admin' };
export const ALICE = { uuid: 'a11ce000-0000-4000-8000-000000000001', number: '+15550000101', name: 'Alice' };
export const BRUNO = { uuid: 'b7700000-0000-4000-8000-000000000002', name: 'Bruno' };

export const FAST: SignalPlatformOptions = {
  tickMs: 40,
  gateCheckMs: 20,
  backoff: { initialMs: 20, maxMs: 200 },
  typingRenewMs: 10_000,
};

export function startCrewFake(mode: FakeSignalMode): Promise<FakeSignal> {
  return startFakeSignal({
    number: BOT_NUMBER,
    mode,
    groups: [
      { name: 'Crew', members: [BOT_NUMBER, ALICE.number, ADMIN.number] },
      { name: 'Other', members: [BOT_NUMBER, ALICE.number] },
    ],
    holdEmptyReceive: false,
  });
}

export function signalConfig(
  fake: FakeSignal,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const crew = fake.group('Crew').internalId;
  return {
    botSettings: { pollingInterval: 50, maxRepliesPerMessage: 2, maxBotExchanges: 0 },
    platforms: {
      web: { channels: ['general'] },
      signal: { enabled: true, url: fake.url, number: BOT_NUMBER, pollIntervalMs: 30 },
    },
    admins: { signal: [ADMIN.number] },
    briefings: { enabled: false },
    entities: [
      { id: 'ada', username: 'Ada', responseChance: 0, platforms: { signal: { groups: [crew], dms: true } } },
      {
        id: 'bob',
        username: 'Bob',
        responseChance: 0,
        platforms: { signal: { groups: [crew], dms: false } },
      },
    ],
    ...overrides,
  };
}

export async function startSignalFleet(
  dir: string,
  config: Record<string, unknown>,
  extra: { generators?: Generator[]; clock?: Clock; platform?: SignalPlatformOptions; logger?: Logger } = {},
): Promise<Fleet> {
  return startFleet({
    configFile: writeConfigFile(dir, config),
    dataDir: join(dir, 'data'),
    port: 0,
    random: seededRandom(7),
    generators: extra.generators ?? [echoGenerator],
    ...(extra.clock && { clock: extra.clock }),
    platforms: [createSignalPlatformStarter({ ...FAST, ...extra.platform })],
    logger:
      extra.logger ??
      createLogger(
        (r) => process.stderr.write(`fleet ${r.level}: ${r.message} ${JSON.stringify(r.fields ?? {})}\n`),
        'warn',
      ),
  });
}

/** Sends to /v2/send the fake saw (accepted or refused). */
export const sendRequests = (fake: FakeSignal) => fake.requests.filter((r) => r.path === '/v2/send');

/** Waits until the platform is receiving (websocket open, or the first poll answered). */
export async function waitReceiving(fleet: Fleet, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fleet.platforms[0]?.status?.()['receiving'] !== true) {
    if (Date.now() > deadline) throw new Error('the Signal platform did not start receiving');
    await new Promise((r) => setTimeout(r, 10));
  }
}
