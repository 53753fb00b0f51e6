// Reads the messages of a DiscordChatExporter JSON export: people's messages, without bots and system notices.
import { createReadStream } from 'node:fs';
import { parseJson } from '../../core/json-source.js';
import type { TrainingMessage } from '../training-input.js';
import { fileError, TrainingInputError } from './training-input-error.js';

/** Notices DiscordChatExporter fills with generated text ("Pinned a message."), not worth training on. */
const DISCORD_SYSTEM_TYPES = new Set([
  'RecipientAdd',
  'RecipientRemove',
  'Call',
  'ChannelNameChange',
  'ChannelIconChange',
  'ChannelPinnedMessage',
  'GuildMemberJoin',
  'ThreadCreated',
]);

/** How often (in messages) progress is reported while a parsed export is read. */
const JSON_PROGRESS_EVERY = 256;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function* readDiscordJson(
  file: string,
  size: number,
  maxJsonBytes: number,
  startIndex: number,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<TrainingMessage> {
  const tooBig = (bytes: number): TrainingInputError =>
    new TrainingInputError(
      file,
      undefined,
      `DiscordChatExporter JSON is ${bytes} bytes, over the ${maxJsonBytes}-byte limit for JSON ` +
        `input (split the export with DiscordChatExporter's --partition option)`,
    );
  if (size > maxJsonBytes) throw tooBig(size);

  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > maxJsonBytes) throw tooBig(read);
      chunks.push(chunk);
    }
  } catch (err) {
    throw fileError(file, err);
  }

  let data: unknown;
  {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, read));
    } catch {
      throw new TrainingInputError(file, undefined, 'invalid UTF-8');
    }
    chunks.length = 0;
    try {
      // parseJson names the line and column and, unlike V8's message, never quotes the input.
      data = parseJson(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new TrainingInputError(file, undefined, `invalid DiscordChatExporter JSON: ${reason}`);
    }
  }
  if (!isRecord(data) || !Array.isArray(data['messages'])) {
    throw new TrainingInputError(file, undefined, 'not a DiscordChatExporter export: no "messages" array');
  }

  const messages: unknown[] = data['messages'];
  const count = messages.length;
  for (let i = startIndex - 1; i < count; i++) {
    if (onBytes && i % JSON_PROGRESS_EVERY === 0) onBytes(Math.floor(read * (i / count)));
    const message = messages[i];
    if (!isRecord(message)) continue;
    const { id, type, content, author } = message;
    if (typeof content !== 'string') continue;
    if (isRecord(author) && author['isBot'] === true) continue;
    if (typeof type === 'string' && DISCORD_SYSTEM_TYPES.has(type)) continue;
    const text = content.trim();
    if (text === '') continue;
    const entry: TrainingMessage = { text, line: i + 1 };
    if (typeof id === 'string' || typeof id === 'number') entry.source = `discord:${id}`;
    yield entry;
  }
  onBytes?.(read);
}
