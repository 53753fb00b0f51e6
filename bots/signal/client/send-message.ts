// POST /v2/send in both directions: the request body in the API's field names (reference §1.4), and the
// timestamp out of either response shape — 0.100's `{"timestamp":"…"}` or master's
// `[{"timestamp":"…","errors":{"recipients":[…]}}]` — as a number.
import type { Logger } from '../../../core/logger.js';
import { badResponse } from './errors.js';
import type { OutgoingMessage } from './types.js';

export function sendRequestBody(number: string, message: OutgoingMessage): Record<string, unknown> {
  const body: Record<string, unknown> = { number, recipients: message.recipients, message: message.message };
  if (message.textMode !== undefined) body['text_mode'] = message.textMode;
  if (message.attachments !== undefined && message.attachments.length > 0) {
    body['base64_attachments'] = message.attachments;
  }
  if (message.mentions !== undefined && message.mentions.length > 0) body['mentions'] = message.mentions;
  if (message.quote !== undefined) {
    body['quote_timestamp'] = message.quote.timestamp;
    body['quote_author'] = message.quote.author;
    if (message.quote.text !== undefined) body['quote_message'] = message.quote.text;
  }
  return body;
}

/** The sent message's timestamp; recipients master reports as failed are logged (the send as a whole succeeded). */
export function sendResponseTimestamp(
  endpoint: string,
  body: unknown,
  status: number,
  logger: Logger,
): number {
  const entry: unknown = Array.isArray(body) ? body[0] : body;
  const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  const value = record['timestamp'];
  const timestamp = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) {
    throw badResponse(
      endpoint,
      `no usable timestamp in the send response (${JSON.stringify(value)})`,
      status,
    );
  }
  const errors = record['errors'];
  const failed =
    typeof errors === 'object' && errors !== null
      ? (errors as Record<string, unknown>)['recipients']
      : undefined;
  if (Array.isArray(failed) && failed.length > 0) {
    const reasons = failed.map((f) =>
      typeof f === 'object' && f !== null ? (f as { reason?: unknown }).reason : f,
    );
    logger.warn('signal send: some recipients failed', { failed: failed.length, reasons });
  }
  return timestamp;
}
