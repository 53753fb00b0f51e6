// LmStudioClient against real node:http servers on 127.0.0.1 port 0 that answer with the exact shapes of the
// LM Studio reference (§1.2–1.12): success bodies, both "model not found" forms, 200-with-error, a stalled
// server, a dropped socket mid-stream and a refused connection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../core/secret.js';
import {
  LmStudioClient,
  LmStudioError,
  type ChatRequest,
  type ChatStreamEvent,
  type LmStudioClientOptions,
} from '../../cluster/client/index.js';
import { chunkFrame, FRAME_ID, FRAME_MODEL, usageFrame } from '../support/lmstudio-frames.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Handler = (res: ServerResponse, seen: Seen) => void | Promise<void>;

interface FakeLmStudio {
  url: string;
  seen: Seen[];
  connections: number;
  close(): Promise<void>;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** A server routing `METHOD /path` to handlers; other routes answer like LM Studio: 200 with an error string. */
async function fakeLmStudio(routes: Record<string, Handler>): Promise<FakeLmStudio> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const entry: Seen = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    seen.push(entry);
    const handler = routes[`${entry.method} ${entry.path}`];
    if (handler) await handler(res, entry);
    else json(res, 200, { error: `Unexpected endpoint or method. (${entry.method} ${entry.path})` });
  });
  const fake: FakeLmStudio = { url: '', seen, connections: 0, close: async () => undefined };
  server.on('connection', () => fake.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = (): Promise<void> => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  open.push(fake);
  return fake;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(body);
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Writes an SSE body piece by piece (cut mid-line and mid-character), then ends it unless told not to. */
async function sse(res: ServerResponse, parts: (string | Buffer)[], end = true): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const part of parts) {
    res.write(part);
    await tick();
  }
  if (end) res.end();
}

function client(fake: FakeLmStudio, options: Partial<LmStudioClientOptions> = {}): LmStudioClient {
  const created = new LmStudioClient({ baseUrl: fake.url, ...options });
  open.push(created);
  return created;
}

/** The rejection of `promise`, which must be an LmStudioError. */
async function failure(promise: Promise<unknown>): Promise<LmStudioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LmStudioError);
  return error as LmStudioError;
}

const MODEL = FRAME_MODEL;
const ID = FRAME_ID;
const REQUEST: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };
const chunk = chunkFrame;
const USAGE = usageFrame(2);

/** A whole recorded-style stream, cut into pieces at awkward places (inside "data:", inside the emoji). */
function streamParts(model = MODEL): Buffer[] {
  const text =
    chunk({ role: 'assistant', reasoning_content: 'Hmm.' }, null, model) +
    chunk({ content: 'Héllo 🎉' }, null, model) +
    chunk({ content: ' there' }, null, model) +
    chunk({ content: '' }, null, model) +
    chunk({}, 'stop', model) +
    USAGE +
    'data: [DONE]\n\n';
  const bytes = Buffer.from(text);
  const emoji = bytes.indexOf(Buffer.from('🎉'));
  return [
    bytes.subarray(0, 3),
    bytes.subarray(3, emoji + 2),
    bytes.subarray(emoji + 2, 700),
    bytes.subarray(700),
  ];
}

const NO_MODELS = {
  error: {
    message: "No models loaded. Please load a model in the developer page or use the 'lms load' command.",
    type: 'invalid_request_error',
    param: 'model',
    code: null,
  },
};
const MODEL_NOT_FOUND = {
  error: {
    message: 'Model "default" not found. Please specify a valid model.\n\nYour models:\n\nqwen/qwen3.5-9b',
    type: 'invalid_request_error',
    param: 'model',
    code: 'model_not_found',
  },
};

