// Gathering a briefing's facts from local HTTP fixtures (Open-Meteo-shaped weather and geocoding, an ICS
// calendar by URL and by file, RSS and Atom feeds) and from the person's reminders and habits in SQLite,
// with real timers; failed and slow sources become one line each; the persona writes it, or the template does.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceFactGatherer } from '../../bots/briefings/index.js';
import type { Generator } from '../../bots/generation/index.js';
import { FakeClock } from '../../core/clock.js';
import { openDatabase, type Db } from '../../store/index.js';
import { startBriefingSources, type BriefingSourcesFixture } from '../fakes/briefing-sources.js';
import { BriefingHarness, briefingConfig } from '../support/briefing-harness.js';
import { tempDir } from '../support/test-fleet.js';

const PERSON = '+4915100000001';
const DATE = '2026-11-20';
let sources: BriefingSourcesFixture;
let dir: ReturnType<typeof tempDir>;
let db: Db;

beforeAll(async () => {
  sources = await startBriefingSources();
});
afterAll(async () => {
  await sources.close();
});
beforeEach(() => {
  dir = tempDir('chorus-briefing-sources-');
  db = openDatabase(join(dir.path, 'chorus.db'));
});
afterEach(() => {
  for (const path of ['/v1/forecast', '/v1/search', '/calendar.ics', '/rss.xml', '/atom.xml'])
    sources.control(path, undefined);
  db.close();
  dir.remove();
});

function gatherer(timeoutMs = 2000) {
  const settings = briefingConfig({
    sourceTimeoutMs: timeoutMs,
    weather: { url: `${sources.url}/v1/forecast`, geocodingUrl: `${sources.url}/v1/search` },
    feeds: [`${sources.url}/rss.xml`],
  }).briefings;
  return new SourceFactGatherer(settings, db);
}

const request = (extra: Record<string, unknown> = {}) => ({
  person: PERSON,
  entityId: 'sage',
  timeZone: 'Europe/Berlin',
  location: { name: 'Berlin' },
  calendars: [`${sources.url}/calendar.ics`],
  feeds: [`${sources.url}/atom.xml`],
  ...extra,
});

const lines = (facts: { sections: { title: string; lines: string[]; unavailable?: string }[] }) =>
  facts.sections.map((s) =>
    s.unavailable ? `${s.title}: unavailable (${s.unavailable})` : `${s.title}: ${s.lines.join('; ')}`,
  );

