// Briefing sources as pure parsing: ICS events of a day (TZID, UTC, all-day, folded lines, RRULE), RSS and
// Atom headlines, Open-Meteo answers in words, habit streaks, and how a source's failure reads.
import { describe, expect, it } from 'vitest';
import { parseFeed, textContent } from '../../bots/briefings/sources/feed-parser.js';
import { eventsOn, formatEvent, parseDuration, parseIcs, unfold } from '../../bots/briefings/sources/ics.js';
import { streak } from '../../bots/briefings/sources/personal.js';
import { runSource } from '../../bots/briefings/sources/source-run.js';
import { describeForecast, weatherWords } from '../../bots/briefings/sources/weather.js';
import { sectionLine } from '../../bots/briefings/fact-gatherer.js';
import { SAMPLE_ATOM, SAMPLE_ICS, SAMPLE_RSS } from '../fakes/briefing-sources.js';

const day = (ics: string, date: string, zone = 'Europe/Berlin') =>
  eventsOn(parseIcs(ics), date, zone).map((e) => formatEvent(e, zone));
const calendar = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR'].join(
    '\n',
  );

describe('ICS', () => {
  it('GIVEN folded lines THEN they are joined', () => {
    expect(unfold('SUMMARY:a long\r\n  title\r\nX:1')).toEqual(['SUMMARY:a long title', 'X:1']);
  });

  it('GIVEN the sample calendar THEN the day’s events: all-day first, then by time, in the reader’s zone', () => {
    expect(day(SAMPLE_ICS, '2026-11-20')).toEqual([
      'all day: Company day off',
      '09:00–09:30 Team stand-up (Room 1, second floor)',
      '18:00–19:00 Yoga with a very long title that continues on a folded line',
    ]);
    expect(day(SAMPLE_ICS, '2026-11-21')).toEqual(['11:00 Tomorrow only']);
  });

  it('GIVEN the same calendar read in New York THEN times are shown in New York', () => {
    expect(day(SAMPLE_ICS, '2026-11-20', 'America/New_York')).toContain(
      '03:00–03:30 Team stand-up (Room 1, second floor)',
    );
  });

  it('GIVEN a weekly RRULE with COUNT THEN it stops after COUNT occurrences', () => {
    expect(day(SAMPLE_ICS, '2026-11-27').some((l) => l.includes('Yoga'))).toBe(true);
    expect(day(SAMPLE_ICS, '2026-12-04').some((l) => l.includes('Yoga'))).toBe(false);
    expect(day(SAMPLE_ICS, '2026-11-19').some((l) => l.includes('Yoga'))).toBe(false);
  });

  it('GIVEN DAILY with INTERVAL and UNTIL, and an EXDATE THEN only the right days', () => {
    const ics = calendar([
      'DTSTART;TZID=Europe/Berlin:20261101T073000',
      'DURATION:PT15M',
      'RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20261109T235959Z',
      'EXDATE;TZID=Europe/Berlin:20261105T073000',
      'SUMMARY:Run',
    ]);
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-05', '2026-11-09', '2026-11-11'];
    expect(days.map((d) => day(ics, d).join())).toEqual([
      '07:30–07:45 Run',
      '',
      '07:30–07:45 Run',
      '',
      '07:30–07:45 Run',
      '',
    ]);
  });

  it('GIVEN WEEKLY with BYDAY and INTERVAL=2 THEN every other week on those days', () => {
    const ics = calendar([
      'DTSTART:20261102T080000Z',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      'SUMMARY:Sync',
    ]);
    const dates = ['2026-11-02', '2026-11-04', '2026-11-09', '2026-11-11', '2026-11-16', '2026-11-18'];
    expect(dates.map((d) => day(ics, d, 'UTC').length)).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('GIVEN an unsupported rule THEN only the first occurrence counts', () => {
    const ics = calendar(['DTSTART:20261102T080000Z', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=2', 'SUMMARY:Rent']);
    expect(parseIcs(ics)[0]?.unsupportedRule).toBe('FREQ=MONTHLY');
    expect(day(ics, '2026-11-02', 'UTC')).toEqual(['08:00 Rent']);
    expect(day(ics, '2026-12-02', 'UTC')).toEqual([]);
  });

  it('GIVEN a floating time and a multi-day all-day event THEN both land in the reader’s day', () => {
    const ics = calendar(
      ['DTSTART:20261120T120000', 'SUMMARY:Lunch'],
      ['DTSTART;VALUE=DATE:20261119', 'DTEND;VALUE=DATE:20261122', 'SUMMARY:Trip'],
    );
    expect(day(ics, '2026-11-20', 'Asia/Tokyo')).toEqual(['all day: Trip', '12:00 Lunch']);
  });

  it('GIVEN durations THEN milliseconds', () => {
    expect(parseDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseDuration('P1D')).toBe(86_400_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('feeds', () => {
  it('GIVEN RSS 2.0 THEN its title and items newest first, CDATA and entities decoded', () => {
    const feed = parseFeed(SAMPLE_RSS);
    expect(feed.title).toBe('Harbour News');
    expect(feed.items.map((i) => i.title)).toEqual([
      'Ferries & fog: delays expected',
      'Gulls return & the tide is high',
      'Older story',
      'Oldest story',
    ]);
  });

  it('GIVEN Atom THEN entry titles with escaped HTML stripped', () => {
    const feed = parseFeed(SAMPLE_ATOM);
    expect(feed.title).toBe('Tide Tables');
    expect(feed.items.map((i) => i.title)).toEqual(['Spring tide tonight', 'Neap tide next week']);
  });

  it('GIVEN undated items THEN the document order; GIVEN not a feed THEN an error', () => {
    expect(
      parseFeed('<rss><channel><item><title>B</title></item><item><title>A</title></item></channel></rss>')
        .items,
    ).toEqual([{ title: 'B' }, { title: 'A' }]);
    expect(() => parseFeed('<html><body>hello</body></html>')).toThrow('not an RSS or Atom feed');
  });

  it('GIVEN numeric entities THEN characters', () => {
    expect(textContent('caf&#233; &#x2014; ok')).toBe('café — ok');
  });
});

describe('weather', () => {
  const body = {
    current: { temperature_2m: 5.2, weather_code: 3 },
    current_units: { temperature_2m: '°C' },
    daily: {
      time: ['2026-11-20'],
      temperature_2m_max: [9.4],
      temperature_2m_min: [3.6],
      precipitation_probability_max: [80],
      weather_code: [61],
    },
    daily_units: { temperature_2m_max: '°C' },
  };

  it('GIVEN an Open-Meteo answer THEN one line in words', () => {
    expect(describeForecast(body, '2026-11-20')).toBe(
      'light rain, 4 to 9 °C, 80% chance of rain; now 5 °C, overcast',
    );
  });

  it('GIVEN WMO codes THEN words, unknown codes named', () => {
    expect(weatherWords(0)).toBe('clear sky');
    expect(weatherWords(95)).toBe('thunderstorms');
    expect(weatherWords(42)).toBe('weather code 42');
  });

  it('GIVEN an answer without a forecast THEN an error', () => {
    expect(() => describeForecast({ error: true, reason: 'bad' }, '2026-11-20')).toThrow('no forecast');
  });
});

describe('habits and failures', () => {
  it('GIVEN checked days THEN the streak ends yesterday, or today when checked', () => {
    const checked = new Set(['2026-11-17', '2026-11-18', '2026-11-19']);
    expect(streak(checked, '2026-11-20')).toBe(3);
    expect(streak(new Set([...checked, '2026-11-20']), '2026-11-20')).toBe(4);
    expect(streak(new Set(['2026-11-18']), '2026-11-20')).toBe(0);
  });

  it('GIVEN a source slower than its timeout THEN one line saying so', async () => {
    const section = await runSource(
      'Weather',
      20,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    expect(sectionLine(section)).toBe('Weather: unavailable (timeout after 20 ms)');
    const refused = await runSource('Weather', 5000, () =>
      Promise.reject(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    );
    expect(sectionLine(refused)).toBe('Weather: unavailable (connection refused)');
  });
});
