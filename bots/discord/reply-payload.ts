// What every post to Discord carries: mentions that ping nobody, text within Discord's limit, and for replies a
// nonce derived from the outbox row so Discord drops a resend of the same row.
import { createHash } from 'node:crypto';
import type { MessageMentionOptions } from 'discord.js';

/** Discord's limit for a message's content, in characters. */
export const DISCORD_MESSAGE_LIMIT = 2000;

/**
 * Nobody is pinged: no @everyone/@here, roles or users are parsed from the text, and a native reply does not
 * notify the author of the message it answers (`repliedUser: false`); the reply is still shown as a reply.
 */
export const NO_PINGS: MessageMentionOptions = { parse: [], repliedUser: false };

/**
 * The nonce for an outbox row (at most 25 characters, as Discord requires). With `enforceNonce`, Discord
 * answers a second create with the same nonce from the same author (within a few minutes) with the message
 * already created, so a row resent after a crash or a reconnect is never posted twice. The text's hash keeps
 * rows of a new data directory from colliding with the old one's ids.
 */
export function replyNonce(row: { id: number; text: string }): string {
  const hash = createHash('sha1').update(row.text).digest('base64url').slice(0, 10);
  return `c${row.id.toString(36)}.${hash}`;
}

/** Cuts a text to Discord's limit (previews of a reply still streaming may be longer). */
export function fitMessage(text: string): string {
  return text.length > DISCORD_MESSAGE_LIMIT ? `${text.slice(0, DISCORD_MESSAGE_LIMIT - 1)}…` : text;
}