describe('probes and model management', () => {
  it('GIVEN {"lmstudio":true} THEN greeting() resolves', async () => {
    const fake = await fakeLmStudio({
      'GET /lmstudio-greeting': (res) => json(res, 200, { lmstudio: true }),
    });
    await expect(client(fake).greeting()).resolves.toBeUndefined();
  });

  it('GIVEN a 200 with an error body (unknown path) THEN greeting() fails as bad_request, not retryable', async () => {
    const fake = await fakeLmStudio({});
    const error = await failure(client(fake).greeting());
    expect(error).toMatchObject({ code: 'bad_request', retryable: false, status: 200 });
    expect(error.message).toContain('Unexpected endpoint or method. (GET /lmstudio-greeting)');
  });

  it('GIVEN a greeting that is not {"lmstudio":true} THEN bad_response naming the endpoint', async () => {
    const fake = await fakeLmStudio({
      'GET /lmstudio-greeting': (res) => json(res, 200, { lmstudio: false }),
    });
    const error = await failure(client(fake).greeting());
    expect(error.code).toBe('bad_response');
    expect(error.message).toMatch(/GET \/lmstudio-greeting: unexpected response \(HTTP 200\): lmstudio:/);
  });

  it('lists /api/v0/models with state, type and the loaded context length', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v0/models': (res) =>
        json(res, 200, {
          data: [
            {
              id: 'qwen2-vl-7b-instruct',
              object: 'model',
              type: 'vlm',
              publisher: 'mlx-community',
              arch: 'qwen2_vl',
              compatibility_type: 'mlx',
              quantization: '4bit',
              state: 'loaded',
              max_context_length: 32768,
              loaded_context_length: 4096,
              capabilities: ['tool_use'],
            },
            {
              id: 'text-embedding-nomic-embed-text-v1.5',
              object: 'model',
              type: 'embeddings',
              publisher: 'nomic-ai',
              arch: 'nomic-bert',
              compatibility_type: 'gguf',
              quantization: 'Q4_0',
              state: 'not-loaded',
              max_context_length: 2048,
            },
          ],
          object: 'list',
        }),
    });
    expect(await client(fake).modelsV0()).toEqual([
      {
        id: 'qwen2-vl-7b-instruct',
        type: 'vlm',
        state: 'loaded',
        publisher: 'mlx-community',
        arch: 'qwen2_vl',
        compatibilityType: 'mlx',
        quantization: '4bit',
        maxContextLength: 32768,
        loadedContextLength: 4096,
        capabilities: ['tool_use'],
      },
      {
        id: 'text-embedding-nomic-embed-text-v1.5',
        type: 'embeddings',
        state: 'not-loaded',
        publisher: 'nomic-ai',
        arch: 'nomic-bert',
        compatibilityType: 'gguf',
        quantization: 'Q4_0',
        maxContextLength: 2048,
        capabilities: [],
      },
    ]);
  });

  it('lists /api/v1/models with sizes and loaded instances (incl. the undocumented remaining TTL)', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v1/models': (res) =>
        json(res, 200, {
          models: [
            {
              type: 'llm',
              publisher: 'openai',
              key: 'openai/gpt-oss-20b',
              display_name: 'gpt-oss 20B',
              architecture: 'gpt-oss',
              quantization: { name: 'MXFP4', bits_per_weight: 4 },
              size_bytes: 12109566560,
              params_string: '20B',
              loaded_instances: [
                {
                  id: 'openai/gpt-oss-20b',
                  config: { context_length: 8192, eval_batch_size: 512, flash_attention: false },
                  remaining_ttl_seconds: 3600,
                },
              ],
              max_context_length: 131072,
              format: 'gguf',
              capabilities: { vision: false, trained_for_tool_use: true },
            },
            {
              type: 'embedding',
              publisher: 'gaianet',
              key: 'text-embedding-nomic-embed-text-v1.5-embedding',
              display_name: 'Nomic Embed Text v1.5',
              quantization: { name: 'F16', bits_per_weight: 16 },
              size_bytes: 274290560,
              params_string: null,
              loaded_instances: [],
              max_context_length: 2048,
              format: 'gguf',
            },
          ],
        }),
    });
    const [llm, embedding] = await client(fake).modelsV1();
    expect(llm).toEqual({
      key: 'openai/gpt-oss-20b',
      type: 'llm',
      displayName: 'gpt-oss 20B',
      publisher: 'openai',
      architecture: 'gpt-oss',
      quantization: { name: 'MXFP4', bitsPerWeight: 4 },
      sizeBytes: 12109566560,
      paramsString: '20B',
      maxContextLength: 131072,
      format: 'gguf',
      loadedInstances: [{ id: 'openai/gpt-oss-20b', contextLength: 8192, remainingTtlSeconds: 3600 }],
      capabilities: { vision: false, trainedForToolUse: true },
    });
    expect(embedding).toMatchObject({ type: 'embedding', loadedInstances: [], sizeBytes: 274290560 });
    expect(embedding).not.toHaveProperty('architecture');
  });

  it('GIVEN a v1 model without size_bytes THEN bad_response naming the endpoint and the field', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v1/models': (res) =>
        json(res, 200, { models: [{ type: 'llm', key: 'x', loaded_instances: [] }] }),
    });
    const error = await failure(client(fake).modelsV1());
    expect(error).toMatchObject({ code: 'bad_response', retryable: false, endpoint: 'GET /api/v1/models' });
    expect(error.message).toContain('models.0.size_bytes: Required');
  });

  it('loads with snake_case options and unloads by instance id', async () => {
    const fake = await fakeLmStudio({
      'POST /api/v1/models/load': (res) =>
        json(res, 200, {
          type: 'llm',
          instance_id: 'openai/gpt-oss-20b',
          load_time_seconds: 9.099,
          status: 'loaded',
          load_config: { context_length: 16384 },
        }),
      'POST /api/v1/models/unload': (res, seen) => json(res, 200, seen.body),
    });
    const lmstudio = client(fake);
    const loaded = await lmstudio.load('openai/gpt-oss-20b', {
      contextLength: 16384,
      flashAttention: true,
      echoLoadConfig: true,
    });
    expect(loaded).toEqual({
      type: 'llm',
      instanceId: 'openai/gpt-oss-20b',
      loadTimeSeconds: 9.099,
      status: 'loaded',
      loadConfig: { context_length: 16384 },
    });
    expect(await lmstudio.unload('openai/gpt-oss-20b')).toEqual({ instanceId: 'openai/gpt-oss-20b' });
    expect(fake.seen.map((s) => s.body)).toEqual([
      { model: 'openai/gpt-oss-20b', context_length: 16384, flash_attention: true, echo_load_config: true },
      { instance_id: 'openai/gpt-oss-20b' },
    ]);
  });
});

