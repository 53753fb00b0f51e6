// Schedule math for one subscription, as pure functions (HH:MM and weekday lists parse in core/time-of-day.ts): the instant a
// briefing is due on a local date, whether one is due now (missed but within the grace window), the next one,
// and the node-cron expression that triggers it. DST follows instantOf's rule (core/local-time.ts).
import { addDays, instantOf, localDate, weekdayOf } from '../../core/local-time.js';
import { parseTime } from '../../core/time-of-day.js';

export interface ScheduleSpec {
  /** HH:MM, 24-hour, local to `timeZone`. */
  time: string;
  timeZone: string;
  /** Weekdays the briefing goes out on (0 = Sunday … 6 = Saturday). */
  weekdays: ReadonlySet<number>;
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
