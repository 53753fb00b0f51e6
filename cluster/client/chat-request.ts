// The wire form of a chat request (camelCase → the snake_case body of reference §1.8) and of a non-streamed
// reply (the JSON completion → ChatReply).
import type { z } from 'zod';
import { toUsage, type chatCompletionSchema } from './schemas.js';
import type { ChatReply, ChatRequest } from './types.js';

const WIRE_NAMES = {
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  maxTokens: 'max_tokens',
  stop: 'stop',
  seed: 'seed',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
  repeatPenalty: 'repeat_penalty',
  ttlSeconds: 'ttl',
  reasoningEffort: 'reasoning_effort',
} as const satisfies Partial<Record<keyof ChatRequest, string>>;

/** The JSON body of `POST /v1/chat/completions`. Streaming asks for the usage chunk too. */
export function chatRequestBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request.extra };
  body.model = request.model;
  body.messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
  for (const [field, wire] of Object.entries(WIRE_NAMES) as [keyof typeof WIRE_NAMES, string][]) {
    const value = request[field];
    if (value !== undefined) body[wire] = value;
  }
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;
  return body;
}

export function replyFromCompletion(completion: z.output<typeof chatCompletionSchema>): ChatReply {
  // The schema requires at least one choice.
  const choice = completion.choices[0]!;
  return {
    id: completion.id,
    model: completion.model,
    text: choice.message.content ?? '',
    reasoning: choice.message.reasoning_content ?? choice.message.reasoning ?? '',
    finishReason: choice.finish_reason ?? null,
    usage: completion.usage ? toUsage(completion.usage) : null,
  };
}