describe('chat', () => {
  it('GIVEN stream: false THEN one JSON completion becomes a ChatReply', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/chat/completions': (res) =>
        json(res, 200, {
          id: ID,
          object: 'chat.completion',
          created: 1790614497,
          model: MODEL,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: 'Hello there, how are you?',
                reasoning_content: '',
                tool_calls: [],
              },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: 22,
            completion_tokens: 8,
            total_tokens: 30,
            completion_tokens_details: { reasoning_tokens: 0 },
          },
          stats: {},
          system_fingerprint: MODEL,
        }),
    });
    const request: ChatRequest = {
      ...REQUEST,
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 64,
      ttlSeconds: 600,
      extra: { min_p: 0.05 },
    };
    const reply = await client(fake).chat(request, { stream: false });
    expect(reply).toEqual({
      id: ID,
      model: MODEL,
      text: 'Hello there, how are you?',
      reasoning: '',
      finishReason: 'stop',
      usage: { promptTokens: 22, completionTokens: 8, totalTokens: 30, reasoningTokens: 0 },
    });
    expect(fake.seen[0]?.body).toEqual({
      min_p: 0.05,
      model: MODEL,
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
      ttl: 600,
      stream: false,
    });
  });

  it('GIVEN a stream cut at awkward places THEN chat() collects text, reasoning, usage and the reported model', async () => {
    const fake = await fakeLmStudio({ 'POST /v1/chat/completions': (res) => sse(res, streamParts()) });
    const reply = await client(fake).chat(REQUEST);
    expect(reply).toEqual({
      id: ID,
      model: MODEL,
      text: 'Héllo 🎉 there',
      reasoning: 'Hmm.',
      finishReason: 'stop',
      usage: { promptTokens: 22, completionTokens: 8, totalTokens: 30, reasoningTokens: 2 },
    });
    expect(fake.seen[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(fake.seen[0]?.headers.accept).toBe('text/event-stream');
  });

  it('GIVEN chatStream() THEN the events arrive in order, and the answering model is visible at start', async () => {
    const other = 'qwen/qwen3.5-9b';
    const fake = await fakeLmStudio({ 'POST /v1/chat/completions': (res) => sse(res, streamParts(other)) });
    const events: ChatStreamEvent[] = [];
    for await (const event of await client(fake).chatStream(REQUEST)) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['start', 'reasoning', 'content', 'content', 'usage', 'done']);
    expect(events[0]).toEqual({ type: 'start', id: ID, model: other });
    expect(events.at(-1)).toEqual({ type: 'done', id: ID, model: other, finishReason: 'stop' });
  });

  it('reuses its keep-alive connection across calls, streams included, and after a consumer breaks at done', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/chat/completions': (res) => sse(res, streamParts()),
      'GET /lmstudio-greeting': (res) => json(res, 200, { lmstudio: true }),
    });
    // One connection allowed: a stream that closed its socket would show as a second connection.
    const lmstudio = client(fake, { connections: 1 });
    await lmstudio.greeting();
    await lmstudio.chat(REQUEST);
    for await (const event of await lmstudio.chatStream(REQUEST)) if (event.type === 'done') break;
    await lmstudio.greeting();
    expect(fake.connections).toBe(1);
  });
  it('GIVEN the consumer stops mid-stream THEN the stream lets go at once and the next call works', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/chat/completions': (res) => sse(res, [chunk({ content: 'Hel' })], false),
      'GET /lmstudio-greeting': (res) => json(res, 200, { lmstudio: true }),
    });
    const lmstudio = client(fake, { connections: 1 });
    const started = Date.now();
    for await (const event of await lmstudio.chatStream(REQUEST)) if (event.type === 'content') break;
    await lmstudio.greeting();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.connections).toBe(2);
  });
});

