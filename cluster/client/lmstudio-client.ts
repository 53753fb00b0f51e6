// The HTTP client of one LM Studio server: chat (streamed or not), embeddings, model lists, load/unload and
// the greeting probe. Every call runs under its own deadline and the caller's signal; every failure is an
// LmStudioError with a stable code. Routing between servers is the cluster's job, not this client's.
import { CallScope } from './call-scope.js';
import { chatRequestBody, replyFromCompletion } from './chat-request.js';
import { ChatStreamParser } from './chat-stream-parser.js';
import { ChatStream } from './chat-stream.js';
import { EmbeddingMismatch, embedInBatches } from './embedding-batches.js';
import { HttpTransport, type EndpointCall } from './http-transport.js';
import { resolveClientOptions, type LmStudioClientOptions, type ResolvedClientOptions } from './options.js';
import {
  chatCompletionSchema,
  embeddingsSchema,
  greetingSchema,
  loadSchema,
  modelsV0Schema,
  modelsV1Schema,
  unloadSchema,
} from './schemas.js';
import type {
  CallOptions,
  ChatOptions,
  ChatReply,
  ChatRequest,
  EmbeddingsOptions,
  EmbeddingsResult,
  LoadOptions,
  LoadResult,
  ModelV0,
  ModelV1,
  UnloadResult,
} from './types.js';

const CHAT = '/v1/chat/completions';

export class LmStudioClient {
  /** The server's origin, e.g. `http://127.0.0.1:1234`. */
  readonly server: string;
  readonly #options: ResolvedClientOptions;
  readonly #http: HttpTransport;

  constructor(options: LmStudioClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#http = new HttpTransport(this.#options);
    this.server = this.#http.server;
  }

