// Local HTTP fixtures for briefing sources on 127.0.0.1: Open-Meteo-shaped forecast (/v1/forecast) and
// geocoding (/v1/search), an ICS calendar (/calendar.ics), an RSS 2.0 feed (/rss.xml) and an Atom feed
// (/atom.xml). Any path can be made slow or failing. Timers are captured at import, so the server keeps real
// time when a test fakes timers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export const PLACES: Record<string, { name: string; latitude: number; longitude: number; timezone: string }> =
  {
    berlin: { name: 'Berlin', latitude: 52.52437, longitude: 13.41053, timezone: 'Europe/Berlin' },
    'new york': { name: 'New York', latitude: 40.71427, longitude: -74.00597, timezone: 'America/New_York' },
  };

/** An ICS calendar with a timed event, an all-day event and a weekly RRULE, for 2026-11-20 (a Friday). */
export const SAMPLE_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Chorus tests//EN',
  'BEGIN:VEVENT',
  'UID:standup@test',
  'DTSTART;TZID=Europe/Berlin:20261120T090000',
  'DTEND;TZID=Europe/Berlin:20261120T093000',
  'SUMMARY:Team stand-up',
  'LOCATION:Room 1\\, second floor',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:holiday@test',
  'DTSTART;VALUE=DATE:20261120',
  'DTEND;VALUE=DATE:20261121',
  'SUMMARY:Company day off',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:yoga@test',
  'DTSTART:20261106T170000Z',
  'DTEND:20261106T180000Z',
  'RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=4',
  'SUMMARY:Yoga with a very long title that',
  '  continues on a folded line',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:other-day@test',
  'DTSTART:20261121T100000Z',
  'SUMMARY:Tomorrow only',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

export const SAMPLE_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour News</title><link>http://127.0.0.1/</link>
<item><title>Older story</title><pubDate>Wed, 18 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title><![CDATA[Ferries & fog: <b>delays</b> expected]]></title><pubDate>Fri, 20 Nov 2026 05:00:00 GMT</pubDate></item>
<item><title>Gulls return &amp; the tide is high</title><pubDate>Thu, 19 Nov 2026 07:00:00 GMT</pubDate></item>
<item><title>Oldest story</title><pubDate>Mon, 16 Nov 2026 07:00:00 GMT</pubDate></item>
</channel></rss>`;

export const SAMPLE_ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Tide Tables</title>
<entry><title type="html">Spring tide &lt;em&gt;tonight&lt;/em&gt;</title><updated>2026-11-20T04:00:00Z</updated></entry>
<entry><title>Neap tide next week</title><updated>2026-11-19T04:00:00Z</updated></entry>
</feed>`;

export interface PathControl {
  /** Answer after this many ms (real time). */
  delayMs?: number;
  /** Answer with this status and no useful body. */
  status?: number;
}

export interface BriefingSourcesFixture {
  readonly url: string;
  /** Requests received, as "METHOD /path?query". */
  readonly requests: string[];
  /** Forecast values served for every day asked. */
  forecast: { code: number; max: number; min: number; rain: number; now: number; nowCode: number };
  ics: string;
  rss: string;
  atom: string;
  control(path: string, control: PathControl | undefined): void;
  close(): Promise<void>;
}

function localDateIn(zone: string, at = Date.now()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);
  } catch {
    return new Date(at).toISOString().slice(0, 10);
  }
}

export async function startBriefingSources(): Promise<BriefingSourcesFixture> {
  const controls = new Map<string, PathControl>();
  const pending = new Set<NodeJS.Timeout>();
  const fixture = {
    url: '',
    requests: [] as string[],
    forecast: { code: 61, max: 9.4, min: 3.6, rain: 80, now: 5.2, nowCode: 3 },
    ics: SAMPLE_ICS,
    rss: SAMPLE_RSS,
    atom: SAMPLE_ATOM,
  };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const control = controls.get(url.pathname);
    if (control?.status) {
      res.writeHead(control.status, { 'content-type': 'text/plain' }).end('failing on purpose');
      return;
    }
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    switch (url.pathname) {
      case '/v1/search': {
        const place = PLACES[(url.searchParams.get('name') ?? '').toLowerCase()];
        json(
          place
            ? { results: [{ id: 1, ...place, country: 'Testland' }], generationtime_ms: 0.5 }
            : { generationtime_ms: 0.4 },
        );
        return;
      }
      case '/v1/forecast': {
        const zone = url.searchParams.get('timezone') ?? 'GMT';
        const f = fixture.forecast;
        json({
          latitude: Number(url.searchParams.get('latitude')),
          longitude: Number(url.searchParams.get('longitude')),
          generationtime_ms: 0.1,
          utc_offset_seconds: 0,
          timezone: zone,
          timezone_abbreviation: 'GMT',
          elevation: 38,
          current_units: {
            time: 'iso8601',
            interval: 'seconds',
            temperature_2m: '°C',
            weather_code: 'wmo code',
          },
          current: {
            time: `${localDateIn(zone)}T06:00`,
            interval: 900,
            temperature_2m: f.now,
            weather_code: f.nowCode,
          },
          daily_units: {
            time: 'iso8601',
            temperature_2m_max: '°C',
            temperature_2m_min: '°C',
            precipitation_probability_max: '%',
            weather_code: 'wmo code',
          },
          daily: {
            time: [localDateIn(zone)],
            temperature_2m_max: [f.max],
            temperature_2m_min: [f.min],
            precipitation_probability_max: [f.rain],
            weather_code: [f.code],
          },
        });
        return;
      }
      case '/calendar.ics':
        res.writeHead(200, { 'content-type': 'text/calendar' }).end(fixture.ics);
        return;
      case '/rss.xml':
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fixture.rss);
        return;
      case '/atom.xml':
        res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(fixture.atom);
        return;
      default:
        res.writeHead(404).end('not found');
    }
  };

  const server: Server = createServer((req, res) => {
    fixture.requests.push(`${req.method} ${req.url}`);
    const delay = controls.get(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)?.delayMs;
    if (!delay) return answer(req, res);
    const timer = realSetTimeout(() => {
      pending.delete(timer);
      if (!res.destroyed) answer(req, res);
    }, delay);
    pending.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(fixture, {
    control(path: string, control: PathControl | undefined) {
      if (control) controls.set(path, control);
      else controls.delete(path);
    },
    async close() {
      for (const timer of pending) realClearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
