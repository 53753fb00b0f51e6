// SignalClient and SignalReceiver against the fake signal-cli-rest-api in each mode: about, polling and websocket
// receive, both send response shapes, typing, reactions, groups, rate limits in both styles, timeouts, reconnects.
// Every test ends by checking that the client's requests conformed to the swagger (`violations` empty).
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../core/logger.js';
import {
  parseIncoming,
  SignalClient,
  SignalError,
  SignalReceiver,
  type SignalReceiverOptions,
} from '../../bots/signal/client/index.js';
import { startFakeSignal, type FakeSignal, type FakeSignalOptions } from '../fakes/signal/index.js';

const BOT = '+15550000001';
const ALICE = { uuid: 'b73a0708-0000-4000-8000-000000000001', number: '+15550000002', name: 'Alice' };
const FAMILY = { name: 'Family', members: [BOT, ALICE.number] };

const fakes: FakeSignal[] = [];
const receivers: SignalReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  const all = fakes.splice(0);
  await Promise.all(all.map((f) => f.close()));
  for (const fake of all) expect(fake.violations).toEqual([]);
});

async function setup(options: Partial<FakeSignalOptions> = {}, timeoutMs = 2000) {
  const fake = await startFakeSignal({ number: BOT, groups: [FAMILY], ...options });
  fakes.push(fake);
  const logger = memoryLogger();
  const client = new SignalClient({ baseUrl: fake.url, number: BOT, timeoutMs, logger });
  return { fake, client, logger };
}

function receiver(fake: FakeSignal, extra: Partial<SignalReceiverOptions> = {}) {
  const items: unknown[] = [];
  const logger = memoryLogger();
  const r = new SignalReceiver({
    baseUrl: fake.url,
    number: BOT,
    logger,
    onItem: (i) => items.push(i),
    reconnect: { initialMs: 20, maxMs: 80 },
    random: () => 0.5,
    ...extra,
  });
  receivers.push(r);
  r.start();
  return { r, items, logger };
}

async function rejection(promise: Promise<unknown>): Promise<SignalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignalError);
  return error as SignalError;
}

describe('about()', () => {
  it('GIVEN each mode THEN about() reports it', async () => {
    for (const mode of ['normal', 'native', 'json-rpc'] as const) {
      const { client } = await setup({ mode });
      expect(await client.about()).toEqual({
        mode,
        version: '0.100',
        versions: ['v1', 'v2'],
        build: 2,
        capabilities: { 'v2/send': ['quotes', 'mentions'] },
      });
      await client.health();
    }
  });
});

describe('polling receive (normal/native)', () => {
  it('GIVEN normal mode WHEN a person writes THEN receive() returns the item and parseIncoming reads it', async () => {
    const { fake, client } = await setup({ mode: 'normal' });
    const ts = fake.incoming({ from: ALICE, text: 'hello bot' });
    const items = await client.receive({ timeoutSeconds: 1 });
    expect(items).toHaveLength(1);
    expect(parseIncoming(items[0], BOT)).toMatchObject({
      kind: 'message',
      text: 'hello bot',
      timestamp: ts,
      sourceUuid: ALICE.uuid,
      sourceNumber: ALICE.number,
      sourceName: 'Alice',
    });
    expect(await client.receive({ timeoutSeconds: 0 })).toEqual([]);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/receive')).map((r) => r.query)).toEqual([
      { timeout: '1' },
      { timeout: '0' },
    ]);
  });

  it('GIVEN native mode and a group message THEN it carries the internal group id and max_messages is honoured', async () => {
    const { fake, client } = await setup({ mode: 'native' });
    fake.incoming({ from: ALICE, text: 'one', group: 'Family' });
    fake.incoming({ from: ALICE, text: 'two' });
    const first = await client.receive({ timeoutSeconds: 0, maxMessages: 1 });
    expect(first.map((i) => parseIncoming(i, BOT)?.groupInternalId)).toEqual([
      fake.group('Family').internalId,
    ]);
    const second = await client.receive({ timeoutSeconds: 0 });
    expect(second.map((i) => parseIncoming(i, BOT)?.text)).toEqual(['two']);
  });

  it('GIVEN a receive timeout longer than timeoutMs THEN the HTTP deadline covers it', async () => {
    const { fake, client } = await setup({ mode: 'normal' }, 300);
    const pending = client.receive({ timeoutSeconds: 1 });
    await new Promise((r) => setTimeout(r, 500));
    fake.incoming({ from: ALICE, text: 'late but within the poll' });
    expect((await pending).map((i) => parseIncoming(i, BOT)?.text)).toEqual(['late but within the poll']);
  });

  it('GIVEN json-rpc mode THEN a plain GET on receive is the real 400 websocket text', async () => {
    const { client } = await setup({ mode: 'json-rpc' });
    const error = await rejection(client.receive());
    expect(error.code).toBe('bad_request');
    expect(error.serverMessage).toMatch(/^websocket: the client is not using the websocket protocol/);
  });
});

