import { describe, expect, it } from 'vitest';
import { parseReminder } from '../../bots/signal/reminders/reminder-time.js';
import { habitStreak } from '../../bots/signal/habits/habit-streak.js';
import { addDays, instantOf, localClock, localDate } from '../../core/local-time.js';

const NOW = Date.UTC(2026, 2, 28, 10, 0); // Saturday 28 March 2026, 10:00 UTC (11:00 in Berlin)

describe('parseReminder', () => {
  it('GIVEN HH:MM later today THEN today; earlier THEN tomorrow (in the person’s zone)', () => {
    expect(parseReminder('12:30 lunch', NOW, 'UTC')).toEqual({
      dueAt: Date.UTC(2026, 2, 28, 12, 30),
      text: 'lunch',
    });
    expect(parseReminder('09:00 coffee', NOW, 'UTC')?.dueAt).toBe(Date.UTC(2026, 2, 29, 9, 0));
    expect(parseReminder('12:30 lunch', NOW, 'Europe/Berlin')?.dueAt).toBe(Date.UTC(2026, 2, 28, 11, 30));
  });

  it('GIVEN tomorrow, a date or in N units THEN the matching instant', () => {
    // Berlin moves to summer time in the night to 29 March: 08:00 then is 06:00 UTC.
    expect(parseReminder('tomorrow 08:00 run', NOW, 'Europe/Berlin')?.dueAt).toBe(
      Date.UTC(2026, 2, 29, 6, 0),
    );
    expect(parseReminder('2026-04-01 07:15 dentist at 8', NOW, 'UTC')).toEqual({
      dueAt: Date.UTC(2026, 3, 1, 7, 15),
      text: 'dentist at 8',
    });
    expect(parseReminder('in 20m tea', NOW, 'UTC')?.dueAt).toBe(NOW + 20 * 60_000);
    expect(parseReminder('in 2h call', NOW, 'UTC')?.dueAt).toBe(NOW + 2 * 3_600_000);
    expect(parseReminder('in 3d plants', NOW, 'UTC')?.dueAt).toBe(NOW + 3 * 86_400_000);
  });

  it('GIVEN a reminder at a time the DST change skips or repeats THEN the same rule as briefings', () => {
    expect(parseReminder('tomorrow 02:30 gap', NOW, 'Europe/Berlin')?.dueAt).toBe(
      Date.UTC(2026, 2, 29, 1, 0),
    );
    expect(parseReminder('2026-10-25 02:30 twice', NOW, 'Europe/Berlin')?.dueAt).toBe(
      Date.UTC(2026, 9, 25, 0, 30),
    );
  });

  it('GIVEN no text, a bad time, a past or impossible date THEN undefined', () => {
    for (const bad of [
      '12:30',
      '25:00 x',
      'tomorrow',
      'in 0m x',
      'in 5y x',
      '2026-02-30 10:00 x',
      '2025-01-01 10:00 x',
      'soon x',
    ])
      expect(parseReminder(bad, NOW, 'UTC'), bad).toBeUndefined();
  });
});

describe('local time', () => {
  it('GIVEN a time skipped by the DST jump THEN the first minute after it; a repeated one THEN the first; local dates follow the zone', () => {
    const skipped = instantOf('2026-03-29', 2, 30, 'Europe/Berlin');
    expect(skipped).toBe(Date.UTC(2026, 2, 29, 1, 0)); // 03:00 summer time
    const twice = instantOf('2026-10-25', 2, 30, 'Europe/Berlin');
    expect(twice).toBe(Date.UTC(2026, 9, 25, 0, 30)); // the first 02:30 (summer time)
    expect(localDate(Date.UTC(2026, 0, 1, 23, 30), 'Asia/Tokyo')).toBe('2026-01-02');
    expect(localClock(Date.UTC(2026, 0, 1, 23, 5), 'Asia/Tokyo')).toBe('08:05');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('habitStreak', () => {
  it('GIVEN consecutive days ending today or yesterday THEN their count; a gap ends it', () => {
    expect(habitStreak(['2026-03-28', '2026-03-27', '2026-03-26'], '2026-03-28')).toBe(3);
    expect(habitStreak(['2026-03-27', '2026-03-26'], '2026-03-28')).toBe(2);
    expect(habitStreak(['2026-03-28', '2026-03-26'], '2026-03-28')).toBe(1);
    expect(habitStreak(['2026-03-25'], '2026-03-28')).toBe(0);
    expect(habitStreak(['2026-03-01', '2026-02-28'], '2026-03-01')).toBe(2);
  });
});
