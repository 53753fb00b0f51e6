// The JSON of chat completions, byte-for-byte in the shapes of LM Studio 0.4.24 captures (reference §1.8,
// §1.10): the non-streaming answer, stream chunks, the usage chunk and the /api/v0 stats block.
import type { Random } from '../../core/random.js';
import type { LoadedInstance } from './model-residency.js';

export interface Envelope {
  id: string;
  created: number;
  /** The answering instance's identifier: `response.model` and `system_fingerprint`. */
  model: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `chatcmpl-` + 21 lowercase alphanumerics, like every captured id. */
export function completionId(random: Random): string {
  let id = 'chatcmpl-';
  for (let i = 0; i < 21; i++) id += ID_CHARS[Math.floor(random() * ID_CHARS.length)];
  return id;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export function chatCompletion(
  env: Envelope,
  content: string,
  finishReason: string,
  counts: Usage,
  stats: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: env.id,
    object: 'chat.completion',
    created: env.created,
    model: env.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, reasoning_content: '', tool_calls: [] },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: counts,
    stats,
    system_fingerprint: env.model,
  };
}

/** One stream chunk; `delta` is `{role, content}` first, `{content}` after, `{}` with the finish reason. */
export function chunk(
  env: Envelope,
  delta: Record<string, string>,
  finishReason: string | null = null,
): Record<string, unknown> {
  return {
    id: env.id,
    object: 'chat.completion.chunk',
    created: env.created,
    model: env.model,
    system_fingerprint: env.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** Sent only with `stream_options.include_usage: true`, after the finish chunk. */
export function usageChunk(env: Envelope, counts: Usage): Record<string, unknown> {
  return {
    id: env.id,
    object: 'chat.completion.chunk',
    created: env.created,
    model: env.model,
    system_fingerprint: env.model,
    choices: [],
    usage: counts,
  };
}

export interface Timings {
  /** Seconds from the slot being granted to the first token. */
  timeToFirstToken: number;
  /** Seconds spent producing tokens. */
  generationTime: number;
  completionTokens: number;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** The fields /api/v0/chat/completions adds: `stats`, `model_info`, `runtime` (§1.10). */
export function v0Extras(
  instance: LoadedInstance,
  timings: Timings,
  finishReason: string,
): Record<string, unknown> {
  const { model } = instance;
  // A millisecond at least: a simulator without token delay would otherwise report 0 tokens per second.
  const perSecond = timings.completionTokens / Math.max(timings.generationTime, 0.001);
  return {
    stats: {
      tokens_per_second: round(perSecond, 2),
      time_to_first_token: round(timings.timeToFirstToken, 3),
      generation_time: round(timings.generationTime, 3),
      stop_reason: finishReason === 'length' ? 'maxPredictedTokensReached' : 'eosFound',
    },
    model_info: {
      arch: model.arch,
      quant: model.quantization,
      format: model.format,
      context_length: instance.contextLength,
    },
    runtime:
      model.format === 'mlx'
        ? {
            name: 'mlx-llm-mac-arm64-apple-metal-advsimd',
            version: '0.13.1',
            supported_formats: ['safetensors'],
          }
        : { name: 'llama.cpp-mac-arm64-apple-metal-advsimd', version: '1.3.0', supported_formats: ['gguf'] },
  };
}
