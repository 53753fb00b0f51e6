// People's habits (migration 4): named per person, checked at most once per local date.
import type { Db } from './database.js';

export interface Habit {
  id: number;
  name: string;
  createdAt: number;
}

export class HabitRepository {
  readonly #add;
  readonly #find;
  readonly #list;
  readonly #remove;
  readonly #check;
  readonly #dates;

  constructor(db: Db) {
    this.#add = db.prepare(
      'INSERT INTO habits (person, name, created_at) VALUES (?, ?, ?) ON CONFLICT (person, name) DO NOTHING',
    );
    this.#find = db.prepare(
      'SELECT id, name, created_at AS createdAt FROM habits WHERE person = ? AND name = ? COLLATE NOCASE',
    );
    this.#list = db.prepare(
      'SELECT id, name, created_at AS createdAt FROM habits WHERE person = ? ORDER BY name COLLATE NOCASE',
    );
    this.#remove = db.prepare('DELETE FROM habits WHERE id = ?');
    this.#check = db.prepare(
      'INSERT INTO habit_checks (habit_id, local_date) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#dates = db
      .prepare('SELECT local_date FROM habit_checks WHERE habit_id = ? ORDER BY local_date DESC LIMIT ?')
      .pluck();
  }

  /** Adds a habit; false when the person already has one by that name. */
  add(person: string, name: string, at: number): boolean {
    return this.#add.run(person, name, at).changes === 1;
  }

  /** A person's habit by name, ignoring case. */
  find(person: string, name: string): Habit | undefined {
    return this.#find.get(person, name) as Habit | undefined;
  }

  list(person: string): Habit[] {
    return this.#list.all(person) as Habit[];
  }

  /** Removes a habit and its checks. */
  remove(habitId: number): void {
    this.#remove.run(habitId);
  }

  /** Checks a habit for a local date (YYYY-MM-DD); false when it was already checked that day. */
  check(habitId: number, localDate: string): boolean {
    return this.#check.run(habitId, localDate).changes === 1;
  }

  /** The latest checked dates, newest first. */
  checkedDates(habitId: number, limit = 400): string[] {
    return this.#dates.all(habitId, limit) as string[];
  }
}
