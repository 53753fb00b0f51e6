// Input readers for `chorus train`: detect a file's format (plain text, TSV, DiscordChatExporter JSON) and
// stream its messages, refusing bad input with a TrainingInputError that names the file and line.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';

export type TrainingFormat = 'text' | 'tsv' | 'discord-json';

export interface TrainingMessage {
  text: string;
  /** 1-based line (text/tsv) or message index (json) for error messages */
  line: number;
  /** DiscordChatExporter JSON only: `discord:<message id>` (absent when the message has no id). */
  source?: string;
}

export interface ReadTrainingOptions {
  /** Called with the bytes read so far as the file is read (for a progress bar); ends at the file size. */
  onBytes?: (bytes: number) => void;
  /** Longest line accepted in text/TSV files (default 1 MiB). */
  maxLineBytes?: number;
  /** Resume: skip messages before this line (text/TSV) or message index (JSON); 1-based, default 1. */
  startLine?: number;
  /** Largest DiscordChatExporter JSON file accepted (default 512 MB), since it is parsed whole. */
  maxJsonBytes?: number;
}

export class TrainingInputError extends Error {
  readonly code = 'CHORUS_TRAINING_INPUT';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = 'TrainingInputError';
  }
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/**
 * A DiscordChatExporter export is read whole and parsed with JSON.parse, which is simple and fast but holds
 * the text and the parsed tree in memory at once (a few times the file size). 512 MB keeps that within
 * reason and stays below V8's longest string (2^29 - 24 characters); bigger exports should be split with
 * DiscordChatExporter's --partition option.
 */
export const DEFAULT_MAX_JSON_BYTES = 512_000_000;
/** Bytes of a file's start that format and binary detection look at. */
export const HEAD_BYTES = 64 * 1024;

const BINARY_MESSAGE = 'binary content: not a text, TSV or DiscordChatExporter JSON file';
/** Extensions of archives, images, documents and executables, refused before reading. */
// prettier-ignore
const REFUSED_EXTENSIONS = new Set([
  '.zip', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.7z', '.rar', '.tar',
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.ico', '.tif', '.tiff',
  '.pdf', '.doc', '.docx', '.xls', '.xlsx', '.odt',
  '.exe', '.dll', '.so', '.dylib', '.bin', '.class', '.jar', '.pyc', '.wasm',
  '.mp3', '.mp4', '.wav', '.ogg', '.webm', '.mov', '.mkv', '.flac',
  '.sqlite', '.sqlite3',
]);
/** DiscordChatExporter message types that are system notifications with generated text ("Pinned a message."). */
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
/** TSV only: an IRC-style addressee prefix, `nick: ` or `nick, ` (one token of at most 32 characters). */
const NICK_PREFIX = /^(\S{1,32})[:,] /u;
/** Authors remembered per file for recognising addressee prefixes; bounded so a huge file stays flat. */
const MAX_AUTHORS = 200_000;
const TSV_SAMPLE_LINES = 20;
const TSV_MIN_SHARE = 0.8;
/** JSON progress is reported every this many messages. */
const JSON_PROGRESS_EVERY = 256;

function refuseUnsupportedExtension(file: string): void {
  const ext = extname(file).toLowerCase();
  if (REFUSED_EXTENSIONS.has(ext)) {
    throw new TrainingInputError(
      file,
      undefined,
      `unsupported file type ${ext}: expected plain text, TSV or DiscordChatExporter JSON`,
    );
  }
}

function isControlByte(b: number): boolean {
  // Tab, LF, CR, form feed and ESC (ANSI colours in logs) occur in real text.
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f;
}

/** Whether a sampled line looks like a TSV row: at least 3 tab-separated fields, the first one non-empty. */
function isTsvRow(line: string): boolean {
  const first = line.indexOf('\t');
  return first > 0 && line.indexOf('\t', first + 1) !== -1;
}

/**
 * The format of a file from its name and its first bytes (the first HEAD_BYTES are looked at). Throws a
 * TrainingInputError for a refused extension, an empty file and binary content (a NUL byte, or more than 30%
 * control bytes). A file whose first non-whitespace character is `{` is DiscordChatExporter JSON; one whose
 * first non-empty lines are mostly (80%) rows of 3 or more tab-separated fields is TSV; anything else is text.
 */
