// The outbox dispatcher and a sender that pauses itself (Signal's rate limit): its rows stay pending with no
// attempt counted, and go out once it is no longer paused.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OutboxDispatcher, type PlatformSender } from '../../bots/engine/outbox-dispatcher.js';
import { ChorusStore, openDatabase } from '../../store/index.js';
import { queueReplies } from '../support/outbox-rows.js';

describe('OutboxDispatcher with a paused sender', () => {
  it('GIVEN a sender that pauses after a failure THEN no attempt is burned and rows go out after the pause', async () => {
    const store = new ChorusStore(openDatabase(':memory:'));
    const clock = new FakeClock(0);
    queueReplies(store, 'signal', 'g', ['part 0', 'part 1', 'part 2']);
    let paused = false;
    const tried: string[] = [];
    const sender: PlatformSender = {
      paused: () => paused,
      send: async (row) => {
        tried.push(row.text);
        if (tried.length === 1) {
          paused = true;
          throw new Error('rate limited');
        }
        return `ts-${row.part}`;
      },
    };
    const dispatcher = new OutboxDispatcher({
      outbox: store.outbox,
      senders: new Map([['signal', sender]]),
      clock,
      logger: silentLogger,
      maxAttempts: 1,
      retryIntervalMs: 10,
    });
    dispatcher.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(tried).toEqual(['part 0']);
    expect(store.outbox.counts()).toMatchObject({ pending: 3, failed: 0 });
    paused = false;
    await new Promise((r) => setTimeout(r, 60));
    await dispatcher.stop();
    expect(tried).toEqual(['part 0', 'part 0', 'part 1', 'part 2']);
    expect(store.outbox.counts()).toMatchObject({ pending: 0, sent: 3, failed: 0 });
    await store.close();
  });
});
