// Run claims in briefing_runs: two connections to one SQLite file (two processes) get one claim per person
// and local date; an unsent claim older than the timeout can be taken over; a sent one never.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunClaims } from '../../bots/briefings/run-claims.js';
import { openDatabase, type Db } from '../../store/index.js';
import { tempDir } from '../support/test-fleet.js';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 20, 6, 0);
let dir: ReturnType<typeof tempDir>;
let dbs: Db[];

function connection(): RunClaims {
  const db = openDatabase(join(dir.path, 'chorus.db'));
  dbs.push(db);
  return new RunClaims(db);
}

beforeEach(() => {
  dir = tempDir('chorus-claims-');
  dbs = [];
});
afterEach(() => {
  for (const db of dbs) db.close();
  dir.remove();
});

describe('RunClaims', () => {
  it('GIVEN two processes claiming the same morning THEN only the first gets it', () => {
    const a = connection();
    const b = connection();
    expect(a.claim('ana', '2026-11-20', 'p1', T, 10 * MINUTE)).toBe(true);
    expect(b.claim('ana', '2026-11-20', 'p2', T, 10 * MINUTE)).toBe(false);
    expect(b.claim('ana', '2026-11-21', 'p2', T, 10 * MINUTE)).toBe(true);
    expect(a.claim('bob', '2026-11-20', 'p1', T, 10 * MINUTE)).toBe(true);
  });

  it('GIVEN an unsent claim older than the timeout THEN another process takes it over', () => {
    const a = connection();
    const b = connection();
    a.claim('ana', '2026-11-20', 'p1', T, 10 * MINUTE);
    expect(b.claim('ana', '2026-11-20', 'p2', T + 9 * MINUTE, 10 * MINUTE)).toBe(false);
    expect(b.claim('ana', '2026-11-20', 'p2', T + 10 * MINUTE, 10 * MINUTE)).toBe(true);
    expect(a.get('ana', '2026-11-20')).toMatchObject({ claimedBy: 'p2', claimedAt: T + 10 * MINUTE });
    // The crashed owner's late report does not overwrite the new owner's run.
    a.markSent('ana', '2026-11-20', 'p1', T + 11 * MINUTE);
    expect(a.get('ana', '2026-11-20')?.sentAt).toBeNull();
  });

  it('GIVEN a refreshed claim THEN it is not stale; GIVEN a taken-over claim THEN refresh says so', () => {
    const a = connection();
    const b = connection();
    a.claim('ana', '2026-11-20', 'p1', T, 10 * MINUTE);
    expect(a.refresh('ana', '2026-11-20', 'p1', T + 8 * MINUTE)).toBe(true);
    expect(b.claim('ana', '2026-11-20', 'p2', T + 12 * MINUTE, 10 * MINUTE)).toBe(false);
    expect(b.claim('ana', '2026-11-20', 'p2', T + 18 * MINUTE, 10 * MINUTE)).toBe(true);
    expect(a.refresh('ana', '2026-11-20', 'p1', T + 19 * MINUTE)).toBe(false);
  });

  it('GIVEN a sent run THEN nobody claims it again, however late', () => {
    const a = connection();
    a.claim('ana', '2026-11-20', 'p1', T, 10 * MINUTE);
    a.markSent('ana', '2026-11-20', 'p1', T + 1000);
    expect(connection().claim('ana', '2026-11-20', 'p2', T + 24 * 60 * MINUTE, 10 * MINUTE)).toBe(false);
    expect(a.get('ana', '2026-11-20')).toMatchObject({ sentAt: T + 1000, failedAt: null });
  });

  it('GIVEN a failed send THEN the error is kept and the claim is free again after the timeout', () => {
    const a = connection();
    a.claim('ana', '2026-11-20', 'p1', T, 10 * MINUTE);
    a.markFailed('ana', '2026-11-20', 'p1', T + 1000, 'rate limited');
    expect(a.get('ana', '2026-11-20')).toMatchObject({
      failedAt: T + 1000,
      error: 'rate limited',
      sentAt: null,
    });
    expect(a.claim('ana', '2026-11-20', 'p1', T + 5 * MINUTE, 10 * MINUTE)).toBe(false);
    expect(a.claim('ana', '2026-11-20', 'p1', T + 10 * MINUTE, 10 * MINUTE)).toBe(true);
    expect(a.get('ana', '2026-11-20')).toMatchObject({ failedAt: null, error: null });
  });
});
