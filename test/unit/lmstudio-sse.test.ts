// The incremental SSE / chat-stream parser, replayed over every way a network could split a recorded
// LM Studio stream (reference §1.8 shapes): inside lines, inside UTF-8 characters, between CR and LF.
import { describe, expect, it } from 'vitest';
import {
  ChatStreamFormatError,
  ChatStreamParser,
  SseDecoder,
  type ChatStreamItem,
  type SseEvent,
} from '../../cluster/client/index.js';
import { chunkFrame, FRAME_ID, FRAME_MODEL, usageFrame } from '../support/lmstudio-frames.js';

const ID = FRAME_ID;
const MODEL = FRAME_MODEL;
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  chunkFrame(delta, finishReason);
const USAGE_FRAME = usageFrame(3);

const RECORDED =
  chunk({ role: 'assistant', reasoning_content: 'Thinking… ' }) +
  chunk({ reasoning_content: 'done.' }) +
  chunk({ content: 'Héllo' }) +
  chunk({ content: ' wörld 🎉' }) +
  chunk({ content: ' 你好' }) +
  chunk({ content: '' }) +
  chunk({}, 'stop') +
  USAGE_FRAME +
  'data: [DONE]\n\n';

const EXPECTED: ChatStreamItem[] = [
  { type: 'start', id: ID, model: MODEL },
  { type: 'reasoning', text: 'Thinking… ' },
  { type: 'reasoning', text: 'done.' },
  { type: 'content', text: 'Héllo' },
  { type: 'content', text: ' wörld 🎉' },
  { type: 'content', text: ' 你好' },
  { type: 'usage', usage: { promptTokens: 22, completionTokens: 8, totalTokens: 30, reasoningTokens: 3 } },
  { type: 'done', id: ID, model: MODEL, finishReason: 'stop' },
];

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds `parts` to a fresh parser and returns everything it produced. */
function parse(parts: Uint8Array[]): { items: ChatStreamItem[]; complete: boolean } {
  const parser = new ChatStreamParser();
  const items = parts.flatMap((part) => parser.push(part));
  const end = parser.end();
  return { items: [...items, ...end.items], complete: end.complete };
}

function splitAt(data: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, data.length];
  return points.slice(1).map((to, i) => data.subarray(points[i], to));
}

/** The byte positions where cutting `data` in two changes what the parser produces (expected: none). */
function cutsThatDiffer(data: Uint8Array): number[] {
  const expected = JSON.stringify({ items: EXPECTED, complete: true });
  const differ: number[] = [];
  for (let cut = 0; cut <= data.length; cut++) {
    if (JSON.stringify(parse(splitAt(data, cut))) !== expected) differ.push(cut);
  }
  return differ;
}

/** A deterministic pseudo-random chunking (small chunks, so most cuts land inside lines). */
function randomChunks(data: Uint8Array, seed: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let state = seed;
  for (let at = 0; at < data.length;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 23);
    parts.push(data.subarray(at, at + size));
    at += size;
  }
  return parts;
}

describe('ChatStreamParser over a recorded stream', () => {
  const data = bytes(RECORDED);

  it('GIVEN the stream in one chunk THEN it yields start, deltas, usage and done', () => {
    expect(parse([data])).toEqual({ items: EXPECTED, complete: true });
  });

  it('GIVEN the stream cut in two at every byte position THEN every cut gives the same events', () => {
    expect(data.length).toBeGreaterThan(1500);
    expect(cutsThatDiffer(data)).toEqual([]);
  });

  it('GIVEN the stream one byte at a time, or in random small chunks THEN the events are the same', () => {
    expect(parse([...data].map((b) => Uint8Array.of(b))).items).toEqual(EXPECTED);
    for (let seed = 1; seed <= 50; seed++) expect(parse(randomChunks(data, seed)).items).toEqual(EXPECTED);
  });

  it('GIVEN CRLF or bare CR line ends, cut anywhere (also between CR and LF) THEN the events are the same', () => {
    for (const ending of ['\r\n', '\r']) {
      expect(cutsThatDiffer(bytes(RECORDED.replace(/\n/g, ending))), JSON.stringify(ending)).toEqual([]);
    }
  });

  it('GIVEN a cut inside each byte of a 4-byte emoji and a 3-byte CJK character THEN the text is intact', () => {
    for (const char of ['🎉', '你']) {
      const start = data.indexOf(bytes(char)[0]!);
      for (let inside = 1; inside < bytes(char).length; inside++) {
        const { items } = parse(splitAt(data, start + inside - 1, start + inside));
        expect(items).toEqual(EXPECTED);
      }
    }
  });

  it('GIVEN "data:" without a space, or the JSON in its own chunk after "data: " THEN it parses the same', () => {
    const tight = bytes(RECORDED.replace(/^data: /gm, 'data:'));
    expect(parse([tight]).items).toEqual(EXPECTED);
    const at = data.indexOf(bytes('{')[0]!);
    expect(parse(splitAt(data, at)).items).toEqual(EXPECTED);
  });
});

