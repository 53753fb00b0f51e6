// The LM Studio simulator over real HTTP, item by item against the reference's simulator checklist
// (lmstudio-api.md §4): exact shapes and status codes, SSE framing, JIT load delay, TTL and auto-evict with a
// fake clock, slots then queueing, memory refusal, the quirks, auth, every fault, and the CLI as a child process.
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLmStudio, startFakeLmStudios, type FakeLmStudios } from '../fakes/lmstudio.js';
import type { LmStudioSimulatorOptions } from '../../cluster/simulator/index.js';
import { countTokens } from '../../cluster/simulator/text-generator.js';

const CLI = 'dist/scripts/chorus.js';
const GIB = 2 ** 30;
const HOUR = 3600_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function fake(options: LmStudioSimulatorOptions = {}) {
  const started = await startFakeLmStudio(options);
  running.push(started);
  return started;
}

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

const get = (url: string, path: string, headers?: Record<string, string>) =>
  call(url, 'GET', path, undefined, headers);
const post = (url: string, path: string, body: unknown, headers?: Record<string, string>) =>
  call(url, 'POST', path, body, headers);

const chat = (model: string, extra: Json = {}) => ({
  model,
  messages: [{ role: 'user', content: 'What do you think about the weather in Lisbon?' }],
  ...extra,
});

/** Raw SSE text split into the JSON (or [DONE]) payload of each frame, after checking the framing. */
function frames(text: string): string[] {
  expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  const parts = text.split('\n\n').slice(0, -1);
  for (const part of parts) expect(part).toMatch(/^data: [^\n]+$/);
  return parts.map((p) => p.slice('data: '.length));
}

