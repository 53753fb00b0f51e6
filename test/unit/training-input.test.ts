// The `chorus train` input readers: format detection, streaming of text/TSV/DiscordChatExporter JSON files,
// and a clear TrainingInputError for every kind of bad input.
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectFormat,
  readTrainingFile,
  TrainingInputError,
  type ReadTrainingOptions,
  type TrainingMessage,
} from '../../markov/training-input.js';

const CORPUS = new URL('../../../shared/corpus/ubuntu-irc.tsv', import.meta.url).pathname;
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) process.stderr.write(`training-input corpus test skipped: ${CORPUS} is absent\n`);

let dir: string;
let fileCount = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-training-input-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fixture(content: string | Buffer, name = `input-${++fileCount}.txt`): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function collect(file: string, options?: ReadTrainingOptions): Promise<TrainingMessage[]> {
  const out: TrainingMessage[] = [];
  for await (const message of readTrainingFile(file, options)) out.push(message);
  return out;
}

async function texts(file: string, options?: ReadTrainingOptions): Promise<string[]> {
  return (await collect(file, options)).map((m) => m.text);
}

/** Reads a file to its end and returns the TrainingInputError it fails with (and what came before it). */
async function failure(
  file: string,
  options?: ReadTrainingOptions,
): Promise<{ error: TrainingInputError; before: string[] }> {
  const before: string[] = [];
  try {
    for await (const message of readTrainingFile(file, options)) before.push(message.text);
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingInputError);
    return { error: error as TrainingInputError, before };
  }
  throw new Error(`expected ${file} to be refused`);
}

interface DiscordMessageFixture {
  id: string;
  type: string;
  content: string;
  bot: boolean;
}

function discordExport(messages: DiscordMessageFixture[]): string {
  return JSON.stringify(
    {
      guild: { id: '100', name: 'Test guild', iconUrl: '' },
      channel: { id: '200', type: 'GuildTextChat', category: 'Text', name: 'general', topic: null },
      dateRange: { after: null, before: null },
      exportedAt: '2025-01-01T00:00:00+00:00',
      messages: messages.map((m, i) => ({
        id: m.id,
        type: m.type,
        timestamp: `2025-01-01T00:${String(i % 60).padStart(2, '0')}:00+00:00`,
        timestampEdited: null,
        isPinned: false,
        content: m.content,
        author: { id: m.bot ? '9' : String(i % 4), name: m.bot ? 'Botty' : `user${i % 4}`, isBot: m.bot },
        attachments: [],
        embeds: [],
        reactions: [],
        mentions: [],
      })),
    },
    null,
    2,
  );
}

describe('detectFormat', () => {
  it('detects plain text, TSV and DiscordChatExporter JSON', () => {
    expect(detectFormat('a.txt', Buffer.from('hello there\nhow are you\n'))).toBe('text');
    expect(detectFormat('a.tsv', Buffer.from('f\t12:00\talice\thi\nf\t12:01\tbob\tyo\n'))).toBe('tsv');
    expect(detectFormat('a.json', Buffer.from('{"guild":{},"messages":[]}'))).toBe('discord-json');
    expect(detectFormat('export', Buffer.from('\ufeff \r\n\t{ "messages": [] }'))).toBe('discord-json');
  });

  it('calls a file TSV only when most of its first non-empty lines have 3 or more fields', () => {
    expect(detectFormat('a', Buffer.from('\na\tb\tc\n\nd\te\tf\n  \n'))).toBe('tsv');
    // Two fields are not enough; neither are indented lines (an empty first field).
    expect(detectFormat('a', Buffer.from('name\ttext\nbob\thi\n'))).toBe('text');
    expect(detectFormat('a', Buffer.from('\t\tindented\n\t\tcode\n'))).toBe('text');
    // 4 rows of 5 lines is 80%: TSV; 3 of 5 is not.
    const rows = (n: number) => Array.from({ length: 5 }, (_, i) => (i < n ? 'a\tb\tc' : 'plain')).join('\n');
    expect(detectFormat('a', Buffer.from(rows(4)))).toBe('tsv');
    expect(detectFormat('a', Buffer.from(rows(3)))).toBe('text');
  });

  it('refuses an empty file and binary content', () => {
    expect(() => detectFormat('e.txt', Buffer.alloc(0))).toThrow('e.txt: empty file: nothing to train on');
    expect(() => detectFormat('b.txt', Buffer.from('some text\0more'))).toThrow(
      'b.txt: binary content: not a text, TSV or DiscordChatExporter JSON file',
    );
    const controls = Buffer.from('abcdefg\x01\x02\x03\x04');
    expect(() => detectFormat('c.txt', controls)).toThrow('c.txt: binary content');
    // Tabs, newlines and a few control bytes (IRC colour codes) are text.
    expect(detectFormat('d.txt', Buffer.from('\x02bold\x02 and \x0304red\x03\tx\r\n'))).toBe('text');
  });

  it('refuses archives, images, documents and executables by extension', () => {
    for (const ext of ['.zip', '.gz', '.png', '.jpg', '.pdf', '.exe', '.JPG']) {
      expect(() => detectFormat(`corpus${ext}`, Buffer.from('hello'))).toThrow(
        `corpus${ext}: unsupported file type ${ext.toLowerCase()}: expected plain text, TSV or DiscordChatExporter JSON`,
      );
    }
  });

  it('refuses a .json file that does not hold an object', () => {
    expect(() => detectFormat('x.json', Buffer.from('[1, 2]'))).toThrow(
      'x.json: not a DiscordChatExporter export: a .json file must hold a JSON object',
    );
  });
});

