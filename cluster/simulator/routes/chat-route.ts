// POST /v1/chat/completions and /api/v0/chat/completions: a generated reply, whole or streamed as SSE in
// LM Studio's sequence (role+first token, tokens, empty delta, finish, optional usage chunk, [DONE]).
import type { ServerResponse } from 'node:http';
import {
  chatCompletion,
  chunk,
  completionId,
  usage,
  usageChunk,
  v0Extras,
  type Envelope,
  type Usage,
} from '../completion-shapes.js';
import { readJsonBody, sendError, sendJson } from '../http-io.js';
import type { LoadedInstance } from '../model-residency.js';
import type { RequestContext, RouteHandler } from '../simulator-context.js';
import { SseWriter } from '../sse.js';
import { generateReply, seedFrom, type GeneratedText } from '../text-generator.js';
import { parseChatRequest } from './chat-request.js';
import { useModel } from './model-use.js';

async function streamReply(
  ctx: RequestContext,
  env: Envelope,
  reply: GeneratedText,
  counts: Usage,
  includeUsage: boolean,
): Promise<void> {
  const { sim, signal } = ctx;
  const sse = new SseWriter(ctx.res, sim.faults.snapshot().disconnectAfterChunks);
  sse.start();
  for (const [i, token] of reply.tokens.entries()) {
    await sim.options.sleep(sim.options.tokenDelayMs, signal);
    if (!sse.send(chunk(env, i === 0 ? { role: 'assistant', content: token } : { content: token }))) return;
  }
  if (!sse.send(chunk(env, { content: '' }))) return;
  if (!sse.send(chunk(env, {}, reply.finishReason))) return;
  if (includeUsage && !sse.send(usageChunk(env, counts))) return;
  sse.done();
}

async function answerOnce(
  ctx: RequestContext,
  env: Envelope,
  reply: GeneratedText,
  counts: Usage,
  v0Instance: LoadedInstance | null,
): Promise<void> {
  const { sim, signal, res } = ctx;
  const { sleep, tokenDelayMs } = sim.options;
  const granted = performance.now();
  await sleep(tokenDelayMs, signal);
  const firstToken = performance.now();
  await sleep(tokenDelayMs * Math.max(0, reply.tokens.length - 1), signal);
  if (sim.faults.snapshot().disconnectAfterChunks !== null) {
    // The disconnect fault on a non-streaming answer: the host dies before any byte of it is sent.
    res.socket?.destroy();
    return;
  }
  const timings = {
    timeToFirstToken: (firstToken - granted) / 1000,
    generationTime: (performance.now() - firstToken) / 1000,
    completionTokens: counts.completion_tokens,
  };
  const body = chatCompletion(env, reply.text, reply.finishReason, counts);
  sendJson(res, 200, v0Instance ? { ...body, ...v0Extras(v0Instance, timings, reply.finishReason) } : body);
}

/** The handler for /v1/chat/completions, or with `v0` for /api/v0/chat/completions (adds the stats block). */
export function chatCompletions(v0: boolean): RouteHandler {
  return async (ctx) => {
    const res: ServerResponse = ctx.res;
    const body = await readJsonBody(ctx.req);
    if (!body.ok) return sendError(res, body.error);
    const parsed = parseChatRequest(body.value);
    if (!parsed.ok) return sendError(res, parsed.error);
    const { request } = parsed;
    const use = await useModel(ctx, request.model, 'chat', request.ttlSeconds);
    if (!use.ok) return sendError(res, use.error);
    try {
      const { instance } = use;
      const seed = request.seed ?? seedFrom(`${instance.model.key}\n${request.prompt}`);
      const reply = generateReply(seed, request.prompt, request.maxTokens);
      const env: Envelope = {
        id: completionId(ctx.sim.random),
        created: Math.floor(ctx.sim.options.clock.now() / 1000),
        model: instance.id,
      };
      const counts = usage(request.promptTokens, reply.tokens.length);
      if (request.stream) await streamReply(ctx, env, reply, counts, request.includeUsage);
      else await answerOnce(ctx, env, reply, counts, v0 ? instance : null);
    } finally {
      use.done();
    }
  };
}