describe('websocket receive (json-rpc)', () => {
  it('GIVEN a connected receiver THEN frames arrive as items; messages while disconnected are lost', async () => {
    const { fake } = await setup();
    fake.incoming({ from: ALICE, text: 'before anyone listens' });
    expect(fake.dropped).toHaveLength(1);
    const { items } = receiver(fake);
    await fake.waitForWebsocket();
    fake.incoming({ from: ALICE, text: 'over the socket' });
    await expect.poll(() => items.length).toBe(1);
    expect(items[0]).toMatchObject({ account: BOT });
    expect(parseIncoming(items[0], BOT)?.text).toBe('over the socket');
  });

  it('GIVEN dropWebsockets THEN the receiver reconnects after a backoff and receives again', async () => {
    const { fake } = await setup();
    const states: boolean[] = [];
    const { r, items } = receiver(fake, { onState: (c) => states.push(c) });
    await fake.waitForWebsocket();
    fake.dropWebsockets();
    await expect.poll(() => states).toEqual([true, false, true]);
    await fake.waitForWebsocket();
    expect(r.connected).toBe(true);
    fake.incoming({ from: ALICE, text: 'after the reconnect' });
    await expect.poll(() => items.map((i) => parseIncoming(i, BOT)?.text)).toEqual(['after the reconnect']);
    expect(fake.requests.filter((q) => q.status === 101)).toHaveLength(2);
  });

  it('GIVEN the server down THEN attempts back off, and the receiver recovers when it is back', async () => {
    const { fake } = await setup();
    const { r, logger } = receiver(fake);
    await fake.waitForWebsocket();
    fake.setDown(true);
    await expect.poll(() => r.failedAttempts, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    const delays = logger.records
      .filter((x) => x.message.startsWith('signal websocket closed'))
      .map((x) => x.fields['delayMs']);
    // initial 20 ms doubling to the 80 ms cap, at 75 % with random() = 0.5
    expect(delays.slice(0, 4)).toEqual([15, 30, 60, 60]);
    fake.setDown(false);
    await fake.waitForWebsocket();
    await expect.poll(() => r.failedAttempts).toBe(0);
  });

  it('GIVEN a half-open socket (no pongs) THEN the receiver drops it and reconnects', async () => {
    const { fake } = await setup();
    const { logger } = receiver(fake, { pingIntervalMs: 30 });
    await fake.waitForWebsocket();
    fake.freezeWebsockets(true);
    await expect
      .poll(() => logger.records.some((x) => x.message.includes('no pong since the last ping')), {
        timeout: 3000,
      })
      .toBe(true);
    fake.freezeWebsockets(false);
    await expect.poll(() => fake.requests.filter((q) => q.status === 101).length).toBeGreaterThanOrEqual(2);
    await fake.waitForWebsocket();
  });

  it('GIVEN an {"error"} frame THEN it is logged, not delivered, and the socket stays up', async () => {
    const { fake } = await setup();
    const { r, items, logger } = receiver(fake);
    await fake.waitForWebsocket();
    fake.incomingRaw({ error: 'Failed to receive: boom' });
    fake.incoming({ from: ALICE, text: 'still here' });
    await expect.poll(() => items.length).toBe(1);
    expect(logger.records.filter((x) => x.level === 'warn').map((x) => x.fields['error'])).toEqual([
      'Failed to receive: boom',
    ]);
    expect(r.connected).toBe(true);
  });

  it('GIVEN a normal-mode server THEN the receiver warns that the upgrade was refused and keeps retrying', async () => {
    const { fake } = await setup({ mode: 'normal' });
    const { r, logger } = receiver(fake);
    await expect
      .poll(() => logger.records.filter((x) => x.message.includes('refused the upgrade')).length)
      .toBeGreaterThanOrEqual(2);
    expect(r.connected).toBe(false);
  });
});

describe('send()', () => {
  it('GIVEN each send shape THEN send() returns the numeric timestamp the server assigned', async () => {
    for (const sendShape of ['v0.100', 'master'] as const) {
      const { fake, client } = await setup({ sendShape });
      const { timestamp } = await client.send({ recipients: [ALICE.number], message: 'hi' });
      expect(typeof timestamp).toBe('number');
      expect(fake.sent.map((s) => s.timestamp)).toEqual([timestamp]);
    }
  });

  it('GIVEN a quote, mentions, an attachment and styled text THEN the body carries them in the API names', async () => {
    const { fake, client } = await setup();
    await client.send({
      recipients: [fake.group('Family').id],
      message: '\uFFFC **yes**',
      quote: { timestamp: 1722868115744, author: ALICE.uuid, text: 'right?' },
      mentions: [{ start: 0, length: 1, author: ALICE.uuid }],
      attachments: ['data:text/plain;base64,aGk='],
      textMode: 'styled',
    });
    expect(fake.sent[0]?.body).toEqual({
      number: BOT,
      recipients: [fake.group('Family').id],
      message: '\uFFFC **yes**',
      text_mode: 'styled',
      base64_attachments: ['data:text/plain;base64,aGk='],
      mentions: [{ start: 0, length: 1, author: ALICE.uuid }],
      quote_timestamp: 1722868115744,
      quote_author: ALICE.uuid,
      quote_message: 'right?',
    });
  });

  it('GIVEN bad recipients THEN bad_request with the server text; the internal group id is refused', async () => {
    const { fake, client } = await setup();
    const internal = await rejection(
      client.send({ recipients: [fake.group('Family').internalId], message: 'x' }),
    );
    expect(internal).toMatchObject({ code: 'bad_request', status: 400 });
    expect(internal.serverMessage).toContain("Username must contain a '.'");
    const mixed = await rejection(
      client.send({ recipients: [fake.group('Family').id, ALICE.number], message: 'x' }),
    );
    expect(mixed.serverMessage).toMatch(/Groups and phone numbers cannot be specified together/);
    expect((await rejection(client.send({ recipients: [], message: 'x' }))).code).toBe('bad_request');
    expect(fake.sent).toEqual([]);
  });

  it('GIVEN a message text THEN info logs never contain it', async () => {
    const { client, logger } = await setup();
    await client.send({ recipients: [ALICE.number], message: 'my private words' });
    expect(JSON.stringify(logger.records)).not.toContain('my private words');
  });
});

describe('typing, reactions, receipts, remote delete, groups', () => {
  it('GIVEN typing on then off THEN PUT then DELETE, each with the JSON body', async () => {
    const { fake, client } = await setup();
    await client.typing(ALICE.number, true);
    await client.typing(ALICE.number, false);
    expect(fake.typing).toEqual([
      { method: 'PUT', body: { recipient: ALICE.number } },
      { method: 'DELETE', body: { recipient: ALICE.number } },
    ]);
  });

  it('GIVEN a reaction added then removed THEN POST then DELETE with all four fields', async () => {
    const { fake, client } = await setup();
    const group = fake.group('Family').id;
    await client.react(group, ALICE.uuid, 1722868115744, '👍');
    await client.react(group, ALICE.uuid, 1722868115744, '👍', true);
    const body = { recipient: group, reaction: '👍', target_author: ALICE.uuid, timestamp: 1722868115744 };
    expect(fake.reactions).toEqual([
      { method: 'POST', body },
      { method: 'DELETE', body },
    ]);
  });

  it('GIVEN a receipt and a remote delete THEN both are accepted', async () => {
    const { fake, client } = await setup();
    await client.receipt(ALICE.number, 1722868115744);
    await client.remoteDelete(ALICE.number, 1722868115744);
    expect(fake.receipts).toEqual([
      { recipient: ALICE.number, receipt_type: 'read', timestamp: 1722868115744 },
    ]);
    expect(fake.remoteDeletes).toEqual([{ recipient: ALICE.number, timestamp: 1722868115744 }]);
  });

  it('GIVEN a master server THEN groups() reads entries with the extra member field', async () => {
    const { fake, client } = await setup({ sendShape: 'master' });
    expect(await client.groups()).toEqual([
      { ...fake.group('Family'), name: 'Family', members: FAMILY.members },
    ]);
  });

  it('GIVEN groups THEN groups() lists id and internal id, and the id sends', async () => {
    const { fake, client } = await setup({ groups: [FAMILY, { name: 'Work', members: [BOT] }] });
    const groups = await client.groups();
    expect(groups).toEqual([
      { ...fake.group('Family'), name: 'Family', members: FAMILY.members },
      { ...fake.group('Work'), name: 'Work', members: [BOT] },
    ]);
    await client.send({ recipients: [groups[1]!.id], message: 'to work' });
    expect(fake.sent).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('GIVEN json-rpc mode THEN a 429 becomes rate_limited with the token, and solving it lets sends through', async () => {
    const { fake, client } = await setup({ mode: 'json-rpc' });
    fake.rateLimitSends(2);
    const error = await rejection(client.send({ recipients: [ALICE.number], message: 'x' }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, challengeTokens: ['fake-challenge-1'] });
    await client.solveChallenge(error.challengeTokens[0]!, 'signalcaptcha://abc');
    expect(fake.challenges).toEqual([
      { challenge_token: 'fake-challenge-1', captcha: 'signalcaptcha://abc' },
    ]);
    await client.send({ recipients: [ALICE.number], message: 'x' });
    expect(fake.sent).toHaveLength(1);
  });

  it('GIVEN normal mode THEN the 400 captcha text becomes rate_limited with token and wait', async () => {
    const { fake, client } = await setup({ mode: 'normal' });
    fake.rateLimitSends(1);
    const error = await rejection(client.send({ recipients: [ALICE.number], message: 'x' }));
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 400,
      challengeTokens: ['fake-challenge-1'],
      retryAfterSeconds: 86400,
    });
    await client.send({ recipients: [ALICE.number], message: 'x' });
  });

  it('GIVEN a 429 with [""] tokens THEN rate_limited, no tokens, flagged as possibly delivered', async () => {
    const { fake, client } = await setup({ mode: 'json-rpc' });
    fake.rateLimitSends(1, { emptyToken: true });
    const error = await rejection(client.send({ recipients: [ALICE.number], message: 'x' }));
    expect(error).toMatchObject({ code: 'rate_limited', challengeTokens: [], possiblyDelivered: true });
  });
});

describe('timeouts and outages', () => {
  it('GIVEN a server that never answers THEN timeout, for plain calls and for receive', async () => {
    const { fake, client } = await setup({ mode: 'normal' }, 150);
    fake.setStalled(true);
    expect((await rejection(client.about())).code).toBe('timeout');
    expect((await rejection(client.send({ recipients: [ALICE.number], message: 'x' }))).code).toBe('timeout');
    const receive = await rejection(client.receive({ timeoutSeconds: 0 }));
    expect(receive).toMatchObject({ code: 'timeout', endpoint: 'GET /v1/receive/{number}' });
  });

  it('GIVEN the caller aborts a receive THEN it rejects with the abort reason, not a SignalError', async () => {
    const { client } = await setup({ mode: 'normal' });
    const controller = new AbortController();
    const pending = client.receive({ timeoutSeconds: 5, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 50);
    await expect(pending).rejects.toThrow('stopping');
  });

  it('GIVEN the server refusing connections or answering 503 THEN network and server_error', async () => {
    const { fake, client } = await setup();
    fake.setDown(true);
    expect((await rejection(client.about())).code).toBe('network');
    fake.setDown(true, '503');
    expect((await rejection(client.about())).code).toBe('server_error');
    fake.setDown(false);
    expect((await client.about()).mode).toBe('json-rpc');
  });

  it('GIVEN nothing listening THEN network', async () => {
    const { fake } = await setup();
    const url = fake.url;
    await fake.close();
    const client = new SignalClient({ baseUrl: url, number: BOT, timeoutMs: 1000, logger: memoryLogger() });
    expect((await rejection(client.about())).code).toBe('network');
  });
});

describe('the fake itself, over raw HTTP (what E and F rely on)', () => {
  async function raw(fake: FakeSignal, method: string, path: string, body?: unknown) {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  }
  const n = encodeURIComponent(BOT);

  it('GIVEN normal mode THEN receive answers text/plain, and bad query values get the real 400 texts', async () => {
    const { fake } = await setup({ mode: 'normal' });
    expect(await raw(fake, 'GET', `/v1/receive/${n}?timeout=0`)).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      text: '[]',
    });
    expect((await raw(fake, 'GET', `/v1/receive/${n}?timeout=abc`)).text).toBe(
      '{"error":"Couldn\'t process request - timeout needs to be numeric!"}',
    );
    expect((await raw(fake, 'GET', `/v1/receive/${n}?timeout=0&ignore_stories=yes`)).text).toBe(
      "{\"error\":\"Couldn't process request - ignore_stories parameter needs to be either 'true' or 'false'\"}",
    );
  });

  it('GIVEN health, typing and remote delete THEN 204 without a body, and 201 with a string timestamp', async () => {
    const { fake } = await setup();
    expect(await raw(fake, 'GET', '/v1/health')).toMatchObject({ status: 204, text: '' });
    expect(await raw(fake, 'PUT', `/v1/typing-indicator/${n}`, { recipient: ALICE.number })).toMatchObject({
      status: 204,
      text: '',
    });
    const deleted = await raw(fake, 'DELETE', `/v1/remote-delete/${n}`, {
      recipient: ALICE.number,
      timestamp: 5,
    });
    expect(deleted.status).toBe(201);
    expect(JSON.parse(deleted.text)).toEqual({ timestamp: expect.stringMatching(/^\d+$/) as unknown });
  });

  it('GIVEN invalid sends THEN the real 400 texts, and the spec breaches are recorded', async () => {
    const { fake } = await setup();
    const v1Group = 'group.ZkFERWhRTDMxV01wbm53ZDRhaG1Sdz09';
    const cases: [unknown, string][] = [
      [
        { number: BOT, recipients: [], message: 'x' },
        "Couldn't process request - please provide at least one recipient",
      ],
      [
        { recipients: [ALICE.number], message: 'x' },
        "Couldn't process request - please provide a valid number",
      ],
      [{ number: BOT, recipients: [v1Group], message: 'x' }, 'Invalid Signal group size (16'],
      [
        { number: BOT, recipients: [ALICE.number], message: '' },
        'Sending empty message is not allowed, either a message, attachment or sticker must be given.',
      ],
      [{ number: BOT, recipients: 'x', message: 'x' }, "Couldn't process request - invalid request"],
    ];
    for (const [body, text] of cases) {
      expect(await raw(fake, 'POST', '/v2/send', body)).toMatchObject({
        status: 400,
        text: JSON.stringify({ error: text }),
      });
    }
    expect(fake.violations).toEqual([
      'POST /v2/send: body.number is required',
      'POST /v2/send: body.recipients: expected an array, got the string "x"',
    ]);
    fake.violations.splice(0);
  });

  it('GIVEN a DELETE without its body, an unknown account, an unknown path THEN 400, 400, 404 (and violations)', async () => {
    const { fake } = await setup();
    expect((await raw(fake, 'DELETE', `/v1/typing-indicator/${n}`)).text).toBe(
      '{"error":"Couldn\'t process request - invalid request"}',
    );
    expect((await raw(fake, 'GET', `/v1/groups/${encodeURIComponent('+15557777777')}`)).text).toBe(
      '{"error":"User +15557777777 is not registered."}',
    );
    expect(await raw(fake, 'GET', '/v1/nothing')).toMatchObject({ status: 404, text: '404 page not found' });
    expect(fake.violations).toEqual([
      'DELETE /v1/typing-indicator/{number}: the body is required',
      'GET /v1/nothing: no such path in the spec',
    ]);
    fake.violations.splice(0);
  });

  it('GIVEN a group id THEN GET /v1/groups/{number}/{id} answers it, an unknown one 404', async () => {
    const { fake } = await setup();
    const found = await raw(fake, 'GET', `/v1/groups/${n}/${fake.group('Family').id}`);
    expect(JSON.parse(found.text)).toMatchObject({
      name: 'Family',
      internal_id: fake.group('Family').internalId,
    });
    expect(await raw(fake, 'GET', `/v1/groups/${n}/group.eA==`)).toMatchObject({
      status: 404,
      text: '{"error":"No group with that id found"}',
    });
  });
});
