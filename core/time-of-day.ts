// Times of day and weekday sets as people write them in commands and the config: `07:00` (24-hour) and
// `daily`, `weekdays`, `mon-fri`, `sat,sun`. Pure; shared by briefings, reminders and the config's checks.

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Hours and minutes of `HH:MM` (24-hour), or undefined when it is not one. */
export function parseTime(value: string): { hour: number; minute: number } | undefined {
  const match = TIME.exec(value.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const NAMED_SETS: Record<string, number[]> = {
  daily: ALL_DAYS,
  everyday: ALL_DAYS,
  '*': ALL_DAYS,
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};

function dayIndex(token: string): number | undefined {
  const index = DAY_NAMES.indexOf(token.slice(0, 3) as (typeof DAY_NAMES)[number]);
  return index >= 0 && token.length >= 3 && /^[a-z]+$/.test(token) ? index : undefined;
}

/**
 * Weekdays from text like `daily`, `weekdays`, `weekends`, `mon-fri`, `sat,sun` or `mon,wed-fri`
 * (ranges may wrap: `fri-mon`). Undefined when it does not parse.
 */
export function parseWeekdays(value: string): Set<number> | undefined {
  const text = value.trim().toLowerCase();
  if (!text) return undefined;
  const named = NAMED_SETS[text];
  if (named) return new Set(named);
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.trim().split('-');
    if (from === undefined || rest.length > 0) return undefined;
    const start = dayIndex(from);
    if (start === undefined) return undefined;
    if (to === undefined) {
      days.add(start);
      continue;
    }
    const end = dayIndex(to);
    if (end === undefined) return undefined;
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  return days;
}

/** The canonical text of a weekday set: `daily`, or day names in week order from Monday (`mon,tue,fri`). */
export function formatWeekdays(days: ReadonlySet<number>): string {
  if (days.size === 7) return 'daily';
  return [1, 2, 3, 4, 5, 6, 0]
    .filter((d) => days.has(d))
    .map((d) => DAY_NAMES[d])
    .join(',');
}
