// Wall-clock time in a person's IANA time zone, with Intl only: the local date and time of an instant, and
// the instant of a local date and time (a time skipped by a DST jump moves forward by the jump; a time that
// occurs twice when clocks go back takes the later occurrence).

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The local date and time of `ms` in `zone`. */
export function localDateTime(ms: number, zone: string): LocalDateTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] as number,
    month: parts['month'] as number,
    day: parts['day'] as number,
    hour: parts['hour'] as number,
    minute: parts['minute'] as number,
    second: parts['second'] as number,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of `ms` in `zone`. */
export function localDate(ms: number, zone: string): string {
  const t = localDateTime(ms, zone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

/** HH:MM of `ms` in `zone`. */
export function localClock(ms: number, zone: string): string {
  const t = localDateTime(ms, zone);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** Offset of `zone` from UTC at `ms`, in ms (positive east of Greenwich). */
function offsetAt(ms: number, zone: string): number {
  const t = localDateTime(ms, zone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant at which the wall clock in `zone` shows the given local date and time. */
export function zonedInstant(local: LocalDateTime, zone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = wall - offsetAt(wall, zone);
  const second = wall - offsetAt(first, zone);
  if (first === second) return first;
  // Around a DST change the two guesses differ: take the one whose wall time matches, else the later one.
  const match = [Math.min(first, second), Math.max(first, second)].find((t) => {
    const l = localDateTime(t, zone);
    return l.hour === local.hour && l.minute === local.minute && l.day === local.day;
  });
  return match ?? Math.max(first, second);
}

/** The local date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}
