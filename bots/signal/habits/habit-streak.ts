// A habit's streak: consecutive local days checked, ending today, or yesterday while today is still open.
import { addDays } from '../../../core/local-time.js';

/** `dates` are YYYY-MM-DD local dates (any order); `today` is the person's local date. */
export function habitStreak(dates: Iterable<string>, today: string): number {
  const checked = new Set(dates);
  let day = checked.has(today) ? today : addDays(today, -1);
  let streak = 0;
  while (checked.has(day)) {
    streak += 1;
    day = addDays(day, -1);
  }
  return streak;
}
