// A small iCalendar (RFC 5545) reader for briefings: unfolds lines, reads VEVENTs (SUMMARY, LOCATION, DTSTART
// and DTEND or DURATION, in UTC, with TZID, floating, or all-day VALUE=DATE) and finds a day's events,
// expanding RRULE FREQ=DAILY/WEEKLY with INTERVAL, BYDAY, UNTIL and COUNT, minus EXDATEs.
// Not supported (such events count by their first occurrence only): FREQ=MONTHLY/YEARLY, BYMONTHDAY, BYSETPOS,
// BYHOUR and the other BY* parts, RDATE, RECURRENCE-ID overrides, VTIMEZONE definitions (TZID must be an
// IANA name Intl knows; other TZIDs are read as floating times).
import {
  addDays,
  dayNumber,
  instantOf,
  isValidTimeZone,
  localParts,
  weekdayOf,
} from '../../../core/local-time.js';

/** A moment in an ICS file: a UTC instant, a wall time in a zone (or floating), or a whole date. */
export type IcsTime =
  | { kind: 'utc'; date: string; hour: number; minute: number; second: number }
  | { kind: 'local'; date: string; hour: number; minute: number; second: number; zone?: string }
  | { kind: 'date'; date: string };

export interface IcsRule {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  byDay?: number[];
  until?: IcsTime;
  count?: number;
}

export interface IcsEvent {
  summary: string;
  location?: string;
  start: IcsTime;
  end?: IcsTime;
  /** Duration in ms (from DURATION when there is no DTEND). */
  durationMs?: number;
  rule?: IcsRule;
  /** Set when the event has an RRULE this reader does not expand (then only its first occurrence counts). */
  unsupportedRule?: string;
  exdates: IcsTime[];
}

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Joins folded lines (a line starting with a space or tab continues the previous one). */
export function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lines.length > 0)
      lines[lines.length - 1] += raw.slice(1);
    else if (raw.length > 0) lines.push(raw);
  }
  return lines;
}

function parseProperty(line: string): Property | undefined {
  // The value starts at the first colon outside a quoted parameter value.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const [name = '', ...paramParts] = line.slice(0, colon).split(';');
  const params: Record<string, string> = {};
  for (const part of paramParts) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).toUpperCase()] = part.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
}

const unescapeText = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c)).trim();

/** An ICS DATE or DATE-TIME value, or undefined when it does not parse. */
export function parseIcsTime(value: string, params: Record<string, string> = {}): IcsTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined || params.VALUE === 'DATE') return { kind: 'date', date };
  const time = { date, hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) };
  if (m[7]) return { kind: 'utc', ...time };
  const zone = params.TZID;
  return zone && isValidTimeZone(zone) ? { kind: 'local', ...time, zone } : { kind: 'local', ...time };
}