describe('briefing sources over local HTTP', () => {
  it('GIVEN every source answering THEN weather, calendar, both feeds, reminders and habits', async () => {
    const at = Date.UTC(2026, 10, 20, 6, 0);
    db.prepare('INSERT INTO reminders (person, text, due_at, created_at) VALUES (?, ?, ?, ?)').run(
      PERSON,
      'call the harbour master',
      Date.UTC(2026, 10, 20, 15, 0),
      at,
    );
    db.prepare('INSERT INTO reminders (person, text, due_at, created_at) VALUES (?, ?, NULL, ?)').run(
      PERSON,
      'buy rope',
      at,
    );
    db.prepare('INSERT INTO reminders (person, text, due_at, created_at) VALUES (?, ?, ?, ?)').run(
      PERSON,
      'next week',
      Date.UTC(2026, 10, 27, 9, 0),
      at,
    );
    db.prepare('INSERT INTO reminders (person, text, created_at) VALUES (?, ?, ?)').run(
      'someone-else',
      'not mine',
      at,
    );
    const habit = db
      .prepare('INSERT INTO habits (person, name, created_at) VALUES (?, ?, ?)')
      .run(PERSON, 'swim', at);
    for (const d of ['2026-11-17', '2026-11-18', '2026-11-19'])
      db.prepare('INSERT INTO habit_checks (habit_id, local_date) VALUES (?, ?)').run(
        habit.lastInsertRowid,
        d,
      );
    db.prepare('INSERT INTO habits (person, name, created_at) VALUES (?, ?, ?)').run(PERSON, 'read', at);

    const facts = await gatherer().gather(request(), DATE);
    expect(lines(facts)).toEqual([
      'Weather: Berlin: light rain, 4 to 9 °C, 80% chance of rain; now 5 °C, overcast',
      'Calendar: all day: Company day off; 09:00–09:30 Team stand-up (Room 1, second floor); 18:00–19:00 Yoga with a very long title that continues on a folded line',
      'News (Harbour News): Ferries & fog: delays expected; Gulls return & the tide is high; Older story',
      'News (Tide Tables): Spring tide tonight; Neap tide next week',
      'Reminders: call the harbour master (16:00); buy rope',
      'Habits: read: not done yesterday; swim: done yesterday, 3-day streak',
    ]);
    const forecast = sources.requests.find((r) => r.includes('/v1/forecast')) ?? '';
    expect(forecast).toContain('latitude=52.52437');
    expect(forecast).toContain('timezone=Europe%2FBerlin');
    expect(forecast).toContain(
      'daily=temperature_2m_max%2Ctemperature_2m_min%2Cprecipitation_probability_max%2Cweather_code',
    );
  });

  it('GIVEN coordinates THEN no geocoding; GIVEN no location THEN the zone’s city', async () => {
    const before = sources.requests.filter((r) => r.includes('/v1/search')).length;
    const facts = await gatherer().gather(
      request({ location: { name: 'Home', latitude: 40.7, longitude: -74 }, calendars: [], feeds: [] }),
      DATE,
    );
    expect(lines(facts)[0]).toMatch(/^Weather: Home: light rain/);
    expect(sources.requests.filter((r) => r.includes('/v1/search')).length).toBe(before);
    const byZone = await gatherer().gather(
      request({ location: undefined, timeZone: 'America/New_York', calendars: [], feeds: [] }),
      DATE,
    );
    expect(lines(byZone)[0]).toMatch(/^Weather: New York: /);
  });

  it('GIVEN a calendar file THEN it is read like a URL', async () => {
    const file = join(dir.path, 'mine.ics');
    writeFileSync(file, sources.ics);
    const facts = await gatherer().gather(request({ calendars: [file], feeds: [] }), DATE);
    expect(lines(facts)[1]).toMatch(/^Calendar: all day: Company day off/);
  });

  it('GIVEN failing and slow sources THEN each becomes one line and the rest still arrive', async () => {
    sources.control('/v1/forecast', { delayMs: 1500 });
    sources.control('/calendar.ics', { status: 503 });
    sources.control('/atom.xml', { status: 404 });
    const facts = await gatherer(300).gather(
      request({ calendars: [`${sources.url}/calendar.ics`, join(dir.path, 'missing.ics')] }),
      DATE,
    );
    expect(lines(facts)).toEqual([
      'Weather: unavailable (timeout after 300 ms)',
      'Calendar: unavailable (HTTP 503)',
      'Calendar: unavailable (file not found)',
      'News (Harbour News): Ferries & fog: delays expected; Gulls return & the tide is high; Older story',
      `News (${new URL(sources.url).host}): unavailable (HTTP 404)`,
    ]);
  });

  it('GIVEN an unknown place THEN the weather line says so', async () => {
    const facts = await gatherer().gather(
      request({ location: { name: 'Atlantis' }, calendars: [], feeds: [] }),
      DATE,
    );
    expect(lines(facts)[0]).toBe('Weather: unavailable (place "Atlantis" not found)');
  });
});

describe('writing the briefing', () => {
  const llm: Generator = {
    name: 'llm',
    generate: async (req) => ({
      text: `Ahoy! ${req.message.text.split('\n').find((l) => l.startsWith('Weather')) ?? ''}`,
      source: 'llm',
      generator: 'llm',
    }),
  };
  const markov: Generator = {
    name: 'markov',
    generate: async () => ({
      text: 'the gulls know the weather better than any captain',
      source: 'markov',
      generator: 'markov',
    }),
  };

  async function written(generator: Generator): Promise<string> {
    const clock = new FakeClock(Date.UTC(2026, 10, 20, 6, 0));
    const harness = new BriefingHarness(dir.path, briefingConfig(), clock, generator);
    const service = harness.service('p1');
    await service.sendNow(request({ calendars: [], feeds: [], location: undefined, timeZone: 'UTC' }));
    await harness.close();
    return harness.sent[0]?.text ?? '';
  }

  it('GIVEN a language model THEN the persona’s text, written from the facts in the prompt', async () => {
    expect(await written(llm)).toBe('Ahoy! Weather: fine on 2026-11-20');
  });

  it('GIVEN only the Markov fallback THEN the template with every fact and one flavour line', async () => {
    expect(await written(markov)).toBe(
      [
        'Good morning! Sage here with your briefing for Friday, 20 November.',
        'Weather: fine on 2026-11-20',
        'Sage adds: the gulls know the weather better than any captain',
      ].join('\n'),
    );
  });
});
