// The fake server's answers as pure functions of the request, with the real server's status codes and error
// texts (api.go / client.go of signal-cli-rest-api, reference §1.2–1.7): validation of /v2/send, typing,
// reactions and receive query parameters, the two rate-limit styles, and group entries.
import { createHash } from 'node:crypto';
import { recipientsError, usernameError } from './send-rules.js';

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
}

export interface FakeGroup {
  name: string;
  internalId: string;
  id: string;
  members: string[];
}

export const errorReply = (status: number, text: string): Reply => ({ status, json: { error: text } });
export const invalidRequest = (): Reply => errorReply(400, "Couldn't process request - invalid request");

export const WEBSOCKET_ONLY =
  "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header";

const BOOL_QUERY = [
  'ignore_attachments',
  'ignore_stories',
  'ignore_avatars',
  'ignore_stickers',
  'send_read_receipts',
];
const RATE_LIMIT_TEXT =
  "Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit restrictions via the '/v1/accounts/{number}/rate-limit-challenge' endpoint.";

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function aboutReply(mode: string): Reply {
  return {
    status: 200,
    json: {
      versions: ['v1', 'v2'],
      build: 2,
      mode,
      version: '0.100',
      capabilities: { 'v2/send': ['quotes', 'mentions'] },
    },
  };
}

/** Gin's BindJSON (no body or not an object → invalid request) plus the handlers' "… missing" checks. */
export function missingFields(body: unknown, required: string[]): Reply | undefined {
  const o = asRecord(body);
  if (o === undefined) return invalidRequest();
  for (const field of required) {
    const v = o[field];
    if (v === undefined || v === null || v === '' || v === 0) {
      return errorReply(400, `Couldn't process request - ${field} missing`);
    }
  }
  return undefined;
}

/** Receive's query checks in normal/native mode; the parsed timeout and max_messages when they pass. */
export function receiveQuery(
  query: Record<string, string>,
): Reply | { timeoutSeconds: number; maxMessages: number } {
  const timeout = query['timeout'] ?? '1';
  if (!/^-?\d+$/.test(timeout))
    return errorReply(400, "Couldn't process request - timeout needs to be numeric!");
  const max = query['max_messages'] ?? '0';
  if (!/^-?\d+$/.test(max))
    return errorReply(400, "Couldn't process request - max_messages needs to be numeric!");
  for (const name of BOOL_QUERY) {
    const value = query[name];
    if (value !== undefined && value !== 'true' && value !== 'false') {
      return errorReply(
        400,
        `Couldn't process request - ${name} parameter needs to be either 'true' or 'false'`,
      );
    }
  }
  return { timeoutSeconds: Number(timeout), maxMessages: Number(max) };
}

/** SendV2's checks in the real order; the send body with its recipients when it would be sent. */
export function checkSend(
  body: unknown,
  account: string,
): Reply | { body: Record<string, unknown>; recipients: string[] } {
  const o = asRecord(body);
  if (o === undefined) return invalidRequest();
  const stringArray = (v: unknown) =>
    v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  for (const field of [
    'number',
    'message',
    'recipient',
    'sticker',
    'text_mode',
    'quote_author',
    'quote_message',
  ]) {
    if (o[field] !== undefined && o[field] !== null && typeof o[field] !== 'string') return invalidRequest();
  }
  if (!stringArray(o['recipients']) || !stringArray(o['base64_attachments'])) return invalidRequest();
  const recipients = [...((o['recipients'] as string[] | undefined) ?? [])];
  if (typeof o['recipient'] === 'string' && o['recipient'] !== '') recipients.push(o['recipient']);
  if (recipients.length === 0) {
    return errorReply(400, "Couldn't process request - please provide at least one recipient");
  }
  const number = typeof o['number'] === 'string' ? o['number'] : '';
  if (number === '') return errorReply(400, "Couldn't process request - please provide a valid number");
  if (typeof o['sticker'] === 'string' && o['sticker'] !== '' && !o['sticker'].includes(':')) {
    return errorReply(400, "Couldn't process request - please provide valid sticker delimiter");
  }
  const attachments = (o['base64_attachments'] as string[] | undefined) ?? [];
  if (o['view_once'] === true && attachments.length === 0) {
    return errorReply(400, "'view_once' can only be set for image attachments!");
  }
  if (number !== account) return errorReply(400, `User ${number} is not registered.`);
  const problem = recipientsError(recipients) ?? usernameError(recipients);
  if (problem !== undefined) return errorReply(400, problem);
  if ((o['message'] ?? '') === '' && attachments.length === 0 && (o['sticker'] ?? '') === '') {
    return errorReply(
      400,
      'Sending empty message is not allowed, either a message, attachment or sticker must be given.',
    );
  }
  return { body: o, recipients };
}

/** json-rpc: 429 SendMessageError with challenge_tokens; normal/native: signal-cli's captcha text as a 400. */
export function rateLimitReply(mode: string, account: string, recipient: string, token: string): Reply {
  if (mode === 'json-rpc') {
    return { status: 429, json: { error: RATE_LIMIT_TEXT, challenge_tokens: [token], account } };
  }
  return errorReply(
    400,
    `CAPTCHA proof required for sending to "${recipient}", available options "RECAPTCHA, PUSH_CHALLENGE" with challenge token "${token}", or wait "86400" seconds.\n` +
      'Failed to send message due to rate limiting\n',
  );
}

/** A group with a stable 32-byte internal id derived from its name unless one is given. */
export function fakeGroup(spec: { name: string; internalId?: string; members: string[] }): FakeGroup {
  const internalId = spec.internalId ?? createHash('sha256').update(`group:${spec.name}`).digest('base64');
  return {
    name: spec.name,
    internalId,
    id: `group.${Buffer.from(internalId, 'utf8').toString('base64')}`,
    members: spec.members,
  };
}

/** GET /v1/groups' GroupEntry: every field the spec lists; master adds `member` (the account is in the group). */
export function groupEntry(group: FakeGroup, version: 'v0.100' | 'master'): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: group.name,
    description: '',
    id: group.id,
    internal_id: group.internalId,
    members: group.members,
    blocked: false,
    pending_invites: [],
    pending_requests: [],
    invite_link: '',
    admins: [],
    permissions: { add_members: 'every-member', edit_group: 'every-member', send_messages: 'every-member' },
  };
  if (version === 'master') entry['member'] = true;
  return entry;
}
