// Parses when a reminder is due, in the person's time zone: `HH:MM text` (the next time the clock shows it),
// `tomorrow HH:MM text`, `YYYY-MM-DD HH:MM text`, `in 20m|2h|3d text`. Pure: returns undefined when it does
// not parse, so the command answers with its usage. A clock time that a DST change skips or repeats follows
// the rule briefings follow (core/local-time.ts): a skipped time means the first minute after the jump, a
// repeated one its first occurrence.
import { addDays, instantOf, isDate, localDate } from '../../../core/local-time.js';
import { parseTime } from '../../../core/time-of-day.js';

export interface ParsedReminder {
  dueAt: number;
  text: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RELATIVE = /^(\d{1,5})(m|min|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

function at(date: string, clock: string, zone: string): number | undefined {
  const time = parseTime(clock);
  if (!time || !isDate(date)) return undefined; // isDate refuses 2026-02-30 and the like
  return instantOf(date, time.hour, time.minute, zone);
}

export function parseReminder(args: string, now: number, zone: string): ParsedReminder | undefined {
  const words = args.trim().split(/\s+/);
  const [first = '', second = ''] = words;
  let dueAt: number | undefined;
  let used = 0;
  const today = localDate(now, zone);
  if (parseTime(first)) {
    dueAt = at(today, first, zone);
    if (dueAt !== undefined && dueAt <= now) dueAt = at(addDays(today, 1), first, zone);
    used = 1;
  } else if (first.toLowerCase() === 'tomorrow' && parseTime(second)) {
    dueAt = at(addDays(today, 1), second, zone);
    used = 2;
  } else if (DATE.test(first) && parseTime(second)) {
    dueAt = at(first, second, zone);
    if (dueAt !== undefined && dueAt <= now) return undefined;
    used = 2;
  } else if (first.toLowerCase() === 'in' && RELATIVE.test(second.toLowerCase())) {
    const m = RELATIVE.exec(second.toLowerCase()) as RegExpExecArray;
    const amount = Number(m[1]);
    if (amount === 0) return undefined;
    dueAt = now + amount * (UNIT_MS[m[2] as string] as number);
    used = 2;
  }
  const text = words.slice(used).join(' ').trim();
  if (dueAt === undefined || text.length === 0) return undefined;
  return { dueAt, text };
}
