// BriefingService end to end below Signal: real SQLite files in a temp dir, node-cron as the trigger, and
// vitest's fake timers as the clock (node-cron reads `new Date()` and arms `setTimeout`, both faked), so a
// morning, a DST change, a restart and a second process run in milliseconds.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../bots/signal/commands/command.js';
import { UsageError } from '../../bots/signal/commands/command.js';
import { openDatabase } from '../../store/index.js';
import { BriefingHarness, briefingConfig } from '../support/briefing-harness.js';
import { tempDir } from '../support/test-fleet.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const PERSON = '6f1d2c3b-0000-4000-8000-000000000001';

let dir: ReturnType<typeof tempDir>;
let harness: BriefingHarness;

function useTime(iso: string): void {
  vi.useFakeTimers({
    now: new Date(iso),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

function commandContext(
  person = PERSON,
  entityId: string | undefined = 'sage',
): CommandContext & { replies: string[] } {
  const replies: string[] = [];
  return {
    person,
    name: 'Ana',
    channel: `dm:${entityId ?? 'sage'}:${person}`,
    entityId,
    isAdmin: false,
    now: Date.now(),
    replies,
    reply: async (text) => {
      replies.push(text);
    },
  };
}

beforeEach(() => {
  dir = tempDir('chorus-briefing-');
});

afterEach(async () => {
  await harness?.close();
  vi.useRealTimers();
  dir.remove();
});

describe('BriefingService with node-cron under fake timers', () => {
  it('GIVEN a person subscribes by command THEN exactly one briefing each morning, in their persona', async () => {
    useTime('2026-11-20T05:00:00Z'); // 06:00 in Berlin, a Friday
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    service.start();
    const context = commandContext(PERSON, 'captain');
    await service.command().run('subscribe 07:00 Europe/Berlin', context);
    expect(context.replies[0]).toMatch(
      /^Subscribed: Captain will brief you at 07:00 Europe\/Berlin \(daily\)/,
    );

    await vi.advanceTimersByTimeAsync(HOUR - SECOND);
    expect(harness.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(harness.sent).toHaveLength(1);
    expect(harness.sent[0]).toMatchObject({
      person: PERSON,
      entityId: 'captain',
      at: Date.parse('2026-11-20T06:00:00Z'),
    });
    expect(harness.sent[0]?.text).toContain('Captain here with your briefing for Friday, 20 November');
    expect(harness.sent[0]?.text).toContain('Weather: fine on 2026-11-20');

    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(harness.sent.map((s) => new Date(s.at).toISOString())).toEqual([
      '2026-11-20T06:00:00.000Z',
      '2026-11-21T06:00:00.000Z',
    ]);
  });

  it('GIVEN weekdays mon-fri THEN Saturday and Sunday are skipped', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    service.start();
    await service.command().run('subscribe 07:00 Europe/Berlin mon-fri', commandContext());
    await vi.advanceTimersByTimeAsync(3 * 24 * HOUR + 2 * HOUR);
    expect(harness.sent.map((s) => new Date(s.at).toISOString().slice(0, 10))).toEqual([
      '2026-11-20',
      '2026-11-23',
    ]);
  });

  it('GIVEN a restart mid-morning within the grace window THEN the missed briefing is sent once at start', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const first = harness.service('p1');
    first.start();
    await first.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    await first.stop(); // down at 06:30 local, before the briefing

    vi.setSystemTime(new Date('2026-11-20T07:10:00Z')); // back at 08:10 local: 70 minutes late
    const second = harness.service('p2');
    second.start();
    await second.idle();
    expect(harness.sent).toHaveLength(1);
    expect(harness.sent[0]).toMatchObject({ by: 'p2', at: Date.parse('2026-11-20T07:10:00Z') });

    // A third start the same morning sends nothing more.
    await second.stop();
    const third = harness.service('p3');
    third.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(harness.sent).toHaveLength(1);
  });

  it('GIVEN a restart after the grace window THEN the missed briefing is not sent, and tomorrow’s is', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig({ graceMinutes: 120 }));
    const first = harness.service('p1');
    first.start();
    await first.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    await first.stop();

    vi.setSystemTime(new Date('2026-11-20T08:00:00Z')); // 09:00 local: exactly 2 h late
    const second = harness.service('p2');
    second.start();
    await second.idle();
    expect(harness.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(22 * HOUR);
    expect(harness.sent.map((s) => new Date(s.at).toISOString())).toEqual(['2026-11-21T06:00:00.000Z']);
  });

  it('GIVEN two processes on the same database THEN one briefing, sent by one of them', async () => {
    useTime('2026-11-20T05:59:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const a = harness.service('p1');
    const b = harness.service('p2');
    a.start();
    b.start();
    await a.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    b.reschedule(); // the other process learns of it at its next schedule refresh; the sweep finds it anyway
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(harness.sent).toHaveLength(1);
  });

  it('GIVEN a send slower than the claim timeout THEN the claim is kept fresh and the other process does not send too', async () => {
    useTime('2026-11-20T05:59:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig({ claimTimeoutMinutes: 10 }));
    harness.sendDelayMs = 30 * MINUTE;
    const a = harness.service('p1');
    const b = harness.service('p2');
    a.start();
    b.start();
    await a.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    b.reschedule();
    await vi.advanceTimersByTimeAsync(HOUR + 30 * MINUTE);
    expect(harness.sent).toHaveLength(1);
  });

  it('GIVEN a send that fails THEN it is retried after the claim timeout, within the grace window', async () => {
    useTime('2026-11-20T05:59:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig({ claimTimeoutMinutes: 10 }));
    harness.failSends = 1;
    const service = harness.service('p1');
    service.start();
    await service.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(harness.sent).toHaveLength(0);
    expect(harness.logger.records.some((r) => r.message.startsWith('briefing not sent'))).toBe(true);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(harness.sent).toHaveLength(1);
    expect(harness.sent[0]?.at).toBe(Date.parse('2026-11-20T06:10:00Z')); // the first sweep after the timeout
  });

  it('GIVEN many subscribers due at once THEN sends are spaced by staggerSeconds', async () => {
    useTime('2026-11-20T05:59:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig({ staggerSeconds: 10 }));
    const service = harness.service('p1');
    service.start();
    for (let i = 0; i < 5; i++)
      await service.command().run('subscribe 07:00 Europe/Berlin', commandContext(`+4915100000${i}0`));
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    const offsets = harness.sent.map((s) => (s.at - Date.parse('2026-11-20T06:00:00Z')) / SECOND);
    expect(offsets).toEqual([0, 10, 20, 30, 40]);
  });

  it('GIVEN 02:30 in Berlin on the spring-forward day THEN one briefing at 03:00 CEST', async () => {
    useTime('2026-03-28T20:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    service.start();
    await service.command().run('subscribe 02:30 Europe/Berlin', commandContext());
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(harness.sent.map((s) => new Date(s.at).toISOString())).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('GIVEN 01:30 in New York on the fall-back day THEN one briefing, at the first 01:30', async () => {
    useTime('2026-10-31T20:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    service.start();
    await service.command().run('subscribe 01:30 America/New_York', commandContext());
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(harness.sent.map((s) => new Date(s.at).toISOString())).toEqual(['2026-11-01T05:30:00.000Z']);
  });

  it('GIVEN a subscriber in the config file THEN it is scheduled, wins over the command and shows in status', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(
      dir.path,
      briefingConfig({
        subscribers: [{ person: '+4915112345678', time: '06:30', timeZone: 'Europe/Berlin' }],
      }),
    );
    const service = harness.service('p1');
    service.start();
    const context = { ...commandContext('ab12cd34-0000-4000-8000-000000000009'), number: '+4915112345678' };
    await service.command().run('unsubscribe', context);
    expect(context.replies.at(-1)).toBe(
      'Your briefing is set in the config file; ask the operator to change it.',
    );
    await service.command().run('status', context);
    expect(context.replies.at(-1)).toMatch(
      /^Briefing at 06:30 Europe\/Berlin \(daily\) from sage; set in the config file; next: Friday, 20 November 06:30/,
    );
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(harness.sent).toEqual([expect.objectContaining({ person: '+4915112345678', entityId: 'sage' })]);
  });

  it('GIVEN a stored row with a bad zone or an unknown entity THEN it is skipped with a log line, others still go out', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    const db = openDatabase(join(dir.path, 'chorus.db'));
    const insert = db.prepare(
      `INSERT INTO briefing_subscriptions (person, entity_id, local_time, time_zone, created_at, updated_at)
       VALUES (?, ?, '07:00', ?, 0, 0)`,
    );
    insert.run('broken-zone', 'sage', 'Mars/Olympus');
    insert.run('gone-entity', 'nobody', 'Europe/Berlin');
    db.close();
    await service.command().run('subscribe 07:00 Europe/Berlin', commandContext());
    expect(() => service.start()).not.toThrow();
    await vi.advanceTimersByTimeAsync(HOUR + MINUTE);
    expect(harness.sent.map((s) => s.person)).toEqual([PERSON]);
    const warnings = harness.logger.records.filter((r) => r.level === 'warn').map((r) => r.message);
    expect(warnings).toContain('a briefing subscription cannot be scheduled; skipped');
    expect(warnings).toContain('a briefing subscription names an unknown or disabled entity; skipped');
  });

  it('GIVEN /brief now THEN a briefing at once, and the scheduled one still comes', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    service.start();
    const context = commandContext();
    await service.command().run('subscribe 07:00 Europe/Berlin', context);
    await service.command().run('now', context);
    expect(harness.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(HOUR + MINUTE);
    expect(harness.sent).toHaveLength(2);
  });

  it('GIVEN malformed commands THEN UsageError, and nothing is stored', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    const command = service.command();
    for (const args of [
      'subscribe',
      'subscribe 7am Europe/Berlin',
      'subscribe 07:00 Mars/Olympus',
      'subscribe 07:00 Berlin',
      'subscribe 07:00 Europe/Berlin someday',
      'subscribe 07:00 Europe/Berlin mon-fri extra',
      'unsubscribe now',
      'feed add ftp://127.0.0.1/x',
      'feed list http://127.0.0.1/x',
      'dance',
    ])
      await expect(command.run(args, commandContext()), args).rejects.toBeInstanceOf(UsageError);
    expect(service.status(PERSON)).toBeUndefined();
    expect(command.usage).toMatch(/^\/brief subscribe HH:MM Area\/City/);
  });

  it('GIVEN feed, calendar and location commands THEN the subscription keeps them', async () => {
    useTime('2026-11-20T05:00:00Z');
    harness = new BriefingHarness(dir.path, briefingConfig());
    const service = harness.service('p1');
    const command = service.command();
    const context = commandContext();
    await command.run('location Hamburg', context);
    expect(context.replies.at(-1)).toBe('Subscribe first: /brief subscribe 07:00 Europe/Berlin');
    await command.run('subscribe 7:15 Europe/Berlin sat,sun', context);
    await command.run('location Hamburg', context);
    await command.run('feed add http://127.0.0.1:9/rss.xml', context);
    await command.run('calendar http://127.0.0.1:9/cal.ics', context);
    expect(service.subscription(PERSON)).toMatchObject({
      time: '07:15',
      weekdays: 'sat,sun',
      location: { name: 'Hamburg' },
      feeds: ['http://127.0.0.1:9/rss.xml'],
      calendars: ['http://127.0.0.1:9/cal.ics'],
    });
    await command.run('feed remove http://127.0.0.1:9/rss.xml', context);
    await command.run('unsubscribe', context);
    expect(context.replies.at(-1)).toBe('Unsubscribed: no more briefings.');
    expect(service.subscription(PERSON)).toBeUndefined();
  });
});
