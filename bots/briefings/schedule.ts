// Schedule math for one subscription, as pure functions: parsing HH:MM and weekday lists, the instant a
// briefing is due on a local date, whether one is due now (missed but within the grace window), the next one,
// and the node-cron expression that triggers it. DST follows instantOf's rule (core/local-time.ts).
import { addDays, instantOf, localDate, weekdayOf } from '../../core/local-time.js';

export interface ScheduleSpec {
  /** HH:MM, 24-hour, local to `timeZone`. */
  time: string;
  timeZone: string;
  /** Weekdays the briefing goes out on (0 = Sunday … 6 = Saturday). */
  weekdays: ReadonlySet<number>;
}

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

/** When the briefing of local `date` is due, or undefined when `date` is not one of the weekdays. */
export function scheduledInstant(spec: ScheduleSpec, date: string): number | undefined {
  if (!spec.weekdays.has(weekdayOf(date))) return undefined;
  const time = parseTime(spec.time);
  if (!time) return undefined;
  return instantOf(date, time.hour, time.minute, spec.timeZone);
}

export interface DueRun {
  /** The subscriber's local date the briefing belongs to (the claim key). */
  localDate: string;
  /** When it was due. */
  at: number;
}

/**
 * The briefing that is due at `now`: its instant has passed and `now` is less than `graceMs` after it.
 * Yesterday is looked at too, so a 23:30 briefing is still caught at 00:10.
 */
export function dueRun(spec: ScheduleSpec, now: number, graceMs: number): DueRun | undefined {
  const today = localDate(now, spec.timeZone);
  for (const date of [today, addDays(today, -1)]) {
    const at = scheduledInstant(spec, date);
    if (at !== undefined && at <= now && now - at < graceMs) return { localDate: date, at };
  }
  return undefined;
}

/** The next briefing strictly after `now` (within the next 8 days), or undefined when there is none. */
export function nextRun(spec: ScheduleSpec, now: number): DueRun | undefined {
  const today = localDate(now, spec.timeZone);
  for (let offset = -1; offset <= 8; offset++) {
    const date = addDays(today, offset);
    const at = scheduledInstant(spec, date);
    if (at !== undefined && at > now) return { localDate: date, at };
  }
  return undefined;
}

/** The node-cron expression (minute hour * * days) for the spec, evaluated by node-cron in `timeZone`. */
export function cronExpression(spec: ScheduleSpec): string {
  const time = parseTime(spec.time);
  if (!time) throw new Error(`not a time: ${spec.time}`);
  const days = spec.weekdays.size === 7 ? '*' : [...spec.weekdays].sort((a, b) => a - b).join(',');
  return `${time.minute} ${time.hour} * * ${days}`;
}
