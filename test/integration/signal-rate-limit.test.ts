// Signal's rate limit (the captcha challenge) through the fleet and the fake: every send pauses, rows stay
// pending without burning the dispatcher's attempts, the admins are told once per episode after the pause,
// and an admin's `/admin challenge TOKEN CAPTCHA` lifts it at once. The sends are counted: no storm.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeSignal } from '../fakes/signal/index.js';
import type { Fleet } from '../../scripts/fleet.js';
import {
  ADMIN,
  ALICE,
  sendRequests,
  signalConfig,
  startCrewFake,
  startSignalFleet,
  waitReceiving,
} from '../support/signal-fleet.js';
import { tempDir, waitFor } from '../support/test-fleet.js';

describe('Signal rate limits', () => {
  let dir: ReturnType<typeof tempDir>;
  let fake: FakeSignal;
  let fleet: Fleet | undefined;

  beforeEach(() => {
    dir = tempDir('chorus-signal-limit-');
  });

  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
    expect(fake.violations).toEqual([]);
    await fake.close();
    dir.remove();
  });

  const outboxRows = (f: Fleet) =>
    f.store.db
      .prepare(`SELECT attempts, sent_at, failed_at FROM outbox WHERE platform = 'signal' ORDER BY id`)
      .all() as { attempts: number; sent_at: number | null; failed_at: number | null }[];

  it('GIVEN a rate limit (json-rpc 429) THEN all sends pause, the admins are told once after the pause, and the held replies follow', async () => {
    fake = await startCrewFake('json-rpc');
    fleet = await startSignalFleet(dir.path, signalConfig(fake), {
      platform: { gate: { initialBackoffMs: 600, maxBackoffMs: 600 } },
    });
    await waitReceiving(fleet);
    fake.rateLimitSends(1);
    fake.incoming({ from: ALICE, text: 'first' });
    await waitFor(
      () => sendRequests(fake).length,
      (n) => n === 1,
    );
    expect(sendRequests(fake)[0]?.status).toBe(429);
    fake.incoming({ from: ALICE, text: 'second' });
    fake.incoming({ from: ALICE, text: 'third' });
    // All three replies are waiting; none is sent (nor refused again) while the gate is closed.
    await waitFor(
      () => outboxRows(fleet as Fleet).length,
      (n) => n === 3,
    );
    expect(sendRequests(fake)).toHaveLength(1);
    expect(fleet.platforms[0]?.status?.()['pausedUntil']).not.toBeNull();

    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid, { count: 3 });
    const reports = fake.sent.filter((s) => s.body.recipients?.includes(ADMIN.number));
    expect(reports).toHaveLength(1);
    expect(reports[0]?.body.message).toContain('/admin challenge fake-challenge-1 <captcha>');
    // The report went first (it probes whether the limit is over), then the three replies: five sends in all.
    expect(fake.sent[0]?.body.recipients).toEqual([ADMIN.number]);
    await new Promise((r) => setTimeout(r, 150));
    expect(sendRequests(fake)).toHaveLength(5);
    expect(
      outboxRows(fleet).every((r) => r.attempts === 0 && r.sent_at !== null && r.failed_at === null),
    ).toBe(true);
  });

  it('GIVEN a rate limit (normal-mode captcha text, wait 86400 s) THEN `/admin challenge` from an admin lifts it at once; a non-admin is refused', async () => {
    fake = await startCrewFake('normal');
    fleet = await startSignalFleet(dir.path, signalConfig(fake), {
      platform: { gate: { initialBackoffMs: 3_600_000, maxBackoffMs: 3_600_000 } },
    });
    await waitReceiving(fleet);
    fake.rateLimitSends(1);
    fake.incoming({ from: ALICE, text: 'are you there?' });
    await waitFor(
      () => sendRequests(fake).length,
      (n) => n === 1,
    );
    expect(sendRequests(fake)[0]?.status).toBe(400);

    fake.incoming({ from: ALICE, text: '/admin challenge fake-challenge-1 signalcaptcha://alice' });
    fake.incoming({ from: ADMIN, text: '/admin challenge fake-challenge-1 signalcaptcha://solved' });
    await fake.waitForSent((s) => s.body.message === 'Challenge accepted; Signal sends resume.');
    expect(fake.challenges).toEqual([
      { challenge_token: 'fake-challenge-1', captcha: 'signalcaptcha://solved' },
    ]);
    const [reply] = await fake.waitForSent((s) => /^Ada answers/.test(s.body.message ?? ''));
    expect(reply?.body.recipients).toEqual([ALICE.uuid]);
    const [refusal] = await fake.waitForSent((s) => s.body.message === '/admin is for admins only.');
    expect(refusal?.body.recipients).toEqual([ALICE.uuid]);
    // Solved by an admin: no after-the-pause report. One refused send, then the three answers.
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.sent.filter((s) => s.body.message?.includes('rate-limited'))).toEqual([]);
    expect(sendRequests(fake)).toHaveLength(4);
    expect(outboxRows(fleet)).toEqual([expect.objectContaining({ attempts: 0, failed_at: null })]);
  });
});
