// Input readers for `chorus train`: detect a file's format (plain text, TSV, DiscordChatExporter JSON) and
// stream its messages, refusing bad input with a TrainingInputError that names the file and line.
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readDiscordJson } from './training/discord-export.js';
import { splitLines } from './training/line-splitter.js';
import { fileError, TrainingInputError } from './training/training-input-error.js';

export { TrainingInputError } from './training/training-input-error.js';

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
/** TSV only: an IRC-style addressee prefix, `nick: ` or `nick, ` (one token of at most 32 characters). */
const NICK_PREFIX = /^(\S{1,32})[:,] /u;
/** Authors remembered per file for recognising addressee prefixes; bounded so a huge file stays flat. */
const MAX_AUTHORS = 200_000;
const TSV_SAMPLE_LINES = 20;
const TSV_MIN_SHARE = 0.8;
/** JSON progress is reported every this many messages. */
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