async function stream(url: string, body: Json) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  return { res, text: await res.text() };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('discovery and unknown routes', () => {
  it('answers the greeting probe with {"lmstudio":true}', async () => {
    const { url } = await fake();
    const res = await fetch(`${url}/lmstudio-greeting`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toBe('{"lmstudio":true}');
  });

  it('answers unknown paths and methods with HTTP 200 and a string error', async () => {
    const { url } = await fake();
    expect(await get(url, '/api/tags')).toMatchObject({
      status: 200,
      json: { error: 'Unexpected endpoint or method. (GET /api/tags)' },
    });
    expect((await call(url, 'DELETE', '/v1/models')).json).toEqual({
      error: 'Unexpected endpoint or method. (DELETE /v1/models)',
    });
    expect((await get(url, '/v1/chat/completions?x=1')).json).toEqual({
      error: 'Unexpected endpoint or method. (GET /v1/chat/completions)',
    });
  });
});

describe('model lists', () => {
  it('/v1/models lists every downloaded model with JIT on, only loaded ones with JIT off', async () => {
    const { url } = await fake();
    expect((await get(url, '/v1/models')).json).toEqual({
      data: [
        { id: 'qwen/qwen3-8b', object: 'model', owned_by: 'organization_owner' },
        { id: 'google/gemma-3-12b', object: 'model', owned_by: 'organization_owner' },
        { id: 'text-embedding-nomic-embed-text-v1.5', object: 'model', owned_by: 'organization_owner' },
      ],
      object: 'list',
    });
    const off = await fake({ jit: false, preload: ['google/gemma-3-12b'] });
    expect((await get(off.url, '/v1/models')).json).toEqual({
      data: [{ id: 'google/gemma-3-12b', object: 'model', owned_by: 'organization_owner' }],
      object: 'list',
    });
  });

  it('/api/v0/models carries state, loaded_context_length when loaded, capabilities on tool models', async () => {
    const { url } = await fake({ preload: ['qwen/qwen3-8b'] });
    const res = await fetch(`${url}/api/v0/models`);
    const text = await res.text();
    expect(text.startsWith('{"data":[')).toBe(true);
    expect(text.endsWith('"object":"list"}')).toBe(true);
    expect(JSON.parse(text).data).toEqual([
      {
        id: 'qwen/qwen3-8b',
        object: 'model',
        type: 'llm',
        publisher: 'qwen',
        arch: 'qwen3',
        compatibility_type: 'gguf',
        quantization: 'Q4_K_M',
        state: 'loaded',
        max_context_length: 32768,
        loaded_context_length: 4096,
        capabilities: ['tool_use'],
      },
      {
        id: 'google/gemma-3-12b',
        object: 'model',
        type: 'llm',
        publisher: 'google',
        arch: 'gemma',
        compatibility_type: 'gguf',
        quantization: 'Q4_K_M',
        state: 'not-loaded',
        max_context_length: 32768,
        capabilities: ['tool_use'],
      },
      {
        id: 'text-embedding-nomic-embed-text-v1.5',
        object: 'model',
        type: 'embeddings',
        publisher: 'lmstudio-community',
        arch: 'nomic-bert',
        compatibility_type: 'gguf',
        quantization: 'Q4_K_M',
        state: 'not-loaded',
        max_context_length: 2048,
      },
    ]);
  });

  it('/api/v0/models/{model} returns the bare object (keys with a slash too), 404 for an unknown one', async () => {
    const { url } = await fake();
    expect(await get(url, '/api/v0/models/google/gemma-3-12b')).toMatchObject({
      status: 200,
      json: { id: 'google/gemma-3-12b', object: 'model', state: 'not-loaded' },
    });
    expect(await get(url, '/api/v0/models/nope')).toEqual(
      expect.objectContaining({
        status: 404,
        json: {
          error: {
            message: 'Model "nope" not found',
            type: 'invalid_request_error',
            param: 'model',
            code: 'model_not_found',
          },
        },
      }),
    );
  });

  it('/api/v1/models gives size_bytes and loaded_instances (remaining_ttl_seconds only with a TTL)', async () => {
    const { url } = await fake({ preload: ['google/gemma-3-12b'] });
    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    const { models } = (await get(url, '/api/v1/models')).json;
    expect(models).toEqual([
      {
        type: 'llm',
        publisher: 'qwen',
        key: 'qwen/qwen3-8b',
        display_name: 'Qwen3 8B',
        architecture: 'qwen3',
        quantization: { name: 'Q4_K_M', bits_per_weight: 4.8 },
        size_bytes: 5 * GIB,
        params_string: '8B',
        loaded_instances: [
          {
            id: 'qwen/qwen3-8b',
            config: {
              context_length: 4096,
              eval_batch_size: 512,
              parallel: 4,
              flash_attention: true,
              offload_kv_cache_to_gpu: true,
            },
            remaining_ttl_seconds: 3600,
          },
        ],
        max_context_length: 32768,
        format: 'gguf',
        capabilities: { vision: false, trained_for_tool_use: true },
      },
      expect.objectContaining({
        key: 'google/gemma-3-12b',
        size_bytes: 8 * GIB,
        loaded_instances: [{ id: 'google/gemma-3-12b', config: expect.any(Object) }],
      }),
      {
        type: 'embedding',
        publisher: 'lmstudio-community',
        key: 'text-embedding-nomic-embed-text-v1.5',
        display_name: 'Text Embedding Nomic Embed Text V1.5',
        quantization: { name: 'Q4_K_M', bits_per_weight: 4.8 },
        size_bytes: Math.round(0.1 * GIB),
        params_string: null,
        loaded_instances: [],
        max_context_length: 2048,
        format: 'gguf',
      },
    ]);
  });
});

describe('load and unload (/api/v1/models/load|unload)', () => {
  it('loads explicitly (no TTL), numbers further instances key:2, echoes the load config on request', async () => {
    const { url, sim } = await fake();
    const first = await post(url, '/api/v1/models/load', { model: 'qwen/qwen3-8b' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      type: 'llm',
      instance_id: 'qwen/qwen3-8b',
      load_time_seconds: expect.any(Number),
      status: 'loaded',
    });
    const second = await post(url, '/api/v1/models/load', {
      model: 'qwen/qwen3-8b',
      context_length: 8192,
      echo_load_config: true,
    });
    expect(second.json).toMatchObject({
      instance_id: 'qwen/qwen3-8b:2',
      load_config: {
        context_length: 8192,
        eval_batch_size: 512,
        parallel: 4,
        flash_attention: true,
        offload_kv_cache_to_gpu: true,
      },
    });
    const embedding = await post(url, '/api/v1/models/load', {
      model: 'text-embedding-nomic-embed-text-v1.5',
      echo_load_config: true,
    });
    expect(embedding.json).toMatchObject({ type: 'embedding', load_config: { context_length: 2048 } });
    const [listed] = (await get(url, '/api/v1/models')).json.models as Json[];
    expect(listed?.loaded_instances.map((i: Json) => i.id)).toEqual(['qwen/qwen3-8b', 'qwen/qwen3-8b:2']);
    expect(listed?.loaded_instances[0]).not.toHaveProperty('remaining_ttl_seconds');
    expect(sim.instances().map((i) => i.jit)).toEqual([false, false, false]);

    expect(await post(url, '/api/v1/models/unload', { instance_id: 'qwen/qwen3-8b:2' })).toMatchObject({
      status: 200,
      json: { instance_id: 'qwen/qwen3-8b:2' },
    });
    expect(sim.instances().map((i) => i.id)).toEqual([
      'qwen/qwen3-8b',
      'text-embedding-nomic-embed-text-v1.5',
    ]);
  });

  it('rejects unknown models and instances and missing fields', async () => {
    const { url } = await fake();
    expect(await post(url, '/api/v1/models/load', { model: 'nope' })).toMatchObject({
      status: 404,
      json: {
        error: {
          message: 'Invalid model identifier "nope". Please specify a downloaded model.',
          type: 'invalid_request',
          param: 'model',
          code: 'model_not_found',
        },
      },
    });
    expect(await post(url, '/api/v1/models/unload', { instance_id: 'nope' })).toMatchObject({
      status: 404,
      json: { error: { param: 'instance_id', code: 'model_not_found' } },
    });
    expect(await post(url, '/api/v1/models/load', {})).toMatchObject({
      status: 400,
      json: { error: { message: "'model' is required and must be a string", param: 'model' } },
    });
    expect(
      await post(url, '/api/v1/models/load', { model: 'qwen/qwen3-8b', context_length: 10 ** 7 }),
    ).toMatchObject({
      status: 400,
      json: { error: { param: 'context_length' } },
    });
  });
});

describe('chat completions', () => {
  it('answers in the shape of the 0.4.24 capture, with usage consistent with the text', async () => {
    const { url } = await fake();
    const { status, json } = await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    expect(status).toBe(200);
    expect(Object.keys(json)).toEqual([
      'id',
      'object',
      'created',
      'model',
      'choices',
      'usage',
      'stats',
      'system_fingerprint',
    ]);
    expect(json).toEqual({
      id: expect.stringMatching(/^chatcmpl-[a-z0-9]{21}$/),
      object: 'chat.completion',
      created: Math.floor(Date.UTC(2026, 0, 1) / 1000),
      model: 'qwen/qwen3-8b',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: expect.any(String), reasoning_content: '', tool_calls: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: countTokens(json.choices[0].message.content),
        total_tokens: json.usage.prompt_tokens + json.usage.completion_tokens,
        completion_tokens_details: { reasoning_tokens: 0 },
      },
      stats: {},
      system_fingerprint: 'qwen/qwen3-8b',
    });
    expect(json.choices[0].message.content).toMatch(/^[A-Z].+[.!]$/);
  });

  it('is deterministic per seed and prompt, and stops at max_tokens with finish_reason "length"', async () => {
    const { url } = await fake();
    const a = await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { seed: 7 }));
    const b = await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { seed: 7 }));
    expect(a.json.choices[0].message.content).toBe(b.json.choices[0].message.content);
    expect(a.json.id).not.toBe(b.json.id);
    const short = await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { seed: 7, max_tokens: 3 }));
    expect(short.json.choices[0].finish_reason).toBe('length');
    expect(short.json.usage.completion_tokens).toBe(3);
    expect(countTokens(short.json.choices[0].message.content)).toBe(3);
  });

  it('streams data-only SSE frames: role+first token, tokens, empty delta, finish, [DONE]', async () => {
    const { url } = await fake();
    const whole = await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { seed: 3 }));
    const { res, text } = await stream(url, chat('qwen/qwen3-8b', { seed: 3 }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(text).not.toMatch(/^(event|id|:)/m);
    const payloads = frames(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p) as Json);
    const id = chunks[0]?.id as string;
    for (const c of chunks) {
      expect(Object.keys(c)).toEqual(['id', 'object', 'created', 'model', 'system_fingerprint', 'choices']);
      expect(c).toMatchObject({ id, object: 'chat.completion.chunk', model: 'qwen/qwen3-8b' });
    }
    const deltas = chunks.map((c) => c.choices[0]);
    expect(deltas[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: expect.any(String) },
      logprobs: null,
      finish_reason: null,
    });
    expect(deltas.at(-2)).toEqual({ index: 0, delta: { content: '' }, logprobs: null, finish_reason: null });
    expect(deltas.at(-1)).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    const content = deltas
      .slice(0, -2)
      .map((d) => d.delta.content)
      .join('');
    expect(content).toBe(whole.json.choices[0].message.content);
    expect(deltas.length - 2).toBe(whole.json.usage.completion_tokens);
  });

  it('adds the usage chunk (choices: []) only with stream_options.include_usage', async () => {
    const { url } = await fake();
    const { text } = await stream(url, chat('qwen/qwen3-8b', { stream_options: { include_usage: true } }));
    const payloads = frames(text);
    const usageChunk = JSON.parse(payloads.at(-2) as string) as Json;
    const finish = JSON.parse(payloads.at(-3) as string) as Json;
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(usageChunk).toMatchObject({ object: 'chat.completion.chunk', choices: [] });
    const contentFrames = payloads.length - 4; // tokens; then empty delta, finish, usage, [DONE]
    expect(usageChunk.usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: contentFrames,
      total_tokens: usageChunk.usage.prompt_tokens + contentFrames,
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const plain = frames((await stream(url, chat('qwen/qwen3-8b'))).text);
    expect(plain.some((p) => p.includes('"usage"'))).toBe(false);
  });

  it('/api/v0/chat/completions adds stats, model_info and runtime', async () => {
    const { url } = await fake();
    const { json } = await post(url, '/api/v0/chat/completions', chat('qwen/qwen3-8b', { max_tokens: 2 }));
    expect(json).toMatchObject({
      object: 'chat.completion',
      stats: {
        tokens_per_second: expect.any(Number),
        time_to_first_token: expect.any(Number),
        generation_time: expect.any(Number),
        stop_reason: 'maxPredictedTokensReached',
      },
      model_info: { arch: 'qwen3', quant: 'Q4_K_M', format: 'gguf', context_length: 4096 },
      runtime: {
        name: 'llama.cpp-mac-arm64-apple-metal-advsimd',
        version: '1.3.0',
        supported_formats: ['gguf'],
      },
    });
    const full = await post(url, '/api/v0/chat/completions', chat('qwen/qwen3-8b'));
    expect(full.json.stats.stop_reason).toBe('eosFound');
  });

  it('rejects reasoning_effort values LM Studio does not accept, with its exact body', async () => {
    const { url } = await fake();
    expect(
      await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { reasoning_effort: 'off' })),
    ).toMatchObject({
      status: 400,
      json: {
        error: {
          message:
            "Invalid 'reasoning_effort' value: 'off'. Supported values: none, minimal, low, medium, high, xhigh.",
          type: 'invalid_request_error',
          param: 'reasoning_effort',
          code: 'invalid_value',
        },
      },
    });
  });
});

