// Splits a file into lines as Buffers without ever holding an over-long line (see splitLines).
import { createReadStream } from 'node:fs';
import { fileError, TrainingInputError } from './training-input-error.js';

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The lines of a file as Buffers (without the LF or a trailing CR), numbered from 1. A line longer than
 * maxLineBytes is counted to its end but never held: once over the limit its bytes are dropped, then a
 * TrainingInputError reports its length.
 */
export async function* splitLines(
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
      highWaterMark: CHUNK_BYTES,
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
