// The subscriber's own reminders and habits (tables of migration 4, written by the /remind and /habit
// commands): open reminders due by the end of today (overdue included) or without a date, and each habit
// with whether it was checked yesterday and its current streak.
import type { Db } from '../../../store/index.js';
import { addDays, localParts } from '../../../core/local-time.js';

const MAX_REMINDERS = 10;
const STREAK_LOOKBACK = 400;

export interface PersonalFacts {
  reminders: string[];
  habits: string[];
}

/** Consecutive checked days ending yesterday, or today when today is checked too. */
export function streak(checkedDates: ReadonlySet<string>, today: string): number {
  let day = checkedDates.has(today) ? today : addDays(today, -1);
  let count = 0;
  while (checkedDates.has(day)) {
    count++;
    day = addDays(day, -1);
  }
  return count;
}

export class PersonalSource {
  readonly #reminders;
  readonly #habits;
  readonly #checks;

  constructor(db: Db) {
    this.#reminders = db.prepare<[string, number], { text: string; due_at: number | null }>(
      `SELECT text, due_at FROM reminders WHERE person = ? AND done_at IS NULL AND (due_at IS NULL OR due_at < ?)
       ORDER BY due_at IS NULL, due_at, id LIMIT ${MAX_REMINDERS}`,
    );
    this.#habits = db.prepare<[string], { id: number; name: string }>(
      'SELECT id, name FROM habits WHERE person = ? ORDER BY name',
    );
    this.#checks = db.prepare<[number], { local_date: string }>(
      `SELECT local_date FROM habit_checks WHERE habit_id = ? ORDER BY local_date DESC LIMIT ${STREAK_LOOKBACK}`,
    );
  }

  /** Facts for `person` on local `today` in `zone`, whose day ends at `dayEnd`. */
  facts(person: string, today: string, zone: string, dayStart: number, dayEnd: number): PersonalFacts {
    const reminders = this.#reminders.all(person, dayEnd).map((r) => {
      if (r.due_at === null) return r.text;
      if (r.due_at < dayStart) return `${r.text} (overdue)`;
      const p = localParts(r.due_at, zone);
      return `${r.text} (${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')})`;
    });
    const yesterday = addDays(today, -1);
    const habits = this.#habits.all(person).map((h) => {
      const checked = new Set(this.#checks.all(h.id).map((c) => c.local_date));
      const days = streak(checked, today);
      const done = checked.has(yesterday) ? 'done yesterday' : 'not done yesterday';
      return days > 1 ? `${h.name}: ${done}, ${days}-day streak` : `${h.name}: ${done}`;
    });
    return { reminders, habits };
  }
}