describe('readTrainingFile: plain text', () => {
  it('yields one trimmed message per line with its line number, skipping blank lines', async () => {
    const file = fixture('hello there\n\n   \n  padded line  \nNote: not an IRC address\nlast line');
    expect(await collect(file)).toEqual([
      { text: 'hello there', line: 1 },
      { text: 'padded line', line: 4 },
      { text: 'Note: not an IRC address', line: 5 },
      { text: 'last line', line: 6 },
    ]);
  });

  it('handles CRLF line endings', async () => {
    const file = fixture('first\r\nsecond\r\n\r\nthird\r\n');
    expect(await collect(file)).toEqual([
      { text: 'first', line: 1 },
      { text: 'second', line: 2 },
      { text: 'third', line: 4 },
    ]);
  });

  it('reads multi-byte UTF-8 split across read chunks', async () => {
    // 64 KiB chunks: put a 4-byte emoji and accented letters across the first chunk boundary.
    const line = `${'x'.repeat(65_534)}😀é end`;
    const file = fixture(`${line}\nnext\n`);
    expect(await texts(file)).toEqual([line, 'next']);
  });

  it('resumes at startLine', async () => {
    const file = fixture('one\ntwo\n\nfour\nfive\n');
    expect(await collect(file, { startLine: 3 })).toEqual([
      { text: 'four', line: 4 },
      { text: 'five', line: 5 },
    ]);
    expect(await collect(file, { startLine: 99 })).toEqual([]);
  });

  it('reports bytes read until the file size', async () => {
    const file = fixture(Array.from({ length: 20_000 }, (_, i) => `message number ${i}`).join('\n'));
    const seen: number[] = [];
    const messages = await collect(file, { onBytes: (b) => seen.push(b) });
    expect(messages).toHaveLength(20_000);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(statSync(file).size);
  });

  it('stops reading when the consumer stops early', async () => {
    const file = fixture('a\nb\nc\n');
    const got: string[] = [];
    for await (const message of readTrainingFile(file)) {
      got.push(message.text);
      if (got.length === 2) break;
    }
    expect(got).toEqual(['a', 'b']);
  });
});