describe('embeddings', () => {
  it('returns one unit vector per input in the documented shape, with zero usage', async () => {
    const { url } = await fake();
    const model = 'text-embedding-nomic-embed-text-v1.5';
    const { status, json } = await post(url, '/v1/embeddings', { model, input: ['hello', 'world'] });
    expect(status).toBe(200);
    expect(json).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', embedding: expect.any(Array), index: 0 },
        { object: 'embedding', embedding: expect.any(Array), index: 1 },
      ],
      model,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
    const vector = json.data[0].embedding as number[];
    expect(vector).toHaveLength(768);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    const again = await post(url, '/v1/embeddings', { model, input: 'hello' });
    expect(again.json.data[0].embedding).toEqual(vector);
  });

  it('refuses a chat model for embeddings and an embedding model for chat', async () => {
    const { url } = await fake();
    expect(await post(url, '/v1/embeddings', { model: 'qwen/qwen3-8b', input: 'x' })).toMatchObject({
      status: 400,
      json: { error: { param: 'model' } },
    });
    const chatted = await post(url, '/v1/chat/completions', chat('text-embedding-nomic-embed-text-v1.5'));
    expect(chatted).toMatchObject({ status: 400, json: { error: { param: 'model' } } });
  });
});

describe('JIT loading', () => {
  it('waits the load delay before the first byte, once; concurrent first requests share one load', async () => {
    const { url, sim } = await fake({ loadDelayMs: 250 });
    const started = performance.now();
    const [a, b] = await Promise.all([
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ ...chat('qwen/qwen3-8b'), stream: true }),
      }),
      post(url, '/v1/chat/completions', chat('qwen/qwen3-8b')),
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    await a.text();
    expect(b.status).toBe(200);
    expect(sim.instances().map((i) => [i.id, i.jit])).toEqual([['qwen/qwen3-8b', true]]);
    const warm = performance.now();
    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    expect(performance.now() - warm).toBeLessThan(200);
  });
});

