// Discord's checks on message bodies (length, emptiness) with its exact error shapes, and applying an edit body to
// a stored message; shared by the channel, interaction and webhook routes.
import { MessageFlags, type MessageBook } from './messages.js';
import { error, ok, unknownMessage, type RouteResult } from './rest-server.js';
import { messageObject } from './shapes.js';
import type { FakeWorld } from './state.js';
import type { FakeMessage } from './types.js';

export const MAX_CONTENT = 2000;

/** A request body: whatever JSON the client sent. */
export type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function invalidForm(errors: object): RouteResult {
  return error(400, 50035, 'Invalid Form Body', errors);
}

/** Discord's checks on a message body; `creating` adds the "empty message" check. */
export function validateMessageBody(
  body: Body,
  creating: boolean,
  field = 'content',
): RouteResult | undefined {
  const content: unknown = body?.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    return invalidForm({
      [field]: { _errors: [{ code: 'BASE_TYPE_STRING', message: 'Must be a string.' }] },
    });
  }
  if (typeof content === 'string' && content.length > MAX_CONTENT) {
    return invalidForm({
      [field]: {
        _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CONTENT} or fewer in length.` }],
      },
    });
  }
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  const hasAnything =
    (typeof content === 'string' && content.length > 0) ||
    nonEmpty(body?.embeds) ||
    nonEmpty(body?.attachments) ||
    nonEmpty(body?.sticker_ids) ||
    nonEmpty(body?.components) ||
    body?.poll !== undefined;
  if (creating && !hasAnything) return error(400, 50006, 'Cannot send an empty message');
  return undefined;
}

/** Validates and applies an edit (content, embeds; clears the "thinking…" flag) and answers with the message. */
export function applyEdit(
  world: FakeWorld,
  book: MessageBook,
  body: Body,
  message: FakeMessage | undefined,
  visible = true,
): RouteResult {
  if (!message || message.deleted) return unknownMessage();
  const invalid = validateMessageBody(body, false);
  if (invalid) return invalid;
  book.update(
    message,
    {
      ...(typeof body?.content === 'string' && { content: body.content }),
      ...(Array.isArray(body?.embeds) && { embeds: body.embeds }),
      flags: message.flags & ~MessageFlags.Loading,
    },
    visible,
  );
  return ok(messageObject(world, message));
}