export function detectFormat(file: string, head: Buffer): TrainingFormat {
  refuseUnsupportedExtension(file);
  if (head.length === 0) throw new TrainingInputError(file, undefined, 'empty file: nothing to train on');
  const sample = head.subarray(0, HEAD_BYTES);
  let control = 0;
  for (const b of sample) {
    if (b === 0) throw new TrainingInputError(file, undefined, BINARY_MESSAGE);
    if (isControlByte(b)) control++;
  }
  if (control > sample.length * 0.3) throw new TrainingInputError(file, undefined, BINARY_MESSAGE);

  let i = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
  while (
    i < sample.length &&
    (sample[i] === 0x20 || sample[i] === 0x09 || sample[i] === 0x0a || sample[i] === 0x0d)
  )
    i++;
  if (sample[i] === 0x7b /* { */) return 'discord-json';
  if (extname(file).toLowerCase() === '.json' && i < sample.length) {
    throw new TrainingInputError(
      file,
      undefined,
      'not a DiscordChatExporter export: a .json file must hold a JSON object',
    );
  }

  // Tabs and newlines are ASCII, so latin1 is enough to count fields. A full head may end mid-line: drop it.
  let text = sample.toString('latin1');
  const lastNewline = text.lastIndexOf('\n');
  if (head.length >= HEAD_BYTES && lastNewline !== -1) text = text.slice(0, lastNewline);
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, TSV_SAMPLE_LINES);
  const rows = lines.filter(isTsvRow).length;
  return lines.length > 0 && rows >= Math.ceil(lines.length * TSV_MIN_SHARE) ? 'tsv' : 'text';
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/** A TrainingInputError for a failed file-system call (passes TrainingInputErrors through). */
function fileError(file: string, err: unknown): TrainingInputError {
  if (err instanceof TrainingInputError) return err;
  switch (errorCode(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new TrainingInputError(file, undefined, 'file not found');
    case 'EISDIR':
      return new TrainingInputError(file, undefined, 'is a directory, not a file');
    case 'EACCES':
    case 'EPERM':
      return new TrainingInputError(file, undefined, 'permission denied');
    default:
      return new TrainingInputError(
        file,
        undefined,
        `cannot read: ${err instanceof Error ? err.message : String(err)}`,
      );
  }
}

async function fileSize(file: string): Promise<number> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    throw fileError(file, err);
  }
  if (info.isDirectory()) throw new TrainingInputError(file, undefined, 'is a directory, not a file');
  if (!info.isFile()) throw new TrainingInputError(file, undefined, 'not a regular file');
  return info.size;
}

async function readHead(file: string, size: number): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw fileError(file, err);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/** The authors (the field before the text) of a TSV file, lower-cased: a first pass, so a nick addressed before
 * its owner first speaks is still recognised. Undecodable lines are left to the main pass to report. */
async function tsvAuthors(file: string, maxLineBytes: number): Promise<Set<string>> {
  const authors = new Set<string>();
  const decoder = new TextDecoder('utf-8');
  for await (const { bytes } of splitLines(file, maxLineBytes, undefined)) {
    if (authors.size >= MAX_AUTHORS) break;
    const text = decoder.decode(bytes);
    const last = text.lastIndexOf('\t');
    const before = last > 0 ? text.lastIndexOf('\t', last - 1) : -1;
    if (before >= 0)
      authors.add(
        text
          .slice(before + 1, last)
          .trim()
          .toLowerCase(),
      );
  }
  return authors;
}

/**
 * Streams the messages of one file without loading text/TSV files whole; calls onBytes(bytesReadSoFar) as
 * it goes for progress.
 *
 * - Text: one message per line. TSV: the last field of rows with 3 or more fields (other lines are
 *   ignored), after stripping an IRC addressee prefix (`nick: ` / `nick, `, see NICK_PREFIX) when the nick
 *   has already appeared in the author column (the field before the text), so interjections such as
 *   "ok, ..." or "Hi, ..." keep their first word. TSV only: in plain text "Note: ..." is prose.
 * - DiscordChatExporter JSON: the `content` of messages not written by a bot, skipping system notifications
 *   (joins, pins, ...). Parsed whole (see DEFAULT_MAX_JSON_BYTES); onBytes apportions the file size by
 *   message index as messages are yielded.
 * - Messages are trimmed; blank lines and whitespace-only messages are skipped; CRLF is handled.
 */
