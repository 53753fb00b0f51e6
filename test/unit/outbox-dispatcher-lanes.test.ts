// The outbox dispatcher drains each platform as a lane of its own: a platform whose send waits (a Discord 429,
// a slow server) holds up no other platform's replies, and each platform's rows still go out in order.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OutboxDispatcher, type PlatformSender } from '../../bots/engine/outbox-dispatcher.js';
import { ChorusStore, openDatabase } from '../../store/index.js';
import { queueReplies } from '../support/outbox-rows.js';

describe('OutboxDispatcher lanes', () => {
  it('GIVEN one platform stuck in a send THEN another platform’s replies still go out, in order', async () => {
    const store = new ChorusStore(openDatabase(':memory:'));
    queueReplies(store, 'discord', 'c', ['d0', 'd1']);
    queueReplies(store, 'signal', 'c', ['s0', 's1', 's2']);
    let release = () => undefined as void;
    const discordSent: string[] = [];
    const discord: PlatformSender = {
      send: async (row) => {
        if (row.part === 0) await new Promise<void>((r) => (release = r));
        discordSent.push(row.text);
        return row.text;
      },
    };
    const signalSent: string[] = [];
    const signal: PlatformSender = {
      send: async (row) => {
        signalSent.push(row.text);
        return row.text;
      },
    };
    const dispatcher = new OutboxDispatcher({
      outbox: store.outbox,
      senders: new Map([
        ['discord', discord],
        ['signal', signal],
      ]),
      clock: new FakeClock(0),
      logger: silentLogger,
      retryIntervalMs: 10,
    });
    dispatcher.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(signalSent).toEqual(['s0', 's1', 's2']);
    expect(discordSent).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 50));
    await dispatcher.stop();
    expect(discordSent).toEqual(['d0', 'd1']);
    expect(store.outbox.counts()).toMatchObject({ pending: 0, sent: 5 });
    await store.close();
  });
});