describe('TTL and auto-evict (fake clock)', () => {
  const ttlOf = async (url: string, key: string) => {
    const models = (await get(url, '/api/v1/models')).json.models as Json[];
    return models.find((m) => m.key === key)?.loaded_instances.map((i: Json) => i.remaining_ttl_seconds);
  };

  it("unloads a JIT model after 3600 s idle; only the loading request's ttl counts", async () => {
    const { url, clock } = await fake();
    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([3600]);
    clock.advance(3599_000);
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([1]);
    clock.advance(1000);
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([]);
    expect((await get(url, '/api/v0/models/qwen/qwen3-8b')).json.state).toBe('not-loaded');

    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { ttl: 60 }));
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([60]);
    clock.advance(30_000);
    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b', { ttl: 5 }));
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([60]); // idle timer reset, ttl unchanged
    clock.advance(60_000);
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([]);
  });

  it('never unloads a model with work in flight; the idle timer starts when the work ends', async () => {
    const { url, sim, clock } = await fake({ tokenDelayMs: 20 });
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat('qwen/qwen3-8b', { max_tokens: 10 }), stream: true }),
    });
    clock.advance(2 * HOUR);
    expect(sim.sweep()).toEqual([]);
    expect(await ttlOf(url, 'qwen/qwen3-8b')).toEqual([3600]);
    await res.text();
    clock.advance(3599_000);
    expect(sim.sweep()).toEqual([]);
    clock.advance(1000);
    expect(sim.sweep()).toEqual(['qwen/qwen3-8b']);
  });

  it('never unloads explicitly loaded models by time', async () => {
    const { url, clock } = await fake({ preload: ['google/gemma-3-12b'] });
    await post(url, '/api/v1/models/load', { model: 'qwen/qwen3-8b' });
    clock.advance(100 * 24 * HOUR);
    const models = (await get(url, '/api/v1/models')).json.models as Json[];
    expect(models.flatMap((m) => m.loaded_instances.map((i: Json) => i.id))).toEqual([
      'qwen/qwen3-8b',
      'google/gemma-3-12b',
    ]);
  });

  it('auto-evict keeps at most one JIT model and leaves explicit loads alone', async () => {
    const { url, sim } = await fake({ preload: ['text-embedding-nomic-embed-text-v1.5'] });
    await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    await post(url, '/v1/chat/completions', chat('google/gemma-3-12b'));
    expect(sim.instances().map((i) => i.id)).toEqual([
      'text-embedding-nomic-embed-text-v1.5',
      'google/gemma-3-12b',
    ]);
    const keep = await fake({ autoEvict: false });
    await post(keep.url, '/v1/chat/completions', chat('qwen/qwen3-8b'));
    await post(keep.url, '/v1/chat/completions', chat('google/gemma-3-12b'));
    expect(keep.sim.instances().map((i) => i.id)).toEqual(['qwen/qwen3-8b', 'google/gemma-3-12b']);
  });
});

