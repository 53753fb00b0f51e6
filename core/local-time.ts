// Wall-clock time in an IANA time zone, computed with Intl only: the local date and time of an instant, the
// instant of a local date and time (with one DST rule for briefings and Signal reminders alike), and
// calendar-date arithmetic.
//
// DST rule (instantOf): a local time that happens twice (fall-back overlap) means its FIRST occurrence; a local
// time that does not exist (spring-forward gap) means the first minute after the gap, e.g. 02:30 on the
// spring-forward day in Europe/Berlin is 03:00 CEST.

const MINUTE = 60_000;
const DAY = 86_400_000;
const FORMATTER_CACHE_LIMIT = 500;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    if (formatters.size >= FORMATTER_CACHE_LIMIT) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * True when Intl knows the zone (it throws RangeError "Invalid time zone specified" otherwise). UTC, the config's
 * default, is answered without Intl: the first zoned formatter loads ICU's time zone data, about 10 MB of memory
 * that a fleet without briefings should not pay for just to validate its defaults.
 */
export function isValidTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  if (!zone.trim()) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock date and time of `instant` in `zone`. */
export function localParts(instant: number, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAY_INDEX[parts.weekday ?? ''] ?? 0,
  };
}

/** The local date (YYYY-MM-DD) of `instant` in `zone`. */
export const localDate = (instant: number, zone: string): string => localParts(instant, zone).date;

/** HH:MM */
const clock = (hour: number, minute: number): string =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** The local time (HH:MM) of `instant` in `zone`. */
export function localClock(instant: number, zone: string): string {
  const p = localParts(instant, zone);
  return clock(p.hour, p.minute);
}

const stamp = (p: LocalParts): string => `${p.date}T${clock(p.hour, p.minute)}`;

/** Zone offset at `instant`, in ms (local wall clock minus UTC), at minute precision. */
function offsetAt(instant: number, zone: string): number {
  const p = localParts(instant, zone);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, p.hour, p.minute);
  return asUtc - Math.floor(instant / MINUTE) * MINUTE;
}

const INSTANT_CACHE_LIMIT = 5000;
const instants = new Map<string, number>();

/** The instant of local `date` at `hour:minute` in `zone`, by the DST rule at the top of this file. */
export function instantOf(date: string, hour: number, minute: number, zone: string): number {
  // Pure and asked for the same few days all the time (the minute sweep): remember recent answers.
  const key = `${date}T${hour}:${minute}@${zone}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const instant = computeInstant(date, hour, minute, zone);
  if (instants.size >= INSTANT_CACHE_LIMIT) instants.clear();
  instants.set(key, instant);
  return instant;
}

function computeInstant(date: string, hour: number, minute: number, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(y, m - 1, d, hour, minute);
  const wanted = `${date}T${clock(hour, minute)}`;
  const offsets = new Set([
    offsetAt(wallAsUtc - DAY, zone),
    offsetAt(wallAsUtc, zone),
    offsetAt(wallAsUtc + DAY, zone),
  ]);
  const candidates = [...offsets]
    .map((offset) => wallAsUtc - offset)
    .filter((t) => stamp(localParts(t, zone)) === wanted)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // In a gap: the first minute whose wall clock is past the wanted time. Offsets differ by at most a day.
  let low = wallAsUtc - DAY;
  let high = wallAsUtc + DAY;
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (stamp(localParts(mid, zone)) >= wanted) high = mid;
    else low = mid;
  }
  return high;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY);
}

/** The YYYY-MM-DD date of a day number. */
export const fromDayNumber = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string): number => (((dayNumber(date) + 4) % 7) + 7) % 7;

/** True for a real calendar date written YYYY-MM-DD. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return fromDayNumber(dayNumber(value)) === value;
}

/** The instants where local `date` begins and ends in `zone` ([start, end)). */
export function dayBounds(date: string, zone: string): { start: number; end: number } {
  return { start: instantOf(date, 0, 0, zone), end: instantOf(addDays(date, 1), 0, 0, zone) };
}
