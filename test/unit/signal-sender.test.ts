// The Signal sender's repeat safety and shape: a row resent after a failure part-way skips the chunks Signal
// already accepted, the reply joins the inbox once, group replies carry the speaker's name, and a DM reply
// quotes only when the person wrote again since.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { dmChannel } from '../../core/message.js';
import { validateConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';
import { SignalError, toGroupSendId, type OutgoingMessage } from '../../bots/signal/client/index.js';
import { splitUtf8 } from '../../bots/signal/byte-split.js';
import { SendGate } from '../../bots/signal/send-gate.js';
import { SignalOutbound } from '../../bots/signal/signal-outbound.js';
import { recipientOf, SignalSender } from '../../bots/signal/signal-sender.js';
import { ChorusStore, openDatabase, type OutboxRow } from '../../store/index.js';
import { SignalStateRepository } from '../../store/signal-state-repository.js';

const GROUP = 'mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=';
const PERSON = 'b73a0708-0000-4000-8000-000000000001';

function setup() {
  const { config } = validateConfig(
    {
      entities: [
        { id: 'ada', username: 'Ada', platforms: { signal: { groups: [GROUP], dms: true } } },
        { id: 'bob', username: 'Bob', platforms: { signal: { groups: [GROUP] } } },
      ],
    },
    'test.json',
    {},
  );
  const clock = new FakeClock(1_000_000);
  const store = new ChorusStore(openDatabase(':memory:'));
  const state = new SignalStateRepository(store.db);
  const gate = new SendGate({ clock });
  const calls: OutgoingMessage[] = [];
  const failAt = new Set<number>();
  const client = {
    send: async (m: OutgoingMessage) => {
      calls.push(m);
      if (failAt.delete(calls.length)) throw new SignalError('network', 'connection reset');
      return { timestamp: 5000 + calls.length };
    },
  };
  const outbound = new SignalOutbound({
    client,
    gate,
    admins: [],
    logger: silentLogger,
    signal: new AbortController().signal,
  });
  let wakes = 0;
  const sender = new SignalSender({
    outbound,
    gate,
    inbox: store.inbox,
    state,
    roster: new EntityRoster(config.entities),
    clock,
    logger: silentLogger,
    ownNumber: '+15550000001',
    wakeEngine: () => void wakes++,
  });
  const human = (channel: string, text: string, ts: number) =>
    store.inbox.insert({
      platform: 'signal',
      channel,
      platformId: `${PERSON}:1:${ts}`,
      author: 'Alice',
      authorId: PERSON,
      isBot: false,
      mentions: [],
      text,
      createdAt: clock.now(),
    }).id;
  const row = (messageId: number, channel: string, text: string, id = 1): OutboxRow => ({
    id,
    messageId,
    entityId: 'ada',
    part: 0,
    platform: 'signal',
    channel,
    text,
    source: 'llm',
    createdAt: clock.now(),
    attempts: 0,
  });
  return { store, state, calls, failAt, sender, human, row, wakes: () => wakes };
}

describe('SignalSender', () => {
  it('GIVEN a send failing on the second chunk THEN the resend sends only the chunks not yet accepted, and the reply is stored once', async () => {
    const { store, calls, failAt, sender, human, row, wakes } = setup();
    const channel = dmChannel('ada', PERSON);
    const id = human(channel, 'tell me', 42);
    const text = `${'Größe '.repeat(400)}. ${'Ärger '.repeat(400)}.`; // about 6,000 bytes
    const chunks = splitUtf8(text);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    failAt.add(2);
    await expect(sender.send(row(id, channel, text))).rejects.toThrow('connection reset');
    expect(calls).toHaveLength(2);
    const platformId = await sender.send(row(id, channel, text));
    const bodies = calls.map((c) => c.message);
    expect(bodies).toEqual([chunks[0], chunks[1], ...chunks.slice(1)]); // chunk 2 failed once, then the rest
    expect(bodies[1]).toBe(bodies[2]);
    expect(platformId).toBe('5001');
    for (const b of bodies) expect(Buffer.byteLength(b)).toBeLessThan(2000);
    await sender.send(row(id, channel, text)); // a third time: nothing left to send
    expect(calls).toHaveLength(chunks.length + 1);
    expect(store.inbox.latest('signal', channel, 10).filter((m) => m.isBot)).toHaveLength(1);
    expect(wakes()).toBe(1);
    expect(calls[0]?.recipients).toEqual([PERSON]);
    expect(calls[0]?.quote).toBeUndefined(); // a DM answered right away is not quoted
  });

  it('GIVEN a group with two entities THEN the reply starts with the name and quotes the recent message', async () => {
    const { calls, sender, human, row } = setup();
    const id = human(GROUP, 'Ada?', 77);
    await sender.send(row(id, GROUP, 'Here.'));
    expect(calls[0]).toEqual({
      recipients: [toGroupSendId(GROUP)],
      message: 'Ada: Here.',
      quote: { timestamp: 77, author: PERSON, text: 'Ada?' },
    });
  });

  it('GIVEN a DM where the person wrote again THEN the reply quotes the message it answers', async () => {
    const { calls, sender, human, row } = setup();
    const channel = dmChannel('ada', PERSON);
    const first = human(channel, 'first question', 10);
    human(channel, 'and another thing', 11);
    await sender.send(row(first, channel, 'About the first:'));
    expect(calls[0]?.quote).toEqual({ timestamp: 10, author: PERSON, text: 'first question' });
  });

  it('GIVEN channels THEN the recipient is the DM person or the group send id', () => {
    expect(recipientOf(dmChannel('ada', '+15550000101'))).toBe('+15550000101');
    expect(recipientOf(GROUP)).toBe(toGroupSendId(GROUP));
    expect(() => recipientOf('dm:ada:')).toThrow('names no person');
  });
});
