// Briefing schedule math: local dates and instants in IANA zones, the DST rule (gap → first minute after it,
// overlap → first occurrence), weekdays, the grace window and the next run.
import { describe, expect, it } from 'vitest';
import { addDays, instantOf, isValidTimeZone, localParts, weekdayOf } from '../../core/local-time.js';
import { formatWeekdays, parseTime, parseWeekdays } from '../../core/time-of-day.js';
import {
  cronExpression,
  dueRun,
  nextRun,
  scheduledInstant,
  type ScheduleSpec,
} from '../../bots/briefings/schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const spec = (time: string, timeZone: string, weekdays = 'daily'): ScheduleSpec => ({
  time,
  timeZone,
  weekdays: parseWeekdays(weekdays) ?? new Set(),
});

describe('local time', () => {
  it('GIVEN an instant THEN its wall clock in the zone', () => {
    expect(localParts(Date.UTC(2026, 10, 21, 6, 0), 'Europe/Berlin')).toEqual({
      date: '2026-11-21',
      hour: 7,
      minute: 0,
      weekday: 6,
    });
    expect(localParts(Date.UTC(2026, 10, 21, 3, 0), 'America/New_York').date).toBe('2026-11-20');
  });

  it('GIVEN ordinary days THEN the instant of a local time uses that day’s offset', () => {
    expect(iso(instantOf('2026-01-15', 7, 0, 'Europe/Berlin'))).toBe('2026-01-15T06:00:00.000Z');
    expect(iso(instantOf('2026-07-15', 7, 0, 'Europe/Berlin'))).toBe('2026-07-15T05:00:00.000Z');
    expect(iso(instantOf('2026-11-21', 7, 0, 'Asia/Kolkata'))).toBe('2026-11-21T01:30:00.000Z');
  });

  it('GIVEN a time in the spring-forward gap THEN the first minute after the gap', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z).
    expect(iso(instantOf('2026-03-29', 2, 30, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(iso(instantOf('2026-03-08', 2, 30, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    // Havana jumps at midnight: the day starts at 01:00.
    expect(localParts(instantOf('2026-03-08', 0, 0, 'America/Havana'), 'America/Havana').hour).toBe(1);
  });

  it('GIVEN a time in the fall-back overlap THEN its first occurrence', () => {
    expect(iso(instantOf('2026-10-25', 2, 30, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOf('2026-11-01', 1, 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('GIVEN zone names THEN Intl decides which are valid', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('GIVEN dates THEN weekday and day arithmetic across month ends', () => {
    expect(weekdayOf('2026-11-21')).toBe(6);
    expect(weekdayOf('2026-11-22')).toBe(0);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('parsing', () => {
  it('GIVEN HH:MM THEN hours and minutes; anything else is refused', () => {
    expect(parseTime('07:05')).toEqual({ hour: 7, minute: 5 });
    expect(parseTime('7:05')).toEqual({ hour: 7, minute: 5 });
    for (const bad of ['24:00', '07:60', '0700', '7', 'seven']) expect(parseTime(bad)).toBeUndefined();
  });

  it('GIVEN weekday texts THEN day sets, and back to canonical text', () => {
    expect(formatWeekdays(parseWeekdays('mon-fri')!)).toBe('mon,tue,wed,thu,fri');
    expect(formatWeekdays(parseWeekdays('weekdays')!)).toBe('mon,tue,wed,thu,fri');
    expect(formatWeekdays(parseWeekdays('sat,sun')!)).toBe('sat,sun');
    expect(formatWeekdays(parseWeekdays('daily')!)).toBe('daily');
    expect(formatWeekdays(parseWeekdays('fri-mon')!)).toBe('mon,fri,sat,sun');
    expect(formatWeekdays(parseWeekdays('Monday,Wed')!)).toBe('mon,wed');
    for (const bad of ['', 'mo', 'mon-', 'someday', 'mon-tue-wed'])
      expect(parseWeekdays(bad)).toBeUndefined();
  });

  it('GIVEN a spec THEN the node-cron expression', () => {
    expect(cronExpression(spec('07:00', 'Europe/Berlin'))).toBe('0 7 * * *');
    expect(cronExpression(spec('06:45', 'Europe/Berlin', 'mon-fri'))).toBe('45 6 * * 1,2,3,4,5');
  });
});

describe('due runs', () => {
  const berlin = spec('07:00', 'Europe/Berlin', 'mon-fri');

  it('GIVEN a weekday THEN the instant; GIVEN a weekend day THEN none', () => {
    expect(iso(scheduledInstant(berlin, '2026-11-20'))).toBe('2026-11-20T06:00:00.000Z');
    expect(scheduledInstant(berlin, '2026-11-21')).toBeUndefined();
  });

  it('GIVEN now before the time THEN nothing is due; after it within grace THEN today is due', () => {
    const at = Date.UTC(2026, 10, 20, 6, 0);
    expect(dueRun(berlin, at - MINUTE, 2 * HOUR)).toBeUndefined();
    expect(dueRun(berlin, at, 2 * HOUR)).toEqual({ localDate: '2026-11-20', at });
    expect(dueRun(berlin, at + 2 * HOUR - 1, 2 * HOUR)).toEqual({ localDate: '2026-11-20', at });
  });

  it('GIVEN now past the grace window THEN nothing is due', () => {
    const at = Date.UTC(2026, 10, 20, 6, 0);
    expect(dueRun(berlin, at + 2 * HOUR, 2 * HOUR)).toBeUndefined();
  });

  it('GIVEN a late-evening time THEN it is still due just after local midnight, for its own date', () => {
    const late = spec('23:30', 'Europe/Berlin');
    const at = Date.UTC(2026, 10, 20, 22, 30);
    expect(dueRun(late, at + 40 * MINUTE, 2 * HOUR)).toEqual({ localDate: '2026-11-20', at });
  });

  it('GIVEN the spring-forward day THEN 02:30 is due once, from 03:00 CEST', () => {
    const early = spec('02:30', 'Europe/Berlin');
    const jump = Date.UTC(2026, 2, 29, 1, 0);
    expect(dueRun(early, jump - MINUTE, 2 * HOUR)).toBeUndefined();
    expect(dueRun(early, jump, 2 * HOUR)).toEqual({ localDate: '2026-03-29', at: jump });
  });

  it('GIVEN the fall-back day THEN 01:30 New York is one run (one local date), from its first occurrence', () => {
    const early = spec('01:30', 'America/New_York');
    const first = Date.UTC(2026, 10, 1, 5, 30);
    const second = first + HOUR;
    expect(dueRun(early, first, 2 * HOUR)).toEqual({ localDate: '2026-11-01', at: first });
    // The second 01:30 is the same run (same local date), which the claim then refuses.
    expect(dueRun(early, second, 2 * HOUR)).toEqual({ localDate: '2026-11-01', at: first });
  });

  it('GIVEN now THEN the next run skips weekends and today once passed', () => {
    const friday = Date.UTC(2026, 10, 20, 7, 0);
    expect(nextRun(berlin, friday)).toEqual({ localDate: '2026-11-23', at: Date.UTC(2026, 10, 23, 6, 0) });
    const early = Date.UTC(2026, 10, 20, 5, 0);
    expect(nextRun(berlin, early)?.localDate).toBe('2026-11-20');
  });
});
