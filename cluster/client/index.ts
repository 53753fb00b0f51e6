// The LM Studio HTTP client: one LmStudioClient per server, typed errors with stable codes, and the pure
// stream parser (exported for tests and for anything that relays a recorded stream).
export { LmStudioClient } from './lmstudio-client.js';
export { ChatStream } from './chat-stream.js';
export { ChatStreamParser, ChatStreamFormatError, type ChatStreamItem } from './chat-stream-parser.js';
export { SseDecoder, SseLimitError, type SseEvent } from './sse-decoder.js';
export {
  DefaultLmStudioClientTuning,
  type LmStudioClientOptions,
  type LmStudioClientTuning,
} from './options.js';
export {
  LmStudioError,
  LmStudioResponseError,
  LmStudioServerError,
  LmStudioTransportError,
  type LmStudioErrorCode,
  type ReceivedSoFar,
  type ServerErrorBody,
  type ServerErrorCode,
  type TransportErrorCode,
} from './errors.js';
export { classifyServerError } from './error-classification.js';
export type {
  CallOptions,
  ChatMessage,
  ChatOptions,
  ChatReply,
  ChatRequest,
  ChatRole,
  ChatStreamEvent,
  EmbeddingsOptions,
  EmbeddingsResult,
  LoadedInstance,
  LoadOptions,
  LoadResult,
  ModelV0,
  ModelV1,
  UnloadResult,
  Usage,
} from './types.js';
