// Serialises frozen chain parts as a JSON header plus blobs (the vocabulary as UTF-8, each array as little-endian
// int32), and reads them back as views over the blobs where alignment allows.
import {
  ARRAY_NAMES,
  type ArrayName,
  checkMessageCount,
  checkParts,
  checkStateSize,
  type FrozenChainParts,
  MAX_COUNT,
} from './chain-parts.js';

const FORMAT = 'chorus.frozen-chain';
const VERSION = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** A lone UTF-16 surrogate, which UTF-8 cannot carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type VocabularyEncoding = 'nul' | 'json';

interface Header {
  format: typeof FORMAT;
  version: number;
  stateSize: number;
  messageCount: number;
  /** Vocabulary size, boundary marker included. */
  vocabulary: number;
  /** 'nul': UTF-8 of the tokens joined with U+0000; 'json': UTF-8 of a JSON array, for vocabularies holding a
   * U+0000 or a lone surrogate (a code span can carry either). */
  vocabularyEncoding: VocabularyEncoding;
  forwardStates: number;
  transitions: number;
  backwardOnlyStates: number;
  backwardTransitions: number;
}

export interface EncodedChain {
  header: string;
  blobs: Record<string, Buffer>;
}

/**
 * Serialises parts: a JSON header, and blobs `vocabulary` (UTF-8, tokens joined with U+0000, or a JSON array when
 * a token holds U+0000 or a lone surrogate) and one per array (little-endian int32; on little-endian hosts the
 * Buffers are views over the arrays, not copies).
 */
export function encodeChain(parts: FrozenChainParts): EncodedChain {
  checkParts(parts);
  const { vocabulary } = parts;
  const { text, encoding } = encodeVocabulary(vocabulary);
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    stateSize: parts.stateSize,
    messageCount: parts.messageCount,
    vocabulary: vocabulary.length,
    vocabularyEncoding: encoding,
    forwardStates: parts.forwardOffsets.length - 1,
    transitions: parts.forwardNext.length,
    backwardOnlyStates: parts.backwardOnlyStates.length / parts.stateSize,
    backwardTransitions: parts.backwardPrev.length,
  };
  const blobs: Record<string, Buffer> = { vocabulary: Buffer.from(text, 'utf8') };
  for (const name of ARRAY_NAMES) blobs[name] = bytesOf(parts[name]);
  return { header: JSON.stringify(header), blobs };
}

/** The inverse of encodeChain. Aligned blobs are viewed, not copied; others (any byte offset) are copied. */
export function decodeChain(header: string, blobs: Record<string, Buffer>): FrozenChainParts {
  const h = parseHeader(header);
  const vocabulary = decodeVocabulary(blobs['vocabulary'], h.vocabularyEncoding, h.vocabulary);
  const k = h.stateSize;
  const lengths: Record<ArrayName, number> = {
    forwardStates: h.forwardStates * k,
    forwardOffsets: h.forwardStates + 1,
    forwardNext: h.transitions,
    forwardCounts: h.transitions,
    backwardOnlyStates: h.backwardOnlyStates * k,
    backwardOffsets: h.forwardStates + h.backwardOnlyStates + 1,
    backwardPrev: h.backwardTransitions,
    backwardCounts: h.backwardTransitions,
  };
  const array = (name: ArrayName) => int32Of(blobs[name], name, lengths[name]);
  return {
    stateSize: k,
    messageCount: h.messageCount,
    vocabulary,
    forwardStates: array('forwardStates'),
    forwardOffsets: array('forwardOffsets'),
    forwardNext: array('forwardNext'),
    forwardCounts: array('forwardCounts'),
    backwardOnlyStates: array('backwardOnlyStates'),
    backwardOffsets: array('backwardOffsets'),
    backwardPrev: array('backwardPrev'),
    backwardCounts: array('backwardCounts'),
  };
}

function encodeVocabulary(vocabulary: readonly string[]): { text: string; encoding: VocabularyEncoding } {
  const text = vocabulary.join('\u0000');
  if (vocabulary.some((token) => token.includes('\u0000')) || LONE_SURROGATE.test(text)) {
    return { text: JSON.stringify(vocabulary), encoding: 'json' };
  }
  return { text, encoding: 'nul' };
}

function decodeVocabulary(
  blob: Buffer | undefined,
  encoding: VocabularyEncoding,
  expected: number,
): string[] {
  if (!(blob instanceof Uint8Array))
    throw new RangeError('FrozenChain.decode: the vocabulary blob is missing');
  const decoded = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('utf8');
  let vocabulary: unknown;
  if (encoding === 'nul') {
    vocabulary = decoded.split('\u0000');
  } else {
    try {
      vocabulary = JSON.parse(decoded);
    } catch {
      throw new RangeError('FrozenChain.decode: the vocabulary blob is not a JSON array');
    }
    if (!Array.isArray(vocabulary) || !vocabulary.every((token) => typeof token === 'string')) {
      throw new RangeError('FrozenChain.decode: the vocabulary blob is not a JSON array of strings');
    }
  }
  const tokens = vocabulary as string[];
  if (tokens.length !== expected) {
    throw new RangeError(
      `FrozenChain.decode: the vocabulary holds ${tokens.length} tokens, expected ${expected}`,
    );
  }
  return tokens;
}

function bytesOf(array: Int32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const out = Buffer.alloc(array.byteLength);
  for (let i = 0; i < array.length; i++) out.writeInt32LE(array[i] as number, i * 4);
  return out;
}

function int32Of(blob: Buffer | undefined, name: string, length: number): Int32Array {
  if (!(blob instanceof Uint8Array)) throw new RangeError(`FrozenChain.decode: the ${name} blob is missing`);
  if (blob.byteLength !== length * 4) {
    throw new RangeError(
      `FrozenChain.decode: the ${name} blob holds ${blob.byteLength} bytes, expected ${length * 4}`,
    );
  }
  if (!LITTLE_ENDIAN) {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  // A view when aligned (no copy); a Buffer from Node's shared pool may start anywhere, so it is copied.
  if (blob.byteOffset % 4 === 0) return new Int32Array(blob.buffer, blob.byteOffset, length);
  const out = new Int32Array(length);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function parseHeader(text: string): Header {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError('FrozenChain.decode: the header is not JSON');
  }
  const h = value as Partial<Header> | null;
  if (typeof h !== 'object' || h === null || h.format !== FORMAT) {
    throw new RangeError('FrozenChain.decode: not a frozen chain header');
  }
  if (h.version !== VERSION)
    throw new RangeError(`FrozenChain.decode: unsupported version ${String(h.version)}`);
  checkStateSize(h.stateSize);
  checkMessageCount(h.messageCount);
  for (const field of [
    'vocabulary',
    'forwardStates',
    'transitions',
    'backwardOnlyStates',
    'backwardTransitions',
  ] as const) {
    const n = h[field];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      throw new RangeError(`FrozenChain.decode: bad ${field} count in the header`);
    }
  }
  if (h.vocabularyEncoding !== 'nul' && h.vocabularyEncoding !== 'json') {
    throw new RangeError('FrozenChain.decode: unknown vocabulary encoding');
  }
  return h as Header;
}