describe('readTrainingFile: TSV', () => {
  it('takes the last field and strips an addressee prefix naming an author of the file', async () => {
    const rows = [
      // "usual" is nobody in this file, so it is an interjection and stays.
      'dev/1\t12:18\t|trey|\tusual, quite stable though  :)',
      'dev/1\t12:18\ttweaked\tHrdwrBoB: ok how many partitions should i make?',
      'dev/1\t12:18\tMatt|\t|trey|, top in the list --> ubuntu servers',
      'dev/1\t12:19\tbob\tsee http://example.com/x: it works',
      'dev/1\t12:19\tbob\ttwo words: not a nick',
      `dev/1\t12:19\tbob\t${'n'.repeat(33)}: too long for a nick`,
      `dev/1\t12:19\tbob\t${'n'.repeat(32)}: fits`,
      'dev/1\t12:19\tbob\tnick:no space after',
      'dev/1\t12:20\tbob\tnick: ',
      'dev/1\t12:20\tbob\t   ',
      'a line without fields',
      'dev/1\t12:21\tcarol\twith\textra tab',
      // Authors seen anywhere in the file count, also after they were addressed.
      'dev/1\t12:22\tHrdwrBoB\tthanks',
      `dev/1\t12:22\t${'n'.repeat(32)}\tme too`,
    ];
    const file = fixture(`${rows.join('\n')}\n`, 'irc.tsv');
    expect(await collect(file)).toEqual([
      { text: 'usual, quite stable though  :)', line: 1 },
      { text: 'ok how many partitions should i make?', line: 2 },
      { text: 'top in the list --> ubuntu servers', line: 3 },
      { text: 'see http://example.com/x: it works', line: 4 },
      { text: 'two words: not a nick', line: 5 },
      { text: `${'n'.repeat(33)}: too long for a nick`, line: 6 },
      { text: 'fits', line: 7 },
      { text: 'nick:no space after', line: 8 },
      { text: 'nick:', line: 9 },
      { text: 'extra tab', line: 12 },
      { text: 'thanks', line: 13 },
      { text: 'me too', line: 14 },
    ]);
  });

  it('strips the nick prefix only in TSV input, not in plain text', async () => {
    const text = fixture('HrdwrBoB: ok how many partitions\nbob, hi\n');
    expect(await texts(text)).toEqual(['HrdwrBoB: ok how many partitions', 'bob, hi']);
    const tsv = fixture('f\t1\tbob\tHrdwrBoB: ok how many partitions\nf\t2\tHrdwrBoB\tbob, hi\n');
    expect(await texts(tsv)).toEqual(['ok how many partitions', 'hi']);
  });

  it('handles CRLF and resumes at startLine', async () => {
    const file = fixture('f\t1\ta\tone\r\nf\t2\tbob\tbob: two\r\nf\t3\tc\tthree\r\n');
    expect(await collect(file)).toEqual([
      { text: 'one', line: 1 },
      { text: 'two', line: 2 },
      { text: 'three', line: 3 },
    ]);
    expect(await texts(file, { startLine: 2 })).toEqual(['two', 'three']);
  });

  it.runIf(corpusPresent)('reads the first 200 lines of the Ubuntu IRC corpus', async () => {
    // Read only the start of the 21 MB corpus: 200 lines fit in far less than 256 KiB.
    const start = Buffer.alloc(256 * 1024);
    const fd = openSync(CORPUS, 'r');
    const read = readSync(fd, start, 0, start.length, 0);
    closeSync(fd);
    const head = start.subarray(0, read).toString('utf8').split('\n').slice(0, 200);
    const file = fixture(`${head.join('\n')}\n`, 'ubuntu-head.tsv');
    expect(detectFormat(file, readFileSync(file))).toBe('tsv');
    const messages = await collect(file);
    const authors = new Set(head.map((l) => (l.split('\t')[2] ?? '').trim().toLowerCase()));
    const strip = (text: string) => {
      const prefix = /^(\S{1,32})[:,] /u.exec(text);
      return prefix && authors.has(prefix[1]!.toLowerCase()) ? text.slice(prefix[0].length) : text;
    };
    const expected = head
      .map((l, i) => ({ text: strip((l.split('\t')[3] ?? '').trimStart()).trim(), line: i + 1 }))
      .filter((m) => m.text !== '');
    expect(messages).toEqual(expected);
    expect(messages.length).toBeGreaterThan(150);
    expect(messages[1]).toEqual({ text: 'ok how many partitions should i make?', line: 2 });
    for (const m of messages) expect(m.text).not.toMatch(/\t|\r|\n/);
  });
});

describe('readTrainingFile: DiscordChatExporter JSON', () => {
  // 50 messages: every 5th by a bot, every 7th empty, every 11th whitespace-only, #24 a join notification.
  const fixtures: DiscordMessageFixture[] = Array.from({ length: 50 }, (_, i) => ({
    id: String(1_000_000_000_000 + i),
    type: i === 24 ? 'GuildMemberJoin' : i % 3 === 0 ? 'Reply' : 'Default',
    content:
      i === 24
        ? 'Joined the server.'
        : i % 7 === 0
          ? ''
          : i % 11 === 0
            ? '  \n '
            : `message ${i}\nsecond line`,
    bot: i % 5 === 0,
  }));
  const kept = fixtures
    .map((m, i) => ({ m, i }))
    .filter(({ m, i }) => !m.bot && i !== 24 && i % 7 !== 0 && i % 11 !== 0);

  it('yields the content of non-bot, non-empty messages with their index and source key', async () => {
    const file = fixture(discordExport(fixtures), 'export.json');
    expect(detectFormat(file, readFileSync(file))).toBe('discord-json');
    const messages = await collect(file);
    expect(messages).toEqual(
      kept.map(({ m, i }) => ({ text: `message ${i}\nsecond line`, line: i + 1, source: `discord:${m.id}` })),
    );
    expect(messages).toHaveLength(29);
  });

  it('resumes at startLine (a message index) and reports bytes up to the file size', async () => {
    const file = fixture(discordExport(fixtures), 'export-resume.json');
    const seen: number[] = [];
    const messages = await collect(file, { startLine: 40, onBytes: (b) => seen.push(b) });
    expect(messages.map((m) => m.line)).toEqual(kept.filter(({ i }) => i >= 39).map(({ i }) => i + 1));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(statSync(file).size);
  });

  it('refuses invalid JSON, JSON without a messages array, and an export over the size limit', async () => {
    const broken = fixture('{"guild": {}, "messages": [', 'broken.json');
    expect((await failure(broken)).error.message).toMatch(
      new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid DiscordChatExporter JSON: .+`),
    );
    const other = fixture('{"guild": {}, "channel": {}}', 'other.json');
    expect((await failure(other)).error.message).toBe(
      `${other}: not a DiscordChatExporter export: no "messages" array`,
    );
    const big = fixture(discordExport(fixtures), 'big.json');
    const size = statSync(big).size;
    expect((await failure(big, { maxJsonBytes: 1000 })).error.message).toBe(
      `${big}: DiscordChatExporter JSON is ${size} bytes, over the 1000-byte limit for JSON input ` +
        `(split the export with DiscordChatExporter's --partition option)`,
    );
  });

  it('refuses JSON that is not UTF-8', async () => {
    const file = fixture(
      Buffer.concat([
        Buffer.from('{"messages": [{"content": "'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}]}'),
      ]),
      'latin.json',
    );
    expect((await failure(file)).error.message).toBe(`${file}: invalid UTF-8`);
  });
});

