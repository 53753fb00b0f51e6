// Reading JSON requests and writing JSON answers for the simulator's node:http server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest, type LmStudioError } from './lmstudio-errors.js';

/** LM Studio takes long prompts; this bounds memory, not realism. */
const BODY_LIMIT = 16 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: LmStudioError): void {
  sendJson(res, error.status, error.body);
}

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; error: LmStudioError };

/**
 * A JSON object body, or the error to answer. Interpretation: LM Studio's wording for unreadable bodies is
 * not captured; these are OpenAI-shaped 400s. The content-type is not checked (curl -d sends form-encoded).
 */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT)
      return { ok: false, error: invalidRequest(`Request body larger than ${BODY_LIMIT} bytes`, null) };
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { ok: false, error: invalidRequest('Request body is not valid JSON', null) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, error: invalidRequest('Request body must be a JSON object', null) };
  return { ok: true, value: body as Record<string, unknown> };
}