describe('parallel slots', () => {
  it('runs `parallel` predictions per instance and queues the rest in order', async () => {
    const { url, sim } = await fake({ parallel: 2, tokenDelayMs: 15, preload: ['qwen/qwen3-8b'] });
    const done: number[] = [];
    const headersAt: number[] = [];
    const requests = [0, 1, 2].map(async (n) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ ...chat('qwen/qwen3-8b', { max_tokens: 8 }), stream: true }),
      });
      headersAt[n] = performance.now();
      await res.text();
      done[n] = performance.now();
    });
    await waitFor(() => sim.instances()[0]?.queued === 1, 'a queued request');
    expect(sim.instances()[0]).toMatchObject({ active: 2, queued: 1 });
    await Promise.all(requests);
    expect(sim.instances()[0]).toMatchObject({ active: 0, queued: 0 });
    expect(headersAt[2]).toBeGreaterThanOrEqual(Math.min(done[0] ?? 0, done[1] ?? 0) - 5);
  });
});

describe('memory', () => {
  const models = [
    { key: 'big-a', sizeGb: 6 },
    { key: 'big-b', sizeGb: 6 },
    { key: 'small-c', sizeGb: 3 },
  ];
  const refusal = (model: string) => ({
    status: 500,
    json: {
      error: {
        message:
          `Failed to load model "${model}". Error: Model loading was stopped due to insufficient system resources. ` +
          'Under the current settings, this model requires approximately 6.00 GB of memory, and continuing to ' +
          'load it would likely overload your system and cause it to freeze. If you think this is incorrect, ' +
          'you can adjust the model loading guardrails in settings.',
        type: 'server_error',
        param: 'model',
        code: 'model_load_failed',
      },
    },
  });

  it('refuses explicit and JIT loads that do not fit; auto-evict makes room for a JIT load', async () => {
    const { url, sim } = await fake({ models, memoryGb: 10 });
    expect((await post(url, '/api/v1/models/load', { model: 'big-a' })).status).toBe(200);
    expect(await post(url, '/api/v1/models/load', { model: 'big-b' })).toMatchObject(refusal('big-b'));
    expect(await post(url, '/v1/chat/completions', chat('big-b'))).toMatchObject(refusal('big-b'));
    expect((await post(url, '/api/v1/models/load', { model: 'small-c' })).status).toBe(200);
    expect(sim.memory()).toEqual({ totalBytes: 10 * GIB, usedBytes: 9 * GIB });

    await post(url, '/api/v1/models/unload', { instance_id: 'big-a' });
    await post(url, '/api/v1/models/unload', { instance_id: 'small-c' });
    expect((await post(url, '/v1/chat/completions', chat('big-a'))).status).toBe(200);
    expect((await post(url, '/v1/chat/completions', chat('big-b'))).json.model).toBe('big-b');
    expect(sim.instances().map((i) => i.id)).toEqual(['big-b']);
  });
});

