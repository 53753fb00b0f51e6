// Turns one received item (a polled array element or a websocket frame, `{"envelope":…,"account":…}`) into a
// SignalIncoming, or undefined for everything a bot ignores (reference §1.3): no envelope, decryption failures,
// receipts, typing, sync copies (a linked device sees everything the account sends), the bot's own messages,
// and data messages without text or attachments (group updates, expiration timers, profile keys).
import type { SignalAttachment, SignalIncoming, SignalMention } from './types.js';

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const nonEmpty = (v: unknown): string | undefined => {
  const s = asString(v);
  return s === undefined || s === '' ? undefined : s;
};

/** One received item normalised; undefined for anything a bot ignores. `ownUuid` also filters by UUID. */
export function parseIncoming(
  item: unknown,
  ownNumber: string,
  ownUuid?: string,
): SignalIncoming | undefined {
  const root = asObject(item);
  if (root === undefined || root['exception'] !== undefined) return undefined;
  const envelope = asObject(root['envelope']);
  if (envelope === undefined) return undefined;
  if (envelope['syncMessage'] !== undefined && envelope['syncMessage'] !== null) return undefined;

  const sourceNumber = nonEmpty(envelope['sourceNumber']) ?? null;
  const sourceUuid = nonEmpty(envelope['sourceUuid']) ?? nonEmpty(envelope['source']) ?? sourceNumber;
  if (sourceUuid === null) return undefined;
  const source = nonEmpty(envelope['source']);
  if (sourceNumber === ownNumber || source === ownNumber) return undefined;
  if (ownUuid !== undefined && sourceUuid === ownUuid) return undefined;

  const edit = asObject(envelope['editMessage']);
  const data = asObject(edit === undefined ? envelope['dataMessage'] : edit['dataMessage']);
  if (data === undefined) return undefined;
  const timestamp = asNumber(envelope['timestamp']) ?? asNumber(data['timestamp']);
  if (timestamp === undefined) return undefined;

  const base: SignalIncoming = {
    kind: 'message',
    sourceUuid,
    sourceNumber,
    sourceName: asString(envelope['sourceName']) ?? '',
    sourceDevice: asNumber(envelope['sourceDevice']) ?? 1,
    timestamp,
    text: asString(data['message']) ?? '',
    mentions: parseMentions(data['mentions']),
    attachments: parseAttachments(data['attachments']),
  };
  const groupInfo = asObject(data['groupInfo']);
  const groupId = nonEmpty(groupInfo?.['groupId']);
  if (groupId !== undefined) base.groupInternalId = groupId;
  const groupName = nonEmpty(groupInfo?.['groupName']);
  if (groupName !== undefined) base.groupName = groupName;
  const quote = parseQuote(data['quote']);
  if (quote !== undefined) base.quote = quote;

  const remoteDelete = asObject(data['remoteDelete']);
  if (remoteDelete !== undefined) {
    const target = asNumber(remoteDelete['timestamp']);
    return target === undefined ? undefined : { ...base, kind: 'delete', text: '', targetTimestamp: target };
  }
  const reaction = asObject(data['reaction']);
  if (reaction !== undefined) return withReaction(base, reaction);
  if (edit !== undefined) {
    const target = asNumber(edit['targetSentTimestamp']);
    return target === undefined ? undefined : { ...base, kind: 'edit', targetTimestamp: target };
  }
  if (base.text === '' && base.attachments.length === 0) return undefined;
  return base;
}

function withReaction(base: SignalIncoming, reaction: Json): SignalIncoming | undefined {
  const emoji = asString(reaction['emoji']);
  const target = asNumber(reaction['targetSentTimestamp']);
  if (emoji === undefined || target === undefined) return undefined;
  const detail: NonNullable<SignalIncoming['reaction']> = { emoji, isRemove: reaction['isRemove'] === true };
  const authorUuid = nonEmpty(reaction['targetAuthorUuid']);
  if (authorUuid !== undefined) detail.targetAuthorUuid = authorUuid;
  const authorNumber = nonEmpty(reaction['targetAuthorNumber']);
  if (authorNumber !== undefined) detail.targetAuthorNumber = authorNumber;
  return { ...base, kind: 'reaction', text: emoji, targetTimestamp: target, reaction: detail };
}

function parseMentions(value: unknown): SignalMention[] {
  if (!Array.isArray(value)) return [];
  const mentions: SignalMention[] = [];
  for (const entry of value) {
    const m = asObject(entry);
    const start = asNumber(m?.['start']);
    const length = asNumber(m?.['length']);
    if (m === undefined || start === undefined || length === undefined) continue;
    const mention: SignalMention = { start, length };
    const uuid = nonEmpty(m['uuid']);
    if (uuid !== undefined) mention.uuid = uuid;
    const number = nonEmpty(m['number']);
    if (number !== undefined) mention.number = number;
    const name = nonEmpty(m['name']);
    if (name !== undefined) mention.name = name;
    mentions.push(mention);
  }
  return mentions;
}

function parseAttachments(value: unknown): SignalAttachment[] {
  if (!Array.isArray(value)) return [];
  const attachments: SignalAttachment[] = [];
  for (const entry of value) {
    const a = asObject(entry);
    const id = nonEmpty(a?.['id']);
    if (a === undefined || id === undefined) continue;
    const attachment: SignalAttachment = {
      id,
      contentType: nonEmpty(a['contentType']) ?? 'application/octet-stream',
    };
    const filename = nonEmpty(a['filename']);
    if (filename !== undefined) attachment.filename = filename;
    const size = asNumber(a['size']);
    if (size !== undefined) attachment.size = size;
    attachments.push(attachment);
  }
  return attachments;
}

function parseQuote(value: unknown): SignalIncoming['quote'] {
  const q = asObject(value);
  const id = asNumber(q?.['id']);
  if (q === undefined || id === undefined) return undefined;
  const quote: NonNullable<SignalIncoming['quote']> = { id };
  const authorUuid = nonEmpty(q['authorUuid']);
  if (authorUuid !== undefined) quote.authorUuid = authorUuid;
  const authorNumber = nonEmpty(q['authorNumber']) ?? nonEmpty(q['author']);
  if (authorNumber !== undefined && authorNumber !== authorUuid) quote.authorNumber = authorNumber;
  const text = asString(q['text']);
  if (text !== undefined) quote.text = text;
  return quote;
}

/** The text with each mention's U+FFFC placeholder replaced by `@name` (or `name(mention)`), right to left. */
export function textWithMentions(
  incoming: Pick<SignalIncoming, 'text' | 'mentions'>,
  name?: (m: SignalMention) => string,
): string {
  let text = incoming.text;
  const ordered = [...incoming.mentions].sort((a, b) => b.start - a.start);
  for (const m of ordered) {
    if (m.start < 0 || m.start + m.length > text.length) continue;
    const label = name?.(m) ?? `@${m.name ?? m.number ?? m.uuid ?? 'someone'}`;
    text = text.slice(0, m.start) + label + text.slice(m.start + m.length);
  }
  return text;
}