  /** `GET /lmstudio-greeting`: resolves when the server answers `{"lmstudio":true}`. */
  async greeting(options: CallOptions = {}): Promise<void> {
    const call: EndpointCall = { method: 'GET', path: '/lmstudio-greeting' };
    await this.#scoped(options, this.#options.probeTimeoutMs, (scope) =>
      this.#http.json(call, scope, greetingSchema),
    );
  }

  /** `GET /api/v0/models`: every downloaded model with its type and loaded state. */
  modelsV0(options: CallOptions = {}): Promise<ModelV0[]> {
    const call: EndpointCall = { method: 'GET', path: '/api/v0/models' };
    return this.#scoped(options, this.#options.requestTimeoutMs, (scope) =>
      this.#http.json(call, scope, modelsV0Schema),
    );
  }

  /** `GET /api/v1/models` (LM Studio 0.4.0+): sizes and loaded instances. */
  modelsV1(options: CallOptions = {}): Promise<ModelV1[]> {
    const call: EndpointCall = { method: 'GET', path: '/api/v1/models' };
    return this.#scoped(options, this.#options.requestTimeoutMs, (scope) =>
      this.#http.json(call, scope, modelsV1Schema),
    );
  }

  /** `POST /api/v1/models/load` (0.4.0+). Its deadline defaults to `loadTimeoutMs`. */
  load(model: string, options: LoadOptions = {}): Promise<LoadResult> {
    const body: Record<string, unknown> = { model };
    if (options.contextLength !== undefined) body.context_length = options.contextLength;
    if (options.evalBatchSize !== undefined) body.eval_batch_size = options.evalBatchSize;
    if (options.flashAttention !== undefined) body.flash_attention = options.flashAttention;
    if (options.numExperts !== undefined) body.num_experts = options.numExperts;
    if (options.offloadKvCacheToGpu !== undefined) body.offload_kv_cache_to_gpu = options.offloadKvCacheToGpu;
    if (options.echoLoadConfig !== undefined) body.echo_load_config = options.echoLoadConfig;
    const call: EndpointCall = { method: 'POST', path: '/api/v1/models/load', body, model };
    return this.#scoped(options, this.#options.loadTimeoutMs, (scope) =>
      this.#http.json(call, scope, loadSchema),
    );
  }

  /** `POST /api/v1/models/unload` (0.4.0+), by instance id (see `ModelV1.loadedInstances`). */
  unload(instanceId: string, options: CallOptions = {}): Promise<UnloadResult> {
    const call: EndpointCall = {
      method: 'POST',
      path: '/api/v1/models/unload',
      body: { instance_id: instanceId },
    };
    return this.#scoped(options, this.#options.requestTimeoutMs, (scope) =>
      this.#http.json(call, scope, unloadSchema),
    );
  }

  /** One whole chat reply; streamed underneath unless `stream: false`. */
  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatReply> {
    if (options.stream !== false) return (await this.chatStream(request, options)).collect(options.onText);
    const call: EndpointCall = {
      method: 'POST',
      path: CHAT,
      body: chatRequestBody(request, false),
      model: request.model,
    };
    const completion = await this.#scoped(options, this.#options.requestTimeoutMs, (scope) =>
      this.#http.json(call, scope, chatCompletionSchema),
    );
    return replyFromCompletion(completion);
  }

  /**
   * A streamed chat reply. Resolves once the server has accepted the request (its refusals reject here);
   * the deadline covers the whole stream.
   */
  async chatStream(request: ChatRequest, options: CallOptions = {}): Promise<ChatStream> {
    const call: EndpointCall = {
      method: 'POST',
      path: CHAT,
      body: chatRequestBody(request, true),
      model: request.model,
      accept: 'text/event-stream',
    };
    const scope = new CallScope(options.signal, options.deadlineMs ?? this.#options.requestTimeoutMs);
    try {
      const response = await this.#http.open(call, scope);
      const type = String(response.headers['content-type'] ?? '');
      if (!type.includes('text/event-stream')) {
        // A JSON answer here is an error body or a server that ignored `stream`.
        this.#http.parseJson(call, response.statusCode, await this.#http.readText(call, scope, response));
        throw this.#http.errors.badResponse(
          call,
          response.statusCode,
          `expected text/event-stream, got "${type}"`,
        );
      }
      return new ChatStream(response.body, new ChatStreamParser(this.#options.maxStreamEventChars), {
        failure: (error, received) => this.#http.errors.failure(call, scope, error, received),
        cut: (received) => this.#http.errors.interrupted(call, received, 'the body ended before [DONE]'),
        refused: (body, received) => this.#http.errors.refusal(call, 200, body, received),
        release: () => scope.dispose(),
      });
    } catch (error) {
      scope.dispose();
      throw this.#http.errors.failure(call, scope, error);
    }
  }

  /** `POST /v1/embeddings` in batches of `batchSize`; one vector per input, in input order. */
  async embeddings(
    inputs: readonly string[],
    model: string,
    options: EmbeddingsOptions = {},
  ): Promise<EmbeddingsResult> {
    const batchSize = options.batchSize ?? this.#options.embeddingBatchSize;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
    const path = '/v1/embeddings';
    return this.#scoped(options, this.#options.requestTimeoutMs, async (scope) => {
      let call: EndpointCall = { method: 'POST', path, model };
      try {
        const result = await embedInBatches(inputs, batchSize, (batch) => {
          call = { method: 'POST', path, model, body: { model, input: batch } };
          return this.#http.json(call, scope, embeddingsSchema);
        });
        return { ...result, model: result.model ?? model };
      } catch (error) {
        if (error instanceof EmbeddingMismatch) throw this.#http.errors.badResponse(call, 200, error.message);
        throw error;
      }
    });
  }

  /** Closes the keep-alive connections (waits for running requests). */
  close(): Promise<void> {
    return this.#http.close();
  }

  async #scoped<T>(
    options: CallOptions,
    defaultMs: number,
    run: (scope: CallScope) => Promise<T>,
  ): Promise<T> {
    const scope = new CallScope(options.signal, options.deadlineMs ?? defaultMs);
    try {
      return await run(scope);
    } finally {
      scope.dispose();
    }
  }
}
