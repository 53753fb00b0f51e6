// Chat-stream frames exactly as LM Studio 0.4.24 writes them (reference §1.8), for the client's tests.

export const FRAME_ID = 'chatcmpl-v1r6rjcojjpaew1ly70d';
export const FRAME_MODEL = 'google/gemma-4-e4b';

/** One `data:` chunk frame. */
export function chunkFrame(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  model = FRAME_MODEL,
): string {
  return `data: ${JSON.stringify({
    id: FRAME_ID,
    object: 'chat.completion.chunk',
    created: 1790614494,
    model,
    system_fingerprint: model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })}\n\n`;
}

/** The usage frame sent with `stream_options.include_usage` (22 prompt + 8 completion tokens). */
export function usageFrame(reasoningTokens: number, model = FRAME_MODEL): string {
  return `data: ${JSON.stringify({
    id: FRAME_ID,
    object: 'chat.completion.chunk',
    created: 1790614494,
    model,
    system_fingerprint: model,
    choices: [],
    usage: {
      prompt_tokens: 22,
      completion_tokens: 8,
      total_tokens: 30,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    },
  })}\n\n`;
}
