// Chat over Signal through the real fleet and the fake signal-cli-rest-api, in both receive modes: DMs answered
// by the right entity, group replies to the group's send id with the speaker's name, quotes, dedupe of
// redelivered envelopes (also across a websocket reconnect and a restart), long multibyte replies split below
// 2,000 bytes, typing indicators.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Generator } from '../../bots/generation/index.js';
import { memoryLogger } from '../../core/logger.js';
import type { FakeSignal, FakeSignalMode } from '../fakes/signal/index.js';
import type { Fleet } from '../../scripts/fleet.js';
import {
  ALICE,
  BRUNO,
  signalConfig,
  startCrewFake,
  startSignalFleet,
  waitReceiving,
} from '../support/signal-fleet.js';
import { echoGenerator, tempDir, waitFor } from '../support/test-fleet.js';

const LONG = 'Größe über Ärger: 🐳 schwimmt weiter. '.repeat(60); // ~2,300 characters, ~2,800 bytes

const longGenerator: Generator = {
  name: 'long',
  generate: async (req) =>
    req.message.text.includes('long')
      ? { text: LONG, source: 'llm', generator: 'long' }
      : echoGenerator.generate(req),
};

describe.each<FakeSignalMode>(['json-rpc', 'normal'])('Signal chat (%s mode)', (mode) => {
  let dir: ReturnType<typeof tempDir>;
  let fake: FakeSignal;
  let fleet: Fleet | undefined;

  beforeEach(async () => {
    dir = tempDir('chorus-signal-chat-');
    fake = await startCrewFake(mode);
  });

  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
    expect(fake.violations).toEqual([]);
    await fake.close();
    dir.remove();
  });

  async function start(generators: Generator[] = [echoGenerator]): Promise<Fleet> {
    fleet = await startSignalFleet(dir.path, signalConfig(fake), { generators });
    await waitReceiving(fleet);
    return fleet;
  }

  it('GIVEN a DM from a person THEN the default DM entity answers the person, with a typing indicator', async () => {
    await start();
    fake.incoming({ from: ALICE, text: 'hello there' });
    const [reply] = await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid);
    expect(reply?.body.message).toMatch(/^Ada answers #\d+$/);
    expect(reply?.body.number).toBe('+15550000001');
    await waitFor(
      () => fake.typing.map((t) => t.method),
      (m) => m.includes('PUT') && m.includes('DELETE'),
    );
    expect(fake.typing[0]?.body).toEqual({ recipient: ALICE.uuid });
  });

  it('GIVEN a group message naming Bob THEN Bob answers in the group, by its group.… id and with his name first', async () => {
    await start();
    fake.incoming({ from: ALICE, text: 'Bob, what do you think?', group: 'Crew' });
    const [reply] = await fake.waitForSent((s) => s.body.recipients?.[0]?.startsWith('group.'));
    expect(reply?.body.recipients).toEqual([fake.group('Crew').id]);
    expect(reply?.body.message).toMatch(/^Bob: Bob answers #\d+$/);
    // The group message is recent: the reply quotes it.
    expect(reply?.body.quote_author).toBe(ALICE.uuid);
  });

  it('GIVEN a group no entity lists THEN nothing is answered; GIVEN a quote of Ada’s reply in a group THEN Ada answers it', async () => {
    await start();
    fake.incoming({ from: ALICE, text: 'Ada, are you here?', group: 'Other' });
    fake.incoming({ from: ALICE, text: 'Ada?', group: 'Crew' });
    const [first] = await fake.waitForSent((s) => s.body.message?.startsWith('Ada: '));
    // A person quotes what they have seen: Ada's reply is in the channel's history by then.
    const replies = (fleet as Fleet).store.db.prepare(
      `SELECT COUNT(*) FROM messages WHERE platform_id LIKE 'reply:%'`,
    );
    await waitFor(
      () => replies.pluck().get() as number,
      (n) => n === 1,
    );
    fake.incoming({
      from: BRUNO,
      text: 'I agree with that',
      group: 'Crew',
      quote: { id: first?.timestamp, author: '+15550000001', authorNumber: '+15550000001', text: 'x' },
    });
    await fake.waitForSent((s) => s.body.message?.startsWith('Ada: '), { count: 2 });
    expect(fake.sent.filter((s) => s.body.message?.startsWith('Bob: '))).toEqual([]);
    expect(fake.sent.filter((s) => s.body.recipients?.[0] === fake.group('Other').id)).toEqual([]);
  });

  it('GIVEN the same envelope delivered twice, again after a reconnect and after a restart THEN it is answered once', async () => {
    await start();
    const timestamp = fake.incoming({ from: ALICE, text: 'only once please' });
    fake.incoming({ from: ALICE, text: 'only once please', timestamp });
    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid);
    if (mode === 'json-rpc') {
      fake.dropWebsockets();
      await fake.waitForWebsocket(1);
      await waitReceiving(fleet as Fleet);
      fake.incoming({ from: ALICE, text: 'only once please', timestamp });
    }
    await fleet?.stop();
    fleet = await startSignalFleet(dir.path, signalConfig(fake));
    await waitReceiving(fleet);
    fake.incoming({ from: ALICE, text: 'only once please', timestamp });
    // A fresh message after the duplicates proves they were all seen before it.
    fake.incoming({ from: ALICE, text: 'and now something new' });
    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid, { count: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sent.filter((s) => s.body.recipients?.[0] === ALICE.uuid)).toHaveLength(2);
  });

  it('GIVEN the server is down at start and again later THEN the platform retries, logs each transition once and answers once it is back', async () => {
    const logger = memoryLogger();
    fake.setDown(true);
    fleet = await startSignalFleet(dir.path, signalConfig(fake), { logger });
    await new Promise((r) => setTimeout(r, 300));
    fake.setDown(false);
    await waitReceiving(fleet);
    fake.incoming({ from: ALICE, text: 'you are back' });
    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid);
    fake.setDown(true, '503');
    await new Promise((r) => setTimeout(r, 300));
    fake.setDown(false);
    await waitFor(
      () =>
        logger.records.filter((r) => r.message.startsWith('signal-cli-rest-api is reachable again')).length,
      (n) => n >= (mode === 'normal' ? 2 : 1),
    );
    await waitReceiving(fleet);
    fake.incoming({ from: ALICE, text: 'and back again' });
    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid, { count: 2 });
    const downs = logger.records.filter((r) => r.message.startsWith('signal-cli-rest-api is unreachable'));
    // One line per outage of each caller (about at start; then the receive loop in polling mode), not per retry.
    expect(downs.length).toBe(mode === 'normal' ? 2 : 1);
  });

  it('GIVEN an edit of a stored message THEN its text is replaced (and retrained), not answered again; a deletion is not answered', async () => {
    const running = await start();
    const timestamp = fake.incoming({ from: ALICE, text: 'the whale sings at nigth' });
    await fake.waitForSent((s) => s.body.recipients?.[0] === ALICE.uuid);
    const envelope = (extra: Record<string, unknown>) => ({
      account: '+15550000001',
      envelope: {
        source: ALICE.number,
        sourceNumber: ALICE.number,
        sourceUuid: ALICE.uuid,
        sourceName: ALICE.name,
        sourceDevice: 1,
        timestamp: timestamp + 5000,
        serverReceivedTimestamp: timestamp + 5001,
        serverDeliveredTimestamp: timestamp + 5002,
        ...extra,
      },
    });
    fake.incomingRaw(
      envelope({
        editMessage: {
          targetSentTimestamp: timestamp,
          dataMessage: {
            timestamp: timestamp + 5000,
            message: 'the whale sings at night',
            expiresInSeconds: 0,
          },
        },
      }),
    );
    const stored = () => running.store.inbox.byPlatformId('signal', `${ALICE.uuid}:1:${timestamp}`)?.text;
    await waitFor(stored, (text) => text === 'the whale sings at night');
    fake.incomingRaw(
      envelope({
        dataMessage: {
          timestamp: timestamp + 6000,
          message: null,
          expiresInSeconds: 0,
          remoteDelete: { timestamp },
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sent.filter((s) => s.body.recipients?.[0] === ALICE.uuid)).toHaveLength(1);
  });

  it('GIVEN a long multibyte reply THEN it goes out in chunks below 2,000 UTF-8 bytes that add up to the reply', async () => {
    const running = await start([longGenerator]);
    fake.incoming({ from: ALICE, text: 'tell me something long' });
    const rows = await waitFor(
      () =>
        running.store.db
          .prepare(`SELECT text FROM outbox WHERE platform = 'signal' AND sent_at IS NOT NULL ORDER BY id`)
          .pluck()
          .all() as string[],
      (texts) => texts.length > 0 && running.store.outbox.counts().pending === 0,
    );
    const parts = fake.sent.map((s) => s.body.message as string);
    expect(parts.length).toBeGreaterThan(rows.length);
    const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
    expect(squash(parts.join(' '))).toBe(squash(rows.join(' ')));
    for (const part of parts) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThan(2000);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});

describe('Signal platform config', () => {
  it('GIVEN Signal enabled without a number THEN a clear error and the fleet runs without it; GIVEN disabled THEN not started', async () => {
    const dir = tempDir('chorus-signal-config-');
    const fake = await startCrewFake('json-rpc');
    try {
      const logger = memoryLogger();
      const config = signalConfig(fake);
      const platforms = config['platforms'] as { signal: Record<string, unknown> };
      delete platforms.signal['number'];
      let fleet = await startSignalFleet(dir.path, config, { logger });
      expect(fleet.platforms).toEqual([]);
      const error = logger.records.find((r) => r.level === 'error');
      expect(error?.fields['error']).toContain('platforms.signal.number is required');
      await fleet.stop();
      platforms.signal['enabled'] = false;
      fleet = await startSignalFleet(dir.path, config);
      expect(fleet.platforms).toEqual([]);
      await fleet.stop();
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
      dir.remove();
    }
  });
});