describe('quirks and model-not-found forms', () => {
  it('with one model loaded, any other name is answered by it with 200 (only response.model tells)', async () => {
    const { url } = await fake({ jit: false, preload: ['qwen/qwen3-8b'] });
    const { status, json } = await post(url, '/v1/chat/completions', chat('some/other-model'));
    expect(status).toBe(200);
    expect(json.model).toBe('qwen/qwen3-8b');
    const jit = await fake({ preload: ['qwen/qwen3-8b'] });
    expect((await post(jit.url, '/v1/chat/completions', chat('not-downloaded'))).json.model).toBe(
      'qwen/qwen3-8b',
    );
  });

  it('with two or more loaded, an unknown name is a 404 listing the loaded models', async () => {
    const { url } = await fake({ preload: ['qwen/qwen3-8b', 'google/gemma-3-12b'] });
    expect(await post(url, '/v1/chat/completions', chat('default'))).toMatchObject({
      status: 404,
      json: {
        error: {
          message:
            'Model "default" not found. Please specify a valid model.\n\nYour models:\n\nqwen/qwen3-8b\ngoogle/gemma-3-12b',
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      },
    });
  });

  it('nothing loaded: 400 code null (0.4) or 404 model_not_found (0.3)', async () => {
    const message =
      "No models loaded. Please load a model in the developer page or use the 'lms load' command.";
    const fleet: FakeLmStudios = await startFakeLmStudios(3, (i) => ({
      jit: i === 2,
      versionQuirk: i === 1 ? '0.3' : '0.4',
    }));
    running.push(fleet);
    const [v04, v03, cold] = fleet.urls as [string, string, string];
    expect(await post(v04, '/v1/chat/completions', chat('qwen/qwen3-8b'))).toMatchObject({
      status: 400,
      json: { error: { message, type: 'invalid_request_error', param: 'model', code: null } },
    });
    expect(await post(v03, '/v1/chat/completions', chat('qwen/qwen3-8b'))).toMatchObject({
      status: 404,
      json: { error: { message, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
    });
    expect(await post(cold, '/v1/chat/completions', chat('not-downloaded'))).toMatchObject({
      status: 400,
      json: { error: { message, code: null } },
    });
  });
});

describe('auth', () => {
  it('requires the Bearer token everywhere but the greeting', async () => {
    const key = 'sk-lm-abcd1234:abcdefghij0123456789';
    const { url } = await fake({ apiKey: key });
    expect((await get(url, '/lmstudio-greeting')).status).toBe(200);
    const missing = await get(url, '/v1/models');
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({
      error: {
        type: 'invalid_request',
        code: 'invalid_api_key',
        message: expect.stringContaining("'Authorization: Bearer $LM_API_TOKEN'"),
      },
    });
    expect(missing.json.error.message).toMatch(/^An LM Studio API token is required/);
    const wrong = await get(url, '/v1/models', { authorization: 'Bearer sk-lm-wrong' });
    expect(wrong).toMatchObject({ status: 401, json: { error: { code: 'invalid_api_key' } } });
    expect((await get(url, '/v1/models', { authorization: `Bearer ${key}` })).status).toBe(200);
  });
});

describe('faults', () => {
  it('down refuses connections until up, on the same port', async () => {
    const { url, sim } = await fake();
    await sim.faults.down();
    await expect(fetch(`${url}/lmstudio-greeting`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
    expect(sim.faults.snapshot().down).toBe(true);
    await sim.faults.up();
    expect(sim.url).toBe(url);
    expect((await get(url, '/lmstudio-greeting')).status).toBe(200);
  });

  it('down cuts requests in flight', async () => {
    const { url, sim } = await fake({ tokenDelayMs: 20 });
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat('qwen/qwen3-8b'), stream: true }),
    });
    await sim.faults.down();
    await expect(res.text()).rejects.toThrow();
  });

  it('slow adds latency before every request', async () => {
    const { url, sim } = await fake();
    sim.faults.slow(150);
    const started = performance.now();
    await get(url, '/lmstudio-greeting');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.faults.slow(0);
    const fast = performance.now();
    await get(url, '/lmstudio-greeting');
    expect(performance.now() - fast).toBeLessThan(140);
  });

  it('errors answers a share of requests with a server error', async () => {
    const { url, sim } = await fake();
    sim.faults.errors(1);
    expect(await get(url, '/v1/models')).toMatchObject({
      status: 500,
      json: {
        error: {
          message: 'Internal server error (simulated fault)',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
    });
    sim.faults.errors(1, 503);
    expect((await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'))).status).toBe(503);
    sim.faults.errors(0.5);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async () => (await fetch(`${url}/lmstudio-greeting`)).status),
    );
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    await sim.faults.clear();
    expect((await get(url, '/v1/models')).status).toBe(200);
  });

  it('disconnect destroys the socket after N SSE frames; a non-streaming answer never arrives', async () => {
    const { url, sim } = await fake();
    sim.faults.disconnectAfter(3);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat('qwen/qwen3-8b'), stream: true }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = '';
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += Buffer.from(value).toString();
        }
      })(),
    ).rejects.toThrow();
    expect(received.split('\n\n').filter(Boolean)).toHaveLength(3);
    await expect(
      fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat('qwen/qwen3-8b')) }),
    ).rejects.toThrow();
    sim.faults.disconnectAfter(null);
    expect((await post(url, '/v1/chat/completions', chat('qwen/qwen3-8b'))).status).toBe(200);
  });

  it('faults can be set from the start through the options', async () => {
    const { url, sim } = await fake({
      faults: [
        { kind: 'errors', rate: 1, status: 502 },
        { kind: 'slow', ms: 1 },
      ],
    });
    expect(sim.faults.snapshot()).toMatchObject({ errorRate: 1, errorStatus: 502, slowMs: 1 });
    expect((await get(url, '/v1/models')).status).toBe(502);
  });
});

describe('chorus sim lmstudio (child process)', () => {
  it('prints help, and exits 2 with a clear message on a bad fault', () => {
    const help = spawnSync(process.execPath, [CLI, 'sim', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: chorus sim lmstudio');
    const bad = spawnSync(process.execPath, [CLI, 'sim', 'lmstudio', '--port', '0', '--fault', 'slow:x'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('chorus sim: --fault slow:x: expected an integer from 0 to 600000');
  });

  it('prints its URL, answers like LM Studio, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'sim',
        'lmstudio',
        '--port',
        '0',
        '--models',
        'tiny-1b=1,other',
        '--memory',
        '4',
        '--token-delay',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      child.stdout.on('data', (b: Buffer) => {
        const m = /^LM Studio simulator: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(b.toString());
        if (m) resolve(m[1]!);
      });
    });
    expect(await get(url, '/lmstudio-greeting')).toMatchObject({ status: 200, json: { lmstudio: true } });
    const { json } = await post(url, '/v1/chat/completions', chat('tiny-1b'));
    expect(json.model).toBe('tiny-1b');
    expect((await get(url, '/api/v1/models')).json.models[0].size_bytes).toBe(GIB);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  });
});
