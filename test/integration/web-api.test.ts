import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fleet } from '../../scripts/fleet.js';
import {
  allMessages,
  post,
  startTestFleet,
  tempDir,
  waitFor,
  type ApiMessage,
} from '../support/test-fleet.js';

let dir: ReturnType<typeof tempDir>;
let fleet: Fleet & { url: string };

beforeEach(async () => {
  dir = tempDir();
  fleet = await startTestFleet(dir.path);
});
afterEach(async () => {
  await fleet.stop();
  dir.remove();
});

const repliesIn = (messages: ApiMessage[]) => messages.filter((m) => m.entity);

describe('the playground HTTP API', () => {
  it('GIVEN a message mentioning an entity THEN that entity replies through the whole pipeline', async () => {
    const id = await post(fleet.url, 'general', 'alice', 'hello @Alpha, how is it going');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => repliesIn(m).length >= 1,
    );
    expect(messages[0]).toMatchObject({ id, author: 'alice', text: 'hello @Alpha, how is it going' });
    expect(messages[0]?.entity).toBeUndefined();
    expect(repliesIn(messages)).toEqual([
      expect.objectContaining({
        author: 'Alpha',
        entity: 'alpha',
        source: 'llm',
        replyTo: id,
        text: `Alpha answers #${id}`,
      }),
    ]);
    expect(new Date(messages[1]!.createdAt).getTime()).not.toBeNaN();
  });

  it('GIVEN a message naming nobody and a response chance of 0 THEN nobody replies', async () => {
    await post(fleet.url, 'general', 'alice', 'just thinking out loud');
    const marker = await post(fleet.url, 'general', 'alice', 'ping Beta');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => repliesIn(m).length >= 1,
    );
    expect(repliesIn(messages).map((m) => [m.entity, m.replyTo])).toEqual([['beta', marker]]);
  });

  it('returns only the messages after an id, in order', async () => {
    const first = await post(fleet.url, 'other', 'bob', 'one');
    const second = await post(fleet.url, 'other', 'bob', 'two');
    const third = await post(fleet.url, 'other', 'bob', 'three');
    const res = await fetch(`${fleet.url}/api/channels/other/messages?after=${first}`);
    const body = (await res.json()) as { messages: ApiMessage[] };
    expect(body.messages.map((m) => m.id)).toEqual([second, third]);
  });

  it('lists channels with their entities, and the entities', async () => {
    const channels = await (await fetch(`${fleet.url}/api/channels`)).json();
    expect(channels).toEqual({
      channels: [
        { name: 'general', entities: ['alpha', 'beta'] },
        { name: 'other', entities: ['alpha'] },
      ],
    });
    const entities = (await (await fetch(`${fleet.url}/api/entities`)).json()) as {
      entities: { id: string }[];
    };
    expect(entities.entities.map((e) => e.id)).toEqual(['alpha', 'beta']);
  });

  it('GIVEN a reply THEN the dashboard API lists it as sent, and each entity with its limits state', async () => {
    const id = await post(fleet.url, 'general', 'alice', 'hello @Alpha');
    const body = await waitFor(
      async () =>
        (await (await fetch(`${fleet.url}/api/replies?limit=5`)).json()) as {
          replies: { entity: string; state: string; text: string; platform: string }[];
        },
      (b) => b.replies.some((r) => r.state === 'sent'),
    );
    expect(body.replies[0]).toMatchObject({
      entity: 'alpha',
      platform: 'web',
      state: 'sent',
      text: `Alpha answers #${id}`,
    });
    const entities = (await (await fetch(`${fleet.url}/api/entities`)).json()) as {
      entities: { id: string; platforms: string[]; responseChance: number; rate: unknown }[];
    };
    expect(entities.entities[0]).toMatchObject({ id: 'alpha', platforms: ['web'], responseChance: 0 });
    expect(entities.entities[0]).toHaveProperty('rate');
    expect((await fetch(`${fleet.url}/api/replies?limit=x`)).status).toBe(400);
  });

  it('serves the playground page and its files without a build step', async () => {
    const page = await fetch(`${fleet.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/static/app.js');
    expect((await fetch(`${fleet.url}/static/app.js`)).status).toBe(200);
    expect((await fetch(`${fleet.url}/static/style.css`)).status).toBe(200);
  });

  it('streams new messages as server-sent events, replaying those after ?after=', async () => {
    const before = await post(fleet.url, 'general', 'carol', 'earlier');
    const controller = new AbortController();
    const res = await fetch(`${fleet.url}/api/channels/general/events?after=${before - 1}`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const live = post(fleet.url, 'general', 'carol', 'now @alpha');
    while (!text.includes('Alpha answers')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(before);
    expect(ids).toContain(await live);
    expect(text).toContain('event: message');
  });

  it('reports health', async () => {
    const res = await fetch(`${fleet.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', ready: true });
  });
});

describe('bad requests get a 4xx with a JSON error and the server keeps running', () => {
  const send = (path: string, init: RequestInit = {}) => fetch(`${fleet.url}${path}`, init);
  const json = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it.each([
    [
      'missing author',
      '/api/channels/general/messages',
      json('{"text":"hi"}'),
      400,
      'author is required (a non-empty string)',
    ],
    [
      'missing text',
      '/api/channels/general/messages',
      json('{"author":"a"}'),
      400,
      'text is required (a non-empty string)',
    ],
    ['invalid JSON', '/api/channels/general/messages', json('{"author":'), 400, 'invalid JSON body'],
    ['a JSON array', '/api/channels/general/messages', json('[1]'), 400, 'expected a JSON object'],
    [
      'a 1 MB body',
      '/api/channels/general/messages',
      json(JSON.stringify({ author: 'a', text: 'x'.repeat(1 << 20) })),
      413,
      'body too large: at most 65536 bytes',
    ],
    [
      'text too long',
      '/api/channels/general/messages',
      json(JSON.stringify({ author: 'a', text: 'x'.repeat(4001) })),
      400,
      'text is too long: at most 4000 characters',
    ],
    [
      'a control character in the author',
      '/api/channels/general/messages',
      json('{"author":"a\\u0007b","text":"hi"}'),
      400,
      'author must not contain control characters',
    ],
    [
      'no JSON content type',
      '/api/channels/general/messages',
      { method: 'POST', body: '{}' },
      415,
      'expected a JSON body (content-type: application/json)',
    ],
    [
      'an unknown channel',
      '/api/channels/nowhere/messages',
      json('{"author":"a","text":"hi"}'),
      404,
      'unknown channel "nowhere"',
    ],
    [
      'a channel with odd characters',
      '/api/channels/..%2F%3Cscript%3E/messages',
      {},
      400,
      'invalid channel name: use lowercase letters, digits, - and _ (at most 64)',
    ],
    [
      'a bad after',
      '/api/channels/general/messages?after=-1',
      {},
      400,
      'after must be an integer from 0 to 9007199254740991',
    ],
    [
      'a wrong method',
      '/api/channels/general/messages',
      { method: 'DELETE' },
      405,
      'method DELETE not allowed on /api/channels/general/messages',
    ],
    ['an unknown route', '/nope', {}, 404, 'no route for GET /nope'],
  ] as const)('%s', async (_name, path, init, status, error) => {
    const res = await send(path, init as RequestInit);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error });
    expect((await send('/healthz')).status).toBe(200);
  });
});
