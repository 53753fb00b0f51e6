// Reading a chat completion request: the fields the simulator acts on, or the 400 to answer. Parameters that
// only shape real sampling (temperature, top_p, stop, tools…) are accepted and ignored.
import { invalidReasoningEffort, invalidRequest, type LmStudioError } from '../lmstudio-errors.js';
import { countTokens } from '../text-generator.js';

export interface ChatRequest {
  model: string | undefined;
  /** The messages' text, joined: what the reply echoes topics from and the seed is hashed from. */
  prompt: string;
  promptTokens: number;
  stream: boolean;
  includeUsage: boolean;
  /** Null: no limit (absent, or LM Studio's -1). */
  maxTokens: number | null;
  seed: number | undefined;
  /** Seconds; applies only if this request JIT-loads the model. */
  ttlSeconds: number | undefined;
}

const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
/** Tokens a chat template adds per message (role markers) and to prime the reply; an estimate. */
const TEMPLATE_TOKENS_PER_MESSAGE = 4;
const TEMPLATE_TOKENS_REPLY = 3;

function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  if (!Array.isArray(content)) return undefined;
  // Content parts: only text parts carry words the simulator can use.
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .join(' ');
}

type Parsed = { ok: true; request: ChatRequest } | { ok: false; error: LmStudioError };

const fail = (error: LmStudioError): Parsed => ({ ok: false, error });

export function parseChatRequest(body: Record<string, unknown>): Parsed {
  const { model, messages, stream, stream_options: streamOptions, max_tokens: maxTokens, seed, ttl } = body;
  const effort = body.reasoning_effort;
  if (model !== undefined && typeof model !== 'string')
    return fail(invalidRequest("'model' must be a string", 'model'));
  if (!Array.isArray(messages) || messages.length === 0)
    return fail(invalidRequest("'messages' is required and must be a non-empty array", 'messages'));
  const texts: string[] = [];
  for (const [i, message] of messages.entries()) {
    const text =
      typeof message === 'object' && message !== null
        ? messageText((message as { content?: unknown }).content)
        : undefined;
    if (text === undefined)
      return fail(
        invalidRequest(`'messages[${i}].content' must be a string or an array of parts`, 'messages'),
      );
    texts.push(text);
  }
  if (effort !== undefined && !(typeof effort === 'string' && REASONING_EFFORTS.includes(effort)))
    return fail(invalidReasoningEffort(String(effort)));
  if (
    maxTokens !== undefined &&
    maxTokens !== -1 &&
    !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)
  )
    return fail(invalidRequest("'max_tokens' must be a positive integer or -1", 'max_tokens'));
  if (seed !== undefined && !Number.isInteger(seed))
    return fail(invalidRequest("'seed' must be an integer", 'seed'));
  if (ttl !== undefined && !(typeof ttl === 'number' && ttl > 0))
    return fail(invalidRequest("'ttl' must be a positive number of seconds", 'ttl'));
  const prompt = texts.join('\n');
  return {
    ok: true,
    request: {
      model: model === '' ? undefined : model,
      prompt,
      promptTokens:
        texts.reduce((sum, t) => sum + countTokens(t) + TEMPLATE_TOKENS_PER_MESSAGE, 0) +
        TEMPLATE_TOKENS_REPLY,
      stream: stream === true,
      includeUsage:
        typeof streamOptions === 'object' &&
        streamOptions !== null &&
        (streamOptions as { include_usage?: unknown }).include_usage === true,
      maxTokens: maxTokens === undefined || maxTokens === -1 ? null : (maxTokens as number),
      seed: seed as number | undefined,
      ttlSeconds: ttl as number | undefined,
    },
  };
}