describe('readTrainingFile: bad input', () => {
  it('refuses a missing file', async () => {
    const file = join(dir, 'nope.txt');
    const { error } = await failure(file);
    expect(error.message).toBe(`${file}: file not found`);
    expect(error.code).toBe('CHORUS_TRAINING_INPUT');
    expect(error.file).toBe(file);
    expect(error.line).toBeUndefined();
  });

  it('refuses a directory', async () => {
    expect((await failure(dir)).error.message).toBe(`${dir}: is a directory, not a file`);
  });

  it('refuses an empty file', async () => {
    const file = fixture('');
    expect((await failure(file)).error.message).toBe(`${file}: empty file: nothing to train on`);
  });

  it('refuses a binary file', async () => {
    const file = fixture(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'image',
    );
    expect((await failure(file)).error.message).toBe(
      `${file}: binary content: not a text, TSV or DiscordChatExporter JSON file`,
    );
  });

  it('refuses an unsupported file type before reading it', async () => {
    const file = join(dir, 'logs.zip'); // need not exist
    expect((await failure(file)).error.message).toBe(
      `${file}: unsupported file type .zip: expected plain text, TSV or DiscordChatExporter JSON`,
    );
  });

  it('refuses a 10 MB line with its length and line number, after yielding the lines before it', async () => {
    const file = join(dir, 'long-line.txt');
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, 'hello\nworld\n');
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 10; i++) writeSync(fd, chunk);
      writeSync(fd, '\nafter\n');
    } finally {
      closeSync(fd);
    }
    const { error, before } = await failure(file);
    expect(error.message).toBe(`${file}:3: line is 10485760 bytes, over the 1048576-byte limit`);
    expect(error.line).toBe(3);
    expect(before).toEqual(['hello', 'world']);
  });

  it('applies maxLineBytes exactly, not counting a CR, and to a last line without a newline', async () => {
    expect(await texts(fixture('12345678\r\nabc\n'), { maxLineBytes: 8 })).toEqual(['12345678', 'abc']);
    const over = fixture('ok\n123456789\r\n');
    expect((await failure(over, { maxLineBytes: 8 })).error.message).toBe(
      `${over}:2: line is 9 bytes, over the 8-byte limit`,
    );
    const last = fixture(`ok\n${'z'.repeat(100)}`);
    expect((await failure(last, { maxLineBytes: 8 })).error.message).toBe(
      `${last}:2: line is 100 bytes, over the 8-byte limit`,
    );
  });

  it('refuses invalid UTF-8 with its line number', async () => {
    const file = fixture(
      Buffer.concat([
        Buffer.from('fine\nstill fine\nbad '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' bytes\nok\n'),
      ]),
    );
    const { error, before } = await failure(file);
    expect(error.message).toBe(`${file}:3: invalid UTF-8`);
    expect(error.line).toBe(3);
    expect(before).toEqual(['fine', 'still fine']);
  });

  it('refuses nonsense options', async () => {
    const file = fixture('x\n');
    await expect(collect(file, { maxLineBytes: 0 })).rejects.toThrow(RangeError);
    await expect(collect(file, { startLine: 1.5 })).rejects.toThrow(RangeError);
  });
});
