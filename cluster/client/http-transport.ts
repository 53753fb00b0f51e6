// The HTTP seam of one server: an undici keep-alive Pool, the auth header, bounded body reads and JSON
// shape checks. Every failure leaves as an LmStudioError built by CallErrors.
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { SecretRedactor } from '../../core/secret.js';
import { CallErrors } from './call-errors.js';
import type { CallScope } from './call-scope.js';
import { readErrorBody, readErrorText } from './error-classification.js';
import type { ResolvedClientOptions } from './options.js';
import { describeIssue } from './schemas.js';

export interface EndpointCall {
  method: 'GET' | 'POST';
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** The model the request names, for error context. */
  model?: string;
  accept?: string;
}

export type Response = Dispatcher.ResponseData;

export class HttpTransport {
  readonly server: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #headers: Record<string, string>;
  readonly #maxBytes: number;
  /** Builds this server's errors (with the API key redacted from anything the server sent). */
  readonly errors: CallErrors;

  constructor(options: ResolvedClientOptions) {
    this.server = options.origin;
    this.#maxBytes = options.maxResponseBytes;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Pool(options.origin, {
        connections: options.connections,
        keepAliveTimeout: options.keepAliveTimeoutMs,
        connect: { timeout: options.connectTimeoutMs },
        // Every call carries its own deadline; undici's fixed 300 s timers would only cut long model loads.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    this.#headers = {};
    const redactor = new SecretRedactor();
    if (options.apiKey) {
      this.#headers.authorization = `Bearer ${options.apiKey.reveal()}`;
      redactor.add(options.apiKey);
    }
    this.errors = new CallErrors(this.server, redactor);
  }

  /** Sends the request; resolves with a 2xx response, throws the server's error for any other status. */
  async open(call: EndpointCall, scope: CallScope): Promise<Response> {
    const headers = { ...this.#headers, accept: call.accept ?? 'application/json' };
    let response: Response;
    try {
      response = await this.#dispatcher.request({
        origin: this.server,
        method: call.method,
        path: call.path,
        headers: call.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: scope.signal,
      });
    } catch (error) {
      throw this.errors.failure(call, scope, error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await this.readText(call, scope, response);
    if (response.statusCode < 400) {
      throw this.errors.badResponse(
        call,
        response.statusCode,
        `status ${response.statusCode} is not an answer`,
      );
    }
    throw this.errors.refusal(call, response.statusCode, readErrorText(text));
  }

  /** Sends the request and returns its JSON body checked against `schema`. */
  async json<T>(
    call: EndpointCall,
    scope: CallScope,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  ): Promise<T> {
    const response = await this.open(call, scope);
    const json = this.parseJson(call, response.statusCode, await this.readText(call, scope, response));
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw this.errors.badResponse(call, response.statusCode, describeIssue(parsed.error));
  }

  /** Parses a 2xx JSON body; a body that is an error object (LM Studio's 200-with-error) is a refusal. */
  parseJson(call: EndpointCall, status: number, text: string): unknown {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.errors.badResponse(call, status, 'the body is not JSON');
    }
    const error = readErrorBody(json);
    if (error) throw this.errors.refusal(call, status, error);
    return json;
  }

  /** Reads a whole body, at most `maxResponseBytes`. */
  async readText(call: EndpointCall, scope: CallScope, response: Response): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.#maxBytes) {
          response.body.destroy();
          throw this.errors.badResponse(
            call,
            response.statusCode,
            `the body is larger than ${this.#maxBytes} bytes`,
          );
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw this.errors.failure(call, scope, error);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Closes the client's own Pool (an injected dispatcher is left alone). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}