describe('errors', () => {
  const refusing = (status: number, body: unknown) =>
    fakeLmStudio({ 'POST /v1/chat/completions': (res) => json(res, status, body) });

  it('GIVEN model-not-found as 404/model_not_found OR as 400/code:null THEN both are model_not_found', async () => {
    for (const [status, body] of [
      [404, MODEL_NOT_FOUND],
      [400, NO_MODELS],
      [404, { ...NO_MODELS, error: { ...NO_MODELS.error, code: 'model_not_found' } }],
    ] as const) {
      const fake = await refusing(status, body);
      for (const stream of [true, false]) {
        const error = await failure(client(fake).chat(REQUEST, { stream }));
        expect(error).toMatchObject({ code: 'model_not_found', retryable: false, status, model: MODEL });
        expect(error.endpoint).toBe('POST /v1/chat/completions');
      }
    }
  });

  it('GIVEN other 4xx THEN bad_request or unauthorized; GIVEN 5xx THEN server_error, retryable', async () => {
    const invalidEffort = {
      error: {
        message:
          "Invalid 'reasoning_effort' value: 'off'. Supported values: none, minimal, low, medium, high, xhigh.",
        type: 'invalid_request_error',
        param: 'reasoning_effort',
        code: 'invalid_value',
      },
    };
    const cases = [
      [400, invalidEffort, 'bad_request', false],
      [
        401,
        {
          error: {
            type: 'invalid_request',
            code: 'invalid_api_key',
            message: 'An LM Studio API token is required',
          },
        },
        'unauthorized',
        false,
      ],
      [403, 'forbidden', 'unauthorized', false],
      [500, { error: { message: 'Failed to load model', type: 'server_error' } }, 'server_error', true],
      [503, '<html>Bad Gateway</html>', 'server_error', true],
    ] as const;
    for (const [status, body, code, retryable] of cases) {
      const fake = await fakeLmStudio({
        'POST /v1/chat/completions': (res) =>
          typeof body === 'string' ? plain(res, status, body) : json(res, status, body),
      });
      const error = await failure(client(fake).chat(REQUEST));
      expect(error, `${status}`).toMatchObject({ code, retryable, status });
    }
  });

  it('GIVEN a 200 body that is not JSON THEN bad_response', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v0/models': (res) => plain(res, 200, '<html>'),
    });
    expect(await failure(client(fake).modelsV0())).toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('GIVEN an error object inside the stream THEN the server error carries the text received so far', async () => {
    const inStream = (res: ServerResponse, before: string) =>
      sse(res, [
        before,
        `data: ${JSON.stringify({ error: { message: 'Model crashed', type: 'internal_error' } })}\n\n`,
      ]);
    const fake = await fakeLmStudio({
      'POST /v1/chat/completions': (res) => inStream(res, chunk({ content: 'Hel' })),
    });
    const error = await failure(client(fake).chat(REQUEST));
    expect(error).toMatchObject({
      code: 'server_error',
      status: 200,
      retryable: false,
      received: { content: 'Hel', reasoning: '' },
    });
    const early = await fakeLmStudio({ 'POST /v1/chat/completions': (res) => inStream(res, '') });
    expect(await failure(client(early).chat(REQUEST))).toMatchObject({
      code: 'server_error',
      retryable: true,
    });
  });

  it('GIVEN a server that drops the socket mid-stream THEN stream_interrupted with the text so far', async () => {
    const dropAfter = (before: string) => async (res: ServerResponse) => {
      await sse(res, [before], false);
      res.socket?.destroy();
    };
    const late = await fakeLmStudio({ 'POST /v1/chat/completions': dropAfter(chunk({ content: 'Hello' })) });
    const error = await failure(client(late).chat(REQUEST));
    expect(error).toMatchObject({
      code: 'stream_interrupted',
      retryable: false,
      received: { content: 'Hello' },
    });
    expect(error.message).toContain('after 5 characters of text');
    const early = await fakeLmStudio({
      'POST /v1/chat/completions': dropAfter(chunk({ reasoning_content: 'Hm' })),
    });
    expect(await failure(client(early).chat(REQUEST))).toMatchObject({
      code: 'stream_interrupted',
      retryable: true,
    });
  });

  it('GIVEN a stream that ends cleanly before its finish_reason THEN stream_interrupted', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/chat/completions': (res) => sse(res, [chunk({ content: 'Hi' })]),
    });
    const error = await failure(client(fake).chat(REQUEST));
    expect(error).toMatchObject({ code: 'stream_interrupted', retryable: false });
    expect(error.message).toContain('the body ended before [DONE]');
  });

  it('GIVEN a server that stalls, before or during the stream THEN timeout within the deadline, retryable', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v0/models': () => undefined,
      'POST /v1/chat/completions': (res) => sse(res, [chunk({ content: 'Hel' })], false),
    });
    const lmstudio = client(fake);
    const started = Date.now();
    const error = await failure(lmstudio.modelsV0({ deadlineMs: 150 }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toContain('no complete answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(1000);
    const midStream = await failure(lmstudio.chat(REQUEST, { deadlineMs: 150 }));
    expect(midStream).toMatchObject({ code: 'timeout', retryable: true, received: { content: 'Hel' } });
  });

  it('GIVEN the caller aborts THEN aborted, not retryable; an already-aborted signal sends nothing', async () => {
    const fake = await fakeLmStudio({ 'GET /api/v1/models': () => undefined });
    const lmstudio = client(fake);
    const controller = new AbortController();
    const pending = failure(lmstudio.modelsV1({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    const error = await pending;
    expect(error).toMatchObject({ code: 'aborted', retryable: false });
    expect(error.cause).toEqual(new Error('shutting down'));
    const before = fake.seen.length;
    expect(await failure(lmstudio.greeting({ signal: AbortSignal.abort() }))).toMatchObject({
      code: 'aborted',
    });
    expect(fake.seen.length).toBe(before);
  });

  it('GIVEN nothing listens on the port THEN network, retryable', async () => {
    const fake = await fakeLmStudio({});
    await fake.close();
    const error = await failure(client(fake).greeting());
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('embeddings', () => {
  it('batches the inputs and returns the vectors in input order, whatever order each batch came back in', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/embeddings': (res, seen) => {
        const inputs = (seen.body as { input: string[] }).input;
        const data = inputs.map((input, index) => ({
          object: 'embedding',
          embedding: [input.length, index],
          index,
        }));
        json(res, 200, {
          object: 'list',
          data: data.reverse(),
          model: 'text-embedding-nomic-embed-text-v1.5@q4_k_m',
          usage: { prompt_tokens: 0, total_tokens: 0 },
        });
      },
    });
    const inputs = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const result = await client(fake).embeddings(inputs, 'text-embedding-nomic-embed-text-v1.5', {
      batchSize: 2,
    });
    expect(result.embeddings).toEqual([
      [1, 0],
      [2, 1],
      [3, 0],
      [4, 1],
      [5, 0],
    ]);
    expect(result.model).toBe('text-embedding-nomic-embed-text-v1.5@q4_k_m');
    expect(fake.seen.map((s) => (s.body as { input: string[] }).input)).toEqual([
      ['a', 'bb'],
      ['ccc', 'dddd'],
      ['eeeee'],
    ]);
  });

  it('GIVEN fewer vectors than inputs THEN bad_response', async () => {
    const fake = await fakeLmStudio({
      'POST /v1/embeddings': (res) =>
        json(res, 200, {
          object: 'list',
          data: [{ object: 'embedding', embedding: [1], index: 0 }],
          model: 'm',
        }),
    });
    const error = await failure(client(fake).embeddings(['a', 'b'], 'm'));
    expect(error).toMatchObject({ code: 'bad_response', endpoint: 'POST /v1/embeddings' });
    expect(error.message).toContain('expected 2 embeddings');
  });
});

describe('secrets and options', () => {
  const TOKEN = 'sk-lm-Abc12345:Zyxwvutsrqponmlkjihg';

  it('sends the API key as a Bearer token and never shows it, even when the server echoes it', async () => {
    const fake = await fakeLmStudio({
      'GET /api/v0/models': (res, seen) =>
        json(res, 401, {
          error: {
            message: `bad token ${seen.headers.authorization}`,
            type: 'invalid_request',
            code: 'invalid_api_key',
          },
        }),
    });
    const error = await failure(client(fake, { apiKey: new Secret(TOKEN, 'LM_API_TOKEN') }).modelsV0());
    expect(fake.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(error.code).toBe('unauthorized');
    for (const shown of [error.message, inspect(error, { depth: 5 }), JSON.stringify(error)]) {
      expect(shown).not.toContain(TOKEN);
    }
    expect(error.message).toContain('bad token Bearer [redacted]');
  });

  it('checks its options with exact messages, never echoing the URL', () => {
    const make = (options: Partial<LmStudioClientOptions>) => () =>
      new LmStudioClient({ baseUrl: 'http://127.0.0.1:1234', ...options });
    expect(make({ baseUrl: 'http://user:pw@127.0.0.1:1234' })).toThrow(
      'options.baseUrl must not contain credentials; pass the API key as options.apiKey',
    );
    expect(make({ baseUrl: 'http://127.0.0.1:1234/v1' })).toThrow(
      'options.baseUrl must be an origin without path, query or fragment',
    );
    expect(make({ baseUrl: 'ftp://127.0.0.1:1234' })).toThrow('options.baseUrl must use http: or https:');
    expect(make({ baseUrl: '127.0.0.1:1234' })).toThrow(
      'options.baseUrl must be an absolute URL such as http://127.0.0.1:1234',
    );
    expect(make({ connections: 0 })).toThrow('options.connections must be a positive integer');
    expect(make({ apiKey: 'sk-lm-plain' as unknown as Secret })).toThrow(
      'options.apiKey must be a Secret (core/secret.ts), so it cannot be logged by accident',
    );
    expect(make({ requestTimeoutMs: 1.5 })).toThrow('options.requestTimeoutMs must be a positive integer');
  });

  it('rejects a deadline that is not a positive number of milliseconds', async () => {
    const fake = await fakeLmStudio({});
    await expect(client(fake).greeting({ deadlineMs: 0 })).rejects.toThrow(
      'deadlineMs must be a number of milliseconds above 0 and at most 2147483647',
    );
  });
});
