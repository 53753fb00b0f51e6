// The data shapes of the Signal client: its options, what the server reports about itself, what a bot sends,
// the groups it is in, and one received item normalised for the chat platform (see incoming.ts).
import type { Logger } from '../../../core/logger.js';

export interface SignalClientOptions {
  /** Origin of signal-cli-rest-api, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** The bot's account (E.164), used in every path and as `number` in send bodies. */
  number: string;
  /** Deadline in ms for every call; `receive()` waits its receive timeout plus this much. */
  timeoutMs: number;
  logger: Logger;
}

export interface SignalAbout {
  mode: 'normal' | 'native' | 'json-rpc';
  version: string;
  versions: string[];
  build?: number;
  capabilities?: Record<string, string[]>;
}

export interface OutgoingMessage {
  /** E.164 numbers, UUIDs, or ONE `group.…` id. */
  recipients: string[];
  message: string;
  quote?: { timestamp: number; author: string; text?: string };
  mentions?: { start: number; length: number; author: string }[];
  /** base64 or data: URIs. */
  attachments?: string[];
  textMode?: 'normal' | 'styled';
}

export interface SignalGroup {
  /** The `group.…` id that /v2/send, typing and reactions expect. */
  id: string;
  /** signal-cli's id, as incoming messages carry it in `groupInfo.groupId`. */
  internalId: string;
  name: string;
  members: string[];
}

export interface SignalMention {
  uuid?: string;
  number?: string;
  name?: string;
  start: number;
  length: number;
}

export interface SignalAttachment {
  id: string;
  contentType: string;
  filename?: string;
  size?: number;
}

export interface SignalIncoming {
  kind: 'message' | 'edit' | 'delete' | 'reaction';
  sourceUuid: string;
  sourceNumber: string | null;
  sourceName: string;
  sourceDevice: number;
  /** Envelope timestamp (ms). */
  timestamp: number;
  /** '' when none; for a reaction, its emoji. Mentions are U+FFFC placeholders (see textWithMentions). */
  text: string;
  /** dataMessage.groupInfo.groupId (the internal form); absent for a DM. */
  groupInternalId?: string;
  /** The group's name when the envelope carried it. */
  groupName?: string;
  mentions: SignalMention[];
  quote?: { id: number; authorUuid?: string; authorNumber?: string; text?: string };
  attachments: SignalAttachment[];
  /** Edit / delete / reaction target (the sent timestamp of the message acted on). */
  targetTimestamp?: number;
  /** Set for kind 'reaction'. */
  reaction?: { emoji: string; targetAuthorUuid?: string; targetAuthorNumber?: string; isRemove: boolean };
}