describe('ChatStreamParser edge cases', () => {
  it('GIVEN [DONE] THEN anything after it is ignored', () => {
    const { items } = parse([bytes(RECORDED + chunk({ content: 'late' }))]);
    expect(items).toEqual(EXPECTED);
  });

  it('GIVEN a usage chunk without a reasoning_tokens detail THEN the usage has no reasoningTokens', () => {
    const frame = USAGE_FRAME.replace(',"completion_tokens_details":{"reasoning_tokens":3}', '');
    const { items } = parse([bytes(chunk({ content: 'x' }, 'stop') + frame + 'data: [DONE]\n\n')]);
    expect(items).toContainEqual({
      type: 'usage',
      usage: { promptTokens: 22, completionTokens: 8, totalTokens: 30 },
    });
  });

  it('GIVEN gpt-oss style delta.reasoning (LM Studio 0.3.23) THEN it is a reasoning delta', () => {
    const { items } = parse([bytes(chunk({ reasoning: 'hmm' }) + chunk({}, 'stop') + 'data: [DONE]\n\n')]);
    expect(items).toContainEqual({ type: 'reasoning', text: 'hmm' });
  });

  it('GIVEN an error object inside the stream THEN it is an error item and parsing stops', () => {
    const error = { message: 'Model crashed', type: 'internal_error', param: null, code: null };
    const stream =
      chunk({ content: 'Hel' }) + `data: ${JSON.stringify({ error })}\n\n` + chunk({ content: 'x' });
    const { items, complete } = parse([bytes(stream)]);
    expect(items.slice(1)).toEqual([
      { type: 'content', text: 'Hel' },
      { type: 'error', error: { message: 'Model crashed', type: 'internal_error' } },
    ]);
    expect(complete).toBe(true);
  });

  it('GIVEN a named "event: error" frame whose data is the error itself THEN it is an error item', () => {
    const { items } = parse([bytes('event: error\ndata: {"message":"boom","type":"unknown"}\n\n')]);
    expect(items).toEqual([{ type: 'error', error: { message: 'boom', type: 'unknown' } }]);
  });

  it('GIVEN the body ends after finish_reason but before [DONE] THEN the reply still completes', () => {
    const { items, complete } = parse([bytes(chunk({ content: 'Hi' }) + chunk({}, 'length'))]);
    expect(complete).toBe(true);
    expect(items.at(-1)).toEqual({ type: 'done', id: ID, model: MODEL, finishReason: 'length' });
  });

  it('GIVEN the body ends mid-reply, or inside an event THEN the stream is incomplete', () => {
    expect(parse([bytes(chunk({ content: 'Hi' }))]).complete).toBe(false);
    const cut = chunk({ content: 'Hi' }) + chunk({}, 'stop').slice(0, 40);
    expect(parse([bytes(cut)])).toEqual({
      items: [
        { type: 'start', id: ID, model: MODEL },
        { type: 'content', text: 'Hi' },
      ],
      complete: false,
    });
  });

  it('GIVEN a frame that is not JSON, not a chunk, or [DONE] with no chunk THEN it is a format error', () => {
    expect(() => parse([bytes('data: {"id":\n\n')])).toThrow(ChatStreamFormatError);
    expect(() => parse([bytes('data: {"id":"x"}\n\n')])).toThrow(/stream chunk model: Required/);
    expect(() => parse([bytes('data: [DONE]\n\n')])).toThrow(/before any chunk/);
  });

  it('GIVEN an event longer than the limit THEN it is a format error, even before its line ends', () => {
    const parser = new ChatStreamParser(100);
    expect(() => parser.push(bytes(`data: "${'x'.repeat(200)}`))).toThrow(/longer than 100 characters/);
  });
});

describe('SseDecoder', () => {
  const decode = (text: string): SseEvent[] => {
    const decoder = new SseDecoder();
    return [...decoder.push(bytes(text)), ...decoder.end()];
  };

  it('joins multi-line data, reads event names, skips comments, id and retry', () => {
    expect(decode(': keep-alive\nid: 7\nretry: 10\nevent: delta\ndata: a\ndata:b\n\ndata\n\n')).toEqual([
      { event: 'delta', data: 'a\nb' },
      { event: 'message', data: '' },
    ]);
  });

  it('strips a leading BOM and only one space after the colon', () => {
    expect(decode('\uFEFFdata:  two spaces\n\n')).toEqual([{ event: 'message', data: ' two spaces' }]);
  });

  it('does not dispatch blank-line runs or an event without its closing blank line', () => {
    expect(decode('\n\n\ndata: x\n\n\n\ndata: unfinished\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('treats CR, LF and CRLF alike, and a CRLF split across chunks as one line end', () => {
    const decoder = new SseDecoder();
    const events = [
      ...decoder.push(bytes('data: a\r')),
      ...decoder.push(bytes('\ndata: b\r')),
      ...decoder.push(bytes('\r')),
      ...decoder.push(bytes('data: c\n\r\n')),
    ];
    expect(events).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
  });
});