/** ISO 8601 duration (P1D, PT1H30M, P1W) in ms, or undefined. */
export function parseDuration(value: string): number | undefined {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [w, d, h, min, s] = [m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0)) as number[];
  const ms = ((((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60_000 + (s ?? 0) * 1000;
  return m[1] === '-' ? -ms : ms;
}

const ICS_DAYS: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

function parseRule(value: string): { rule?: IcsRule; unsupported?: string } {
  const parts: Record<string, string> = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts[part.slice(0, eq).toUpperCase()] = part.slice(eq + 1).toUpperCase();
  }
  const freq = parts.FREQ;
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return { unsupported: `FREQ=${freq ?? '?'}` };
  const extra = Object.keys(parts).filter(
    (k) => !['FREQ', 'INTERVAL', 'BYDAY', 'UNTIL', 'COUNT', 'WKST'].includes(k),
  );
  if (extra.length > 0) return { unsupported: extra.join(',') };
  const rule: IcsRule = { freq, interval: Math.max(1, Number(parts.INTERVAL ?? 1) || 1) };
  if (parts.BYDAY) {
    const days = parts.BYDAY.split(',').map((d) => ICS_DAYS[d.trim()]);
    if (days.some((d) => d === undefined)) return { unsupported: `BYDAY=${parts.BYDAY}` };
    rule.byDay = days as number[];
  }
  if (parts.UNTIL) {
    const until = parseIcsTime(parts.UNTIL);
    if (until) rule.until = until;
  }
  if (parts.COUNT && Number(parts.COUNT) > 0) rule.count = Number(parts.COUNT);
  return { rule };
}

/** The VEVENTs of an ICS text (events without DTSTART are skipped). */
export function parseIcs(text: string): IcsEvent[] {
  const events: IcsEvent[] = [];
  let current: Property[] | undefined;
  for (const line of unfold(text)) {
    const property = parseProperty(line);
    if (!property) continue;
    if (property.name === 'BEGIN' && property.value.toUpperCase() === 'VEVENT') current = [];
    else if (property.name === 'END' && property.value.toUpperCase() === 'VEVENT') {
      const event = current && toEvent(current);
      if (event) events.push(event);
      current = undefined;
    } else current?.push(property);
  }
  return events;
}

function toEvent(properties: Property[]): IcsEvent | undefined {
  const find = (name: string) => properties.find((p) => p.name === name);
  const startProp = find('DTSTART');
  const start = startProp && parseIcsTime(startProp.value, startProp.params);
  if (!start) return undefined;
  const event: IcsEvent = {
    summary: unescapeText(find('SUMMARY')?.value ?? '') || '(no title)',
    start,
    exdates: [],
  };
  const location = find('LOCATION');
  if (location && unescapeText(location.value)) event.location = unescapeText(location.value);
  const endProp = find('DTEND');
  const end = endProp && parseIcsTime(endProp.value, endProp.params);
  if (end) event.end = end;
  else {
    const duration = find('DURATION');
    const ms = duration ? parseDuration(duration.value) : undefined;
    if (ms !== undefined) event.durationMs = ms;
  }
  const rrule = find('RRULE');
  if (rrule) {
    const { rule, unsupported } = parseRule(rrule.value);
    if (rule) event.rule = rule;
    if (unsupported) event.unsupportedRule = unsupported;
  }
  for (const p of properties.filter((q) => q.name === 'EXDATE')) {
    for (const value of p.value.split(',')) {
      const t = parseIcsTime(value, p.params);
      if (t) event.exdates.push(t);
    }
  }
  return event;
}

/** The instant of an ICS time; floating times and dates are read in `zone`. */
export function instantOfIcs(time: IcsTime, zone: string): number {
  if (time.kind === 'date') return instantOf(time.date, 0, 0, zone);
  if (time.kind === 'utc') {
    const [y, m, d] = time.date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d, time.hour, time.minute, time.second);
  }
  return instantOf(time.date, time.hour, time.minute, time.zone ?? zone) + time.second * 1000;
}

/** One event on the day asked for. */
export interface DayEvent {
  summary: string;
  location?: string;
  allDay: boolean;
  /** Instants of this occurrence (for all-day events: the day's bounds in the reader's zone). */
  start: number;
  end: number;
}

const MAX_EXPANSION_DAYS = 20 * 366;

/** The dates (in the event's own zone) on which a recurring event occurs, from its first up to `last`. */
function occurrenceDates(event: IcsEvent, last: string, zone: string): string[] {
  const rule = event.rule;
  const first = event.start.date;
  if (!rule) return [first];
  const eventZone = event.start.kind === 'local' ? (event.start.zone ?? zone) : zone;
  const untilInstant = rule.until && instantOfIcs(rule.until, eventZone);
  const byDay = rule.freq === 'WEEKLY' ? new Set(rule.byDay ?? [weekdayOf(first)]) : undefined;
  const firstDay = dayNumber(first);
  // Weeks start on Monday (WKST=MO, the default); day 0 (1970-01-01) was a Thursday.
  const weekOf = (day: number) => Math.floor((day + 3) / 7);
  const dates: string[] = [];
  let count = 0;
  const lastDay = Math.min(dayNumber(last), firstDay + MAX_EXPANSION_DAYS);
  for (let day = firstDay; day <= lastDay; day++) {
    const date = addDays(first, day - firstDay);
    let matches: boolean;
    if (byDay) matches = byDay.has(weekdayOf(date)) && (weekOf(day) - weekOf(firstDay)) % rule.interval === 0;
    else matches = (day - firstDay) % rule.interval === 0;
    if (!matches) continue;
    const at = instantOfIcs({ ...event.start, date } as IcsTime, eventZone);
    if (untilInstant !== undefined && at > untilInstant) break;
    count++;
    if (rule.count !== undefined && count > rule.count) break;
    dates.push(date);
  }
  return dates;
}

/** The events that overlap local `date` in `zone`, sorted all-day first, then by start. */
export function eventsOn(events: readonly IcsEvent[], date: string, zone: string): DayEvent[] {
  const dayStart = instantOf(date, 0, 0, zone);
  const dayEnd = instantOf(addDays(date, 1), 0, 0, zone);
  const found: DayEvent[] = [];
  for (const event of events) {
    const eventZone = event.start.kind === 'local' ? (event.start.zone ?? zone) : zone;
    // Occurrences up to a day after `date` (zones differ) and, for recurring events, from a week before it
    // (an occurrence lasting several days can reach into `date`).
    const dates = occurrenceDates(event, addDays(date, 1), zone).filter(
      (d) => !event.rule || dayNumber(d) >= dayNumber(date) - 7,
    );
    const excluded = new Set(event.exdates.map((t) => instantOfIcs(t, eventZone)));
    for (const d of dates) {
      const startTime = { ...event.start, date: d } as IcsTime;
      const start = instantOfIcs(startTime, eventZone);
      if (excluded.has(start)) continue;
      const allDay = event.start.kind === 'date';
      let end: number;
      if (event.end) {
        const length = instantOfIcs(event.end, eventZone) - instantOfIcs(event.start, eventZone);
        end = start + Math.max(0, length);
      } else if (event.durationMs !== undefined) end = start + event.durationMs;
      else end = allDay ? instantOf(addDays(d, 1), 0, 0, zone) : start;
      const overlaps = start < dayEnd && (end > dayStart || (end === start && start >= dayStart));
      if (!overlaps) continue;
      found.push({
        summary: event.summary,
        ...(event.location && { location: event.location }),
        allDay,
        start,
        end,
      });
    }
  }
  return found.sort((a, b) => Number(b.allDay) - Number(a.allDay) || a.start - b.start);
}

/** One line per event: "09:00–10:00 Standup (Room 1)", "all day: Holiday". */
export function formatEvent(event: DayEvent, zone: string): string {
  const where = event.location ? ` (${event.location})` : '';
  if (event.allDay) return `all day: ${event.summary}${where}`;
  const hhmm = (t: number) => {
    const p = localParts(t, zone);
    return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  };
  const range = event.end > event.start ? `${hhmm(event.start)}–${hhmm(event.end)}` : hhmm(event.start);
  return `${range} ${event.summary}${where}`;
}
