// Response shapes of the LM Studio endpoints the client uses (reference §1.3–1.9), validated with zod and
// mapped to the camelCase types of types.ts. Only what the client relies on is required; extra fields and
// unknown enum values pass, so a newer LM Studio does not break listing or chat.
import { z } from 'zod';
import type { LoadResult, ModelV0, ModelV1, UnloadResult, Usage } from './types.js';

const text = z.string();
const count = z.number().int().nonnegative();
const maybe = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** `T` with every property that may be undefined made optional and never undefined. */
type Compacted<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined fields, so optional properties are absent rather than undefined. */
function compact<T extends object>(value: T): Compacted<T> {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value as Compacted<T>;
}

export const greetingSchema = z.object({ lmstudio: z.literal(true) });

const modelV0 = z
  .object({
    id: text,
    type: text,
    state: text,
    publisher: maybe(text),
    arch: maybe(text),
    compatibility_type: maybe(text),
    quantization: maybe(text),
    max_context_length: maybe(count),
    loaded_context_length: maybe(count),
    capabilities: maybe(z.array(text)),
  })
  .transform((m): ModelV0 =>
    compact({
      id: m.id,
      type: m.type,
      state: m.state,
      publisher: m.publisher,
      arch: m.arch,
      compatibilityType: m.compatibility_type,
      quantization: m.quantization,
      maxContextLength: m.max_context_length,
      loadedContextLength: m.loaded_context_length,
      capabilities: m.capabilities ?? [],
    }),
  );

export const modelsV0Schema = z.object({ data: z.array(modelV0) }).transform((r) => r.data);

const loadedInstance = z
  .object({
    id: text,
    config: z.object({ context_length: count, parallel: maybe(count) }),
    remaining_ttl_seconds: maybe(z.number()),
  })
  .transform((i) =>
    compact({
      id: i.id,
      contextLength: i.config.context_length,
      parallel: i.config.parallel,
      remainingTtlSeconds: i.remaining_ttl_seconds,
    }),
  );

const modelV1 = z
  .object({
    key: text,
    type: text,
    display_name: maybe(text),
    publisher: maybe(text),
    architecture: maybe(text),
    quantization: maybe(z.object({ name: maybe(text), bits_per_weight: maybe(z.number()) })),
    size_bytes: count,
    params_string: maybe(text),
    max_context_length: maybe(count),
    format: maybe(text),
    loaded_instances: z.array(loadedInstance),
    capabilities: maybe(
      z.object({ vision: z.boolean().default(false), trained_for_tool_use: z.boolean().default(false) }),
    ),
  })
  .transform((m): ModelV1 =>
    compact({
      key: m.key,
      type: m.type,
      displayName: m.display_name,
      publisher: m.publisher,
      architecture: m.architecture,
      quantization: m.quantization && {
        name: m.quantization.name ?? null,
        bitsPerWeight: m.quantization.bits_per_weight ?? null,
      },
      sizeBytes: m.size_bytes,
      paramsString: m.params_string,
      maxContextLength: m.max_context_length,
      format: m.format ?? null,
      loadedInstances: m.loaded_instances,
      capabilities: m.capabilities && {
        vision: m.capabilities.vision,
        trainedForToolUse: m.capabilities.trained_for_tool_use,
      },
    }),
  );

export const modelsV1Schema = z.object({ models: z.array(modelV1) }).transform((r) => r.models);

export const loadSchema = z
  .object({
    type: text,
    instance_id: text,
    load_time_seconds: z.number().nonnegative(),
    status: text,
    load_config: maybe(z.record(z.unknown())),
  })
  .transform((r): LoadResult =>
    compact({
      type: r.type,
      instanceId: r.instance_id,
      loadTimeSeconds: r.load_time_seconds,
      status: r.status,
      loadConfig: r.load_config,
    }),
  );

export const unloadSchema = z
  .object({ instance_id: text })
  .transform((r): UnloadResult => ({ instanceId: r.instance_id }));

// The chunk schemas below run once per streamed token: they use plain `.nullish()` without transforms,
// which zod checks about ten times faster; mapping to camelCase happens in toUsage and the parser.
const usageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  completion_tokens_details: z.object({ reasoning_tokens: count.nullish() }).nullish(),
});

export function toUsage(u: z.output<typeof usageSchema>): Usage {
  const usage: Usage = {
    promptTokens: u.prompt_tokens,
    completionTokens: u.completion_tokens,
    totalTokens: u.total_tokens,
  };
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined && reasoning !== null) usage.reasoningTokens = reasoning;
  return usage;
}

export const embeddingsSchema = z.object({
  model: text,
  data: z.array(z.object({ embedding: z.array(z.number()), index: count })),
  usage: maybe(z.object({ prompt_tokens: count, total_tokens: count })),
});

// 0.4.24 sends reasoning as `reasoning_content`; the 0.3.23 changelog names it `reasoning` (gpt-oss).
const reasoningFields = { reasoning_content: text.nullish(), reasoning: text.nullish() };

export const chatCompletionSchema = z.object({
  id: text,
  model: text,
  choices: z
    .array(
      z.object({
        message: z.object({ content: text.nullish(), ...reasoningFields }),
        finish_reason: text.nullish(),
      }),
    )
    .min(1),
  usage: usageSchema.nullish(),
});

export const chatChunkSchema = z.object({
  id: text,
  model: text,
  choices: z.array(
    z.object({
      index: count.nullish(),
      delta: z.object({ content: text.nullish(), ...reasoningFields }).nullish(),
      finish_reason: text.nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
});

export type ChatChunk = z.output<typeof chatChunkSchema>;

/** The first validation problem, as `path: message`, for a bad_response error. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}
