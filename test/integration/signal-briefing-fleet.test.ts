// Morning briefings end to end: a real fleet with the Signal platform against the fake signal-cli-rest-api,
// sources served by local HTTP fixtures, and a faked calendar date (only Date is faked, and it runs on at real
// speed, so sockets and timers behave normally while node-cron sees the morning of 2026-11-20 in Berlin).
// A person subscribes by DM, the morning comes, exactly one briefing DM arrives; after restarts, still one;
// a fleet that was down at 07:00 sends the missed briefing when it starts within the grace window.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Generator } from '../../bots/generation/index.js';
import type { Fleet } from '../../scripts/fleet.js';
import { startBriefingSources, type BriefingSourcesFixture } from '../fakes/briefing-sources.js';
import type { FakeSignal } from '../fakes/signal/index.js';
import {
  ALICE,
  signalConfig,
  startCrewFake,
  startSignalFleet,
  waitReceiving,
} from '../support/signal-fleet.js';
import { tempDir } from '../support/test-fleet.js';

const SEVEN_BERLIN = Date.parse('2026-11-20T06:00:00Z');

let dir: ReturnType<typeof tempDir>;
let fake: FakeSignal;
let sources: BriefingSourcesFixture;
let fleet: Fleet | undefined;

/** A persona model: for a briefing request it greets in its own voice and keeps every fact line of the prompt. */
const persona: Generator = {
  name: 'persona',
  generate: async (req) => ({
    text: req.message.platformId.startsWith('briefing:')
      ? [
          `Ahoy from ${req.entity.username}!`,
          ...req.message.text.split('\n').filter((l) => /^[A-Z][\w ()]*: /.test(l)),
        ].join('\n')
      : `${req.entity.username} answers #${req.message.id}`,
    source: 'llm',
    generator: 'persona',
  }),
};

const isBriefing = (s: { body: { recipients?: string[]; message?: string } }) =>
  s.body.recipients?.[0] === ALICE.uuid && /^Ahoy from Ada!/.test(s.body.message ?? '');
const briefings = () => fake.sent.filter(isBriefing);

function config(): Record<string, unknown> {
  return signalConfig(fake, {
    briefings: {
      enabled: true,
      staggerSeconds: 0,
      sourceTimeoutMs: 2000,
      weather: { url: `${sources.url}/v1/forecast`, geocodingUrl: `${sources.url}/v1/search` },
      calendars: [`${sources.url}/calendar.ics`],
      feeds: [`${sources.url}/rss.xml`],
    },
  });
}

async function startFleet(): Promise<Fleet> {
  fleet = await startSignalFleet(dir.path, config(), { generators: [persona] });
  await waitReceiving(fleet);
  return fleet;
}

async function restart(): Promise<void> {
  await fleet?.stop();
  fleet = undefined;
  await startFleet();
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: SEVEN_BERLIN - 60_000 });
  dir = tempDir('chorus-briefing-fleet-');
  sources = await startBriefingSources();
  fake = await startCrewFake('json-rpc');
});

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  expect(fake.violations).toEqual([]);
  await fake.close();
  await sources.close();
  vi.useRealTimers();
  dir.remove();
});

describe('morning briefings through the fleet and the fake Signal', () => {
  it('GIVEN a person subscribes by DM THEN exactly one briefing arrives at 07:00, also after a restart', async () => {
    await startFleet();
    // The command arrives a moment before 07:00, so node-cron's task for it fires within seconds.
    vi.setSystemTime(SEVEN_BERLIN - 2500);
    fake.incoming({ from: ALICE, text: '/brief subscribe 07:00 Europe/Berlin' });
    const [ack] = await fake.waitForSent((s) => /^Subscribed: /.test(s.body.message ?? ''));
    expect(ack?.body.recipients).toEqual([ALICE.uuid]);
    expect(Date.now()).toBeLessThan(SEVEN_BERLIN);

    const [briefing] = await fake.waitForSent(isBriefing, { timeoutMs: 10_000 });
    const text = briefing?.body.message as string;
    expect(text).toContain('Weather: Berlin: light rain, 4 to 9 °C, 80% chance of rain');
    expect(text).toContain('Calendar: all day: Company day off; 09:00–09:30 Team stand-up');
    expect(text).toContain('News (Harbour News): Ferries & fog: delays expected');

    await restart();
    await pause(500);
    await restart();
    await pause(500);
    expect(briefings()).toHaveLength(1);
  });

  it('GIVEN the fleet was down at 07:00 THEN the briefing is sent once when it starts within the grace window', async () => {
    await startFleet();
    fake.incoming({ from: ALICE, text: '/brief subscribe 07:00 Europe/Berlin mon-fri' });
    await fake.waitForSent((s) => /^Subscribed: /.test(s.body.message ?? ''));
    await fleet?.stop();
    fleet = undefined;

    vi.setSystemTime(SEVEN_BERLIN + 45 * 60_000); // back at 07:45
    await startFleet();
    await fake.waitForSent(isBriefing, { timeoutMs: 10_000 });
    await restart();
    await pause(500);
    expect(briefings()).toHaveLength(1);
  });
});
