// Slash commands over Signal through the fleet and the fake (polling mode), with an injected clock: /help per
// sender, /remind (sent once at its time, in the person's briefing time zone), /habit with streaks, /persona,
// admin-only /admin, one-line usage for malformed commands, a pointer for unknown ones, no double answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import type { FakeSignal } from '../fakes/signal/index.js';
import type { Fleet } from '../../scripts/fleet.js';
import {
  ADMIN,
  ALICE,
  BRUNO,
  signalConfig,
  startCrewFake,
  startSignalFleet,
  waitReceiving,
} from '../support/signal-fleet.js';
import { tempDir } from '../support/test-fleet.js';

type Person = { uuid: string; number?: string; name?: string };

describe('Signal commands', () => {
  const dir = tempDir('chorus-signal-commands-');
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 8, 0));
  let fake: FakeSignal;
  let fleet: Fleet;

  beforeAll(async () => {
    fake = await startCrewFake('normal');
    fleet = await startSignalFleet(dir.path, signalConfig(fake), { clock });
    await waitReceiving(fleet);
  });

  afterAll(async () => {
    await fleet.stop();
    expect(fake.violations).toEqual([]);
    await fake.close();
    dir.remove();
  });

  const to = (person: Person) => (s: { body: { recipients?: string[] } }) =>
    s.body.recipients?.[0] === person.uuid;

  /** Sends a command and resolves to the next message the person receives. */
  async function ask(person: Person, text: string): Promise<string> {
    const before = fake.sent.filter(to(person)).length;
    fake.incoming({ from: person, text });
    const sent = await fake.waitForSent(to(person), { count: before + 1 });
    return sent[before]?.body.message as string;
  }

  const settle = () => new Promise((r) => setTimeout(r, 200));

  it('GIVEN /help THEN the commands the sender may use, one line each (admins also see /admin)', async () => {
    const help = await ask(ALICE, '/help');
    expect(help).toContain('/remind');
    expect(help).toContain('/habit add NAME');
    expect(help).toContain('/persona');
    expect(help).not.toContain('/admin');
    expect(await ask(ADMIN, '/help')).toContain('/admin status');
  });

  it('GIVEN a malformed or unknown command THEN a one-line usage or pointer', async () => {
    const usage = await ask(ALICE, '/remind tomorrow');
    expect(usage).toMatch(/^Usage: \/remind /);
    expect(usage).not.toContain('\n');
    expect(await ask(ALICE, '/habit juggle')).toBe('Usage: /habit add NAME | done NAME | list | remove NAME');
    expect(await ask(ALICE, '/frobnicate now')).toBe('Unknown command /frobnicate. Send /help for the list.');
  });

  it('GIVEN /admin from a number not in admins.signal THEN it is refused; from an admin THEN it runs', async () => {
    expect(await ask(ALICE, '/admin status')).toBe('/admin is for admins only.');
    expect(await ask(BRUNO, '/admin entity disable ada')).toBe('/admin is for admins only.');
    expect(fleet.roster.get('ada')?.enabled).toBe(true);
    expect(await ask(ADMIN, '/admin status')).toMatch(/^Signal: normal mode/);
    expect(await ask(ADMIN, '/admin entity disable bob')).toBe('Entity bob disabled.');
    expect(fleet.roster.get('bob')?.enabled).toBe(false);
    expect(await ask(ADMIN, '/admin entity enable bob')).toBe('Entity bob enabled.');
  });

  it('GIVEN /remind HH:MM THEN the reminder is sent once, at its time; list and done work', async () => {
    expect(await ask(ALICE, '/remind 08:30 stretch your legs')).toBe(
      'Reminder #1 set for 2026-01-05 08:30 (UTC): stretch your legs',
    );
    clock.advance(29 * 60_000);
    await settle();
    expect(fake.sent.filter((s) => s.body.message?.startsWith('⏰'))).toEqual([]);
    clock.advance(2 * 60_000);
    const [reminder] = await fake.waitForSent((s) => s.body.message === '⏰ Reminder: stretch your legs');
    expect(reminder?.body.recipients).toEqual([ALICE.uuid]);
    await settle();
    expect(fake.sent.filter((s) => s.body.message?.startsWith('⏰'))).toHaveLength(1);
    expect(await ask(ALICE, '/remind list')).toContain('#1 2026-01-05 08:30 (sent) — stretch your legs');
    expect(await ask(ALICE, '/remind done 1')).toBe('Reminder #1 done.');
    expect(await ask(ALICE, '/remind list')).toBe('No open reminders.');
  });

  it('GIVEN a person with a briefing time zone THEN /remind reads times in that zone', async () => {
    fleet.store.db
      .prepare(
        `INSERT INTO briefing_subscriptions (person, entity_id, local_time, time_zone, created_at, updated_at)
         VALUES (?, 'ada', '07:00', 'Europe/Berlin', 0, 0)`,
      )
      .run(BRUNO.uuid);
    const now = clock.now();
    const answer = await ask(BRUNO, '/remind 23:45 call home');
    expect(answer).toMatch(/^Reminder #\d+ set for 2026-01-05 23:45 \(Europe\/Berlin\): call home$/);
    const due = fleet.store.db
      .prepare(`SELECT due_at FROM reminders WHERE person = ?`)
      .pluck()
      .get(BRUNO.uuid);
    expect(due).toBe(Date.UTC(2026, 0, 5, 22, 45));
    expect(now).toBeLessThan(due as number);
  });

  it('GIVEN /habit add, done on two days THEN list shows the streak', async () => {
    expect(await ask(ALICE, '/habit add Run')).toBe('Tracking "Run". Check it off with /habit done Run.');
    expect(await ask(ALICE, '/habit done run')).toBe('Done for today: "Run", streak 1 day.');
    expect(await ask(ALICE, '/habit done run')).toBe('Already done for today: "Run", streak 1 day.');
    clock.advance(86_400_000);
    expect(await ask(ALICE, '/habit list')).toBe('· Run: streak 1');
    expect(await ask(ALICE, '/habit done Run')).toBe('Done for today: "Run", streak 2 days.');
    expect(await ask(ALICE, '/habit list')).toBe('✓ Run: streak 2');
    expect(await ask(ALICE, '/habit remove run')).toBe('Stopped tracking "Run".');
    expect(await ask(ALICE, '/habit list')).toBe('No habits yet. Add one with /habit add NAME.');
  });

  it('GIVEN /persona THEN it names who answers DMs and refuses an entity without Signal DMs', async () => {
    expect(await ask(ALICE, '/persona')).toBe('You are talking with Ada. Available: Ada.');
    expect(await ask(ALICE, '/persona Bob')).toBe('No persona "Bob". Available: Ada.');
  });

  it('GIVEN the same command envelope twice THEN it is answered once', async () => {
    const before = fake.sent.filter(to(ALICE)).length;
    const timestamp = fake.incoming({ from: ALICE, text: '/persona' });
    fake.incoming({ from: ALICE, text: '/persona', timestamp });
    await fake.waitForSent(to(ALICE), { count: before + 1 });
    await settle();
    expect(fake.sent.filter(to(ALICE))).toHaveLength(before + 1);
  });
});
