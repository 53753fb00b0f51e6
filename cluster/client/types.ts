// The client's public data types: what goes to an LM Studio server and what comes back, in camelCase.
// Wire names (snake_case) stay inside schemas.ts and chat-request.ts.

/** Every call takes these. */
export interface CallOptions {
  /** Aborts the call (the error's code is then `aborted`). */
  signal?: AbortSignal;
  /** Milliseconds the whole call may take, body included; the client's default for the endpoint otherwise. */
  deadlineMs?: number;
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A `POST /v1/chat/completions` request. Unset fields are left to the server. */
export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string | readonly string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  repeatPenalty?: number;
  /** Idle TTL in seconds, applied by LM Studio only if this request JIT-loads the model. */
  ttlSeconds?: number;
  /** `none | minimal | low | medium | high | xhigh`; other values are refused with 400. */
  reasoningEffort?: string;
  /** Further body fields, sent as given (snake_case). Typed fields above win over these. */
  extra?: Readonly<Record<string, unknown>>;
}

export interface ChatOptions extends CallOptions {
  /** Stream the reply over SSE (default) or ask for one JSON body. */
  stream?: boolean;
  /** While streaming: called with the whole text so far and the model answering, after each content chunk. */
  onText?: (text: string, model: string) => void;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
}

/** One event of a streamed chat reply. */
export type ChatStreamEvent =
  /** The first chunk arrived; `model` is the model that is answering (compare it with the one requested). */
  | { type: 'start'; id: string; model: string }
  | { type: 'content'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'usage'; usage: Usage }
  /** The reply is complete. `finishReason` is e.g. 'stop', 'length' or 'tool_calls'. */
  | { type: 'done'; id: string; model: string; finishReason: string | null };

/** A whole chat reply. */
export interface ChatReply {
  id: string;
  /** The model as the server reported it: LM Studio may answer with another model than the one asked for. */
  model: string;
  text: string;
  reasoning: string;
  finishReason: string | null;
  /** Absent when the server did not report usage. */
  usage: Usage | null;
}

export interface EmbeddingsOptions extends CallOptions {
  /** Inputs per request; the client's `embeddingBatchSize` otherwise. */
  batchSize?: number;
}

export interface EmbeddingsResult {
  /** The model as the server reported it (LM Studio adds the `@quant` suffix). */
  model: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: { promptTokens: number; totalTokens: number };
}

/** An entry of `GET /api/v0/models`. */
export interface ModelV0 {
  id: string;
  /** 'llm', 'vlm' or 'embeddings' (other values are passed through). */
  type: string;
  /** 'loaded' or 'not-loaded' (other values are passed through). */
  state: string;
  publisher?: string;
  arch?: string;
  /** 'gguf' or 'mlx'. */
  compatibilityType?: string;
  quantization?: string;
  maxContextLength?: number;
  /** Present when loaded. */
  loadedContextLength?: number;
  capabilities: string[];
}

export interface LoadedInstance {
  id: string;
  /** The real context window of this instance (may be far below the model's maximum). */
  contextLength: number;
  parallel?: number;
  /** Observed in LM Studio 0.4.24, undocumented. */
  remainingTtlSeconds?: number;
}

/** An entry of `GET /api/v1/models`. */
export interface ModelV1 {
  key: string;
  /** 'llm' or 'embedding' (other values are passed through). */
  type: string;
  displayName?: string;
  publisher?: string;
  architecture?: string;
  quantization?: { name: string | null; bitsPerWeight: number | null };
  sizeBytes: number;
  paramsString?: string;
  maxContextLength?: number;
  /** 'gguf', 'mlx' or null. */
  format: string | null;
  loadedInstances: LoadedInstance[];
  capabilities?: { vision: boolean; trainedForToolUse: boolean };
}

export interface LoadOptions extends CallOptions {
  contextLength?: number;
  evalBatchSize?: number;
  flashAttention?: boolean;
  numExperts?: number;
  offloadKvCacheToGpu?: boolean;
  /** Ask the server to echo the configuration it used (`loadConfig` in the result). */
  echoLoadConfig?: boolean;
}

export interface LoadResult {
  type: string;
  instanceId: string;
  loadTimeSeconds: number;
  status: string;
  /** Only with `echoLoadConfig`; passed through as the server sent it. */
  loadConfig?: Record<string, unknown>;
}

export interface UnloadResult {
  instanceId: string;
}