export async function* readTrainingFile(
  file: string,
  options: ReadTrainingOptions = {},
): AsyncGenerator<TrainingMessage> {
  const maxLineBytes = positiveInteger('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const startLine = positiveInteger('startLine', options.startLine ?? 1);
  const maxJsonBytes = positiveInteger('maxJsonBytes', options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES);
  refuseUnsupportedExtension(file);
  const size = await fileSize(file);
  const format = detectFormat(file, await readHead(file, size));
  if (format === 'discord-json') {
    yield* readDiscordJson(file, size, maxJsonBytes, startLine, options.onBytes);
    return;
  }
  const tsv = format === 'tsv';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const authors = tsv ? await tsvAuthors(file, maxLineBytes) : new Set<string>();
  for await (const { line, bytes } of splitLines(file, maxLineBytes, options.onBytes)) {
    if (line < startLine || bytes.length === 0) continue;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new TrainingInputError(file, line, 'invalid UTF-8');
    }
    if (tsv) {
      const first = text.indexOf('\t');
      const last = text.lastIndexOf('\t');
      if (first === -1 || first === last) continue;
      text = text.slice(last + 1).trimStart();
      const prefix = NICK_PREFIX.exec(text);
      if (prefix && authors.has((prefix[1] as string).toLowerCase())) text = text.slice(prefix[0].length);
    }
    text = text.trim();
    if (text !== '') yield { text, line };
  }
}

/**
 * The lines of a file as Buffers (without the LF or a trailing CR), numbered from 1. A line longer than
 * maxLineBytes is counted to its end but never held: once over the limit its bytes are dropped, then a
 * TrainingInputError reports its length.
 */
async function* splitLines(
  file: string,
  maxLineBytes: number,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<{ line: number; bytes: Buffer }> {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line when it is over the limit (its bytes are no longer held), else -1. */
  let overflow = -1;
  let lastByte = -1;
  let line = 0;
  let read = 0;

  const take = (segment: Buffer): void => {
    if (segment.length === 0) return;
    lastByte = segment[segment.length - 1] ?? -1;
    if (overflow >= 0) {
      overflow += segment.length;
    } else if (held + segment.length > maxLineBytes + 1 /* room for a CR */) {
      overflow = held + segment.length;
      parts = [];
      held = 0;
    } else {
      parts.push(segment);
      held += segment.length;
    }
  };
  const end = (): Buffer => {
    line++;
    const cr = lastByte === 0x0d ? 1 : 0;
    if (overflow >= 0) {
      throw new TrainingInputError(
        file,
        line,
        `line is ${overflow - cr} bytes, over the ${maxLineBytes}-byte limit`,
      );
    }
    const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, held);
    const bytes = whole.subarray(0, held - cr);
    if (bytes.length > maxLineBytes) {
      throw new TrainingInputError(
        file,
        line,
        `line is ${bytes.length} bytes, over the ${maxLineBytes}-byte limit`,
      );
    }
    parts = [];
    held = 0;
    lastByte = -1;
    return bytes;
  };

  try {
    for await (const chunk of createReadStream(file, {
      highWaterMark: HEAD_BYTES,
    }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      onBytes?.(read);
      let pos = 0;
      for (;;) {
        const newline = chunk.indexOf(0x0a, pos);
        if (newline === -1) {
          take(chunk.subarray(pos));
          break;
        }
        take(chunk.subarray(pos, newline));
        const bytes = end();
        yield { line, bytes };
        pos = newline + 1;
      }
    }
  } catch (err) {
    throw fileError(file, err);
  }
  if (held > 0 || overflow >= 0) {
    const bytes = end();
    yield { line, bytes };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function* readDiscordJson(
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
      data = JSON.parse(text);
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
