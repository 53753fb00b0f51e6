// Splits text into chunks below Signal's 2,000-byte inline limit: signal-cli turns a longer body into a
// text attachment that official clients may drop. Sizes are UTF-8 bytes, not characters; a chunk ends at a
// sentence end or a space when one is near, and never inside a code point (so never inside a surrogate pair).

/** The largest chunk sent inline, in UTF-8 bytes: strictly below Signal's 2,000. */
export const SIGNAL_MAX_BYTES = 1999;

const SENTENCE_END = /[.!?…]["')\]]?\s|\n/g;

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3; // lone surrogates are encoded as U+FFFD: 3 bytes too
  return 4;
}

/** The UTF-16 index where the longest prefix of `text` that fits in `maxBytes` ends (at a code point boundary). */
function hardCut(text: string, maxBytes: number): number {
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    bytes += utf8Length(char.codePointAt(0) as number);
    if (bytes > maxBytes) break;
    index += char.length;
  }
  return index;
}

/** The best cut at or before `limit`: after a sentence end, else at a space, in the second half; else `limit`. */
function softCut(text: string, limit: number): number {
  const window = text.slice(0, limit);
  let sentence = -1;
  for (const match of window.matchAll(SENTENCE_END)) sentence = match.index + match[0].length;
  if (sentence >= limit / 2) return sentence;
  const space = window.search(/\s\S*$/);
  if (space >= limit / 2) return space + 1;
  return limit;
}

/** Splits `text` into trimmed, non-empty chunks of at most `maxBytes` UTF-8 bytes each. */
export function splitUtf8(text: string, maxBytes = SIGNAL_MAX_BYTES): string[] {
  if (maxBytes < 4) throw new Error(`maxBytes must be at least 4 (one code point), got ${maxBytes}`);
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (Buffer.byteLength(rest, 'utf8') <= maxBytes) {
      chunks.push(rest);
      break;
    }
    const cut = softCut(rest, hardCut(rest, maxBytes));
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk.length > 0) chunks.push(chunk);
    rest = rest.slice(cut).trimStart();
  }
  return chunks;
}
