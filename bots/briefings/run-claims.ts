// Claims in briefing_runs: one row per (person, local date), so exactly one process sends each morning's
// briefing. A process claims before it gathers and sends; a claim that is neither sent nor refreshed within
// the claim timeout (its process crashed, or the send failed) may be claimed again by any process.
import type { Db } from '../../store/index.js';

export interface BriefingRun {
  person: string;
  localDate: string;
  claimedBy: string;
  claimedAt: number;
  sentAt: number | null;
  failedAt: number | null;
  error: string | null;
}

interface Row {
  person: string;
  local_date: string;
  claimed_by: string;
  claimed_at: number;
  sent_at: number | null;
  failed_at: number | null;
  error: string | null;
}

const toRun = (r: Row): BriefingRun => ({
  person: r.person,
  localDate: r.local_date,
  claimedBy: r.claimed_by,
  claimedAt: r.claimed_at,
  sentAt: r.sent_at,
  failedAt: r.failed_at,
  error: r.error,
});

export class RunClaims {
  readonly #claim: (
    person: string,
    localDate: string,
    by: string,
    now: number,
    staleBefore: number,
  ) => boolean;
  readonly #get;
  readonly #markSent;
  readonly #markFailed;
  readonly #refresh;

  constructor(db: Db) {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO briefing_runs (person, local_date, claimed_by, claimed_at) VALUES (?, ?, ?, ?)`,
    );
    const takeOver = db.prepare(
      `UPDATE briefing_runs SET claimed_by = ?, claimed_at = ?, failed_at = NULL, error = NULL
       WHERE person = ? AND local_date = ? AND sent_at IS NULL AND claimed_at <= ?`,
    );
    // IMMEDIATE: the write lock is taken before reading, so two processes cannot both see the claim free.
    const claim = db.transaction(
      (person: string, localDate: string, by: string, now: number, staleBefore: number) => {
        if (insert.run(person, localDate, by, now).changes > 0) return true;
        return takeOver.run(by, now, person, localDate, staleBefore).changes > 0;
      },
    );
    this.#claim = (...args) => claim.immediate(...args);
    this.#get = db.prepare<[string, string], Row>(
      'SELECT * FROM briefing_runs WHERE person = ? AND local_date = ?',
    );
    this.#markSent = db.prepare(
      'UPDATE briefing_runs SET sent_at = ?, failed_at = NULL, error = NULL WHERE person = ? AND local_date = ? AND claimed_by = ?',
    );
    this.#refresh = db.prepare(
      'UPDATE briefing_runs SET claimed_at = ? WHERE person = ? AND local_date = ? AND claimed_by = ? AND sent_at IS NULL',
    );
    this.#markFailed = db.prepare(
      'UPDATE briefing_runs SET failed_at = ?, error = ? WHERE person = ? AND local_date = ? AND claimed_by = ? AND sent_at IS NULL',
    );
  }

  /**
   * Claims the run of (person, localDate) for `by`. True when this caller now owns it: the row was new, or an
   * earlier claim was never sent and is at least `timeoutMs` old.
   */
  claim(person: string, localDate: string, by: string, now: number, timeoutMs: number): boolean {
    return this.#claim(person, localDate, by, now, now - timeoutMs);
  }

  get(person: string, localDate: string): BriefingRun | undefined {
    const row = this.#get.get(person, localDate);
    return row && toRun(row);
  }

  /** Keeps a claim fresh while its send is slow (e.g. waiting out a rate limit). False when it was taken over. */
  refresh(person: string, localDate: string, by: string, now: number): boolean {
    return this.#refresh.run(now, person, localDate, by).changes > 0;
  }

  markSent(person: string, localDate: string, by: string, now: number): void {
    this.#markSent.run(now, person, localDate, by);
  }

  markFailed(person: string, localDate: string, by: string, now: number, error: string): void {
    this.#markFailed.run(now, error.slice(0, 500), person, localDate, by);
  }
}
