// People's reminders (migration 4): set with /remind, sent once when due, listed and marked done.
import type { Db } from './database.js';

export interface Reminder {
  id: number;
  person: string;
  text: string;
  /** Milliseconds since the epoch; null for a reminder without a time (a to-do). */
  dueAt: number | null;
  createdAt: number;
  notifiedAt: number | null;
  doneAt: number | null;
}

interface Row {
  id: number;
  person: string;
  text: string;
  due_at: number | null;
  created_at: number;
  notified_at: number | null;
  done_at: number | null;
}

const toReminder = (r: Row): Reminder => ({
  id: r.id,
  person: r.person,
  text: r.text,
  dueAt: r.due_at,
  createdAt: r.created_at,
  notifiedAt: r.notified_at,
  doneAt: r.done_at,
});

export class ReminderRepository {
  readonly #add;
  readonly #open;
  readonly #due;
  readonly #claim;
  readonly #release;
  readonly #done;

  constructor(db: Db) {
    this.#add = db.prepare('INSERT INTO reminders (person, text, due_at, created_at) VALUES (?, ?, ?, ?)');
    this.#open = db.prepare(
      'SELECT * FROM reminders WHERE person = ? AND done_at IS NULL ORDER BY due_at IS NULL, due_at, id',
    );
    this.#due = db.prepare(
      `SELECT * FROM reminders WHERE due_at <= ? AND done_at IS NULL AND notified_at IS NULL
       ORDER BY due_at, id LIMIT ?`,
    );
    this.#claim = db.prepare('UPDATE reminders SET notified_at = ? WHERE id = ? AND notified_at IS NULL');
    this.#release = db.prepare('UPDATE reminders SET notified_at = NULL WHERE id = ? AND notified_at = ?');
    this.#done = db.prepare(
      'UPDATE reminders SET done_at = ? WHERE id = ? AND person = ? AND done_at IS NULL',
    );
  }

  add(person: string, text: string, dueAt: number | null, at: number): Reminder {
    const id = Number(this.#add.run(person, text, dueAt, at).lastInsertRowid);
    return { id, person, text, dueAt, createdAt: at, notifiedAt: null, doneAt: null };
  }

  /** A person's reminders not marked done, soonest first (those without a time last). */
  open(person: string): Reminder[] {
    return (this.#open.all(person) as Row[]).map(toReminder);
  }

  /** Reminders due by `now` and not sent yet, oldest first. */
  due(now: number, limit = 100): Reminder[] {
    return (this.#due.all(now, limit) as Row[]).map(toReminder);
  }

  /** Claims a due reminder for sending; false when something else already did. */
  claim(id: number, at: number): boolean {
    return this.#claim.run(at, id).changes === 1;
  }

  /** Gives a claim back after a failed send, so a later tick retries it. */
  release(id: number, claimedAt: number): void {
    this.#release.run(id, claimedAt);
  }

  /** Marks one of the person's reminders done; false when there is no such open reminder. */
  markDone(person: string, id: number, at: number): boolean {
    return this.#done.run(at, id, person).changes === 1;
  }
}
