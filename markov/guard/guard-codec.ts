// Guard parts as bytes for storage: a small JSON header and one little-endian blob per array, read back as views
// of the blobs wherever alignment and byte order allow.

import type { VerbatimGuardParts } from '../verbatim-guard.js';
import { PART_ARRAYS, corrupt, type PartArrayName } from './parts-validation.js';

const FORMAT = 'chorus-verbatim-guard';
const VERSION = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface Header {
  format: typeof FORMAT;
  version: typeof VERSION;
  messages: number;
  trigrams: number;
  /** Element count of each array; each blob holds 4 bytes per element, little-endian. */
  lengths: Record<PartArrayName, number>;
}

/** The 32-bit integers in `bytes` (little-endian): a view when aligned on a little-endian host, else a copy. */
function int32sOf(bytes: Buffer): Int32Array {
  const length = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Int32Array(bytes.buffer, bytes.byteOffset, length);
  }
  const copy = new Int32Array(length);
  const raw = Buffer.from(copy.buffer);
  raw.set(bytes);
  if (!LITTLE_ENDIAN) raw.swap32();
  return copy;
}

/** See VerbatimGuard.encode. */
export function encodeGuard(parts: VerbatimGuardParts): { header: string; blobs: Record<string, Buffer> } {
  const blobs: Record<string, Buffer> = {};
  const lengths = {} as Record<PartArrayName, number>;
  for (const name of PART_ARRAYS) {
    const array = parts[name];
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    blobs[name] = LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
    lengths[name] = array.length;
  }
  const { messages, trigrams } = parts;
  const header: Header = { format: FORMAT, version: VERSION, messages, trigrams, lengths };
  return { header: JSON.stringify(header), blobs };
}

/** See VerbatimGuard.decode. */
export function decodeGuard(header: string, blobs: Record<string, Buffer>): VerbatimGuardParts {
  let meta: unknown;
  try {
    meta = JSON.parse(header);
  } catch {
    corrupt('the header is not JSON');
  }
  if (typeof meta !== 'object' || meta === null) corrupt('the header is not an object');
  const { format, version, messages, trigrams, lengths } = meta as Partial<Record<keyof Header, unknown>>;
  if (format !== FORMAT) corrupt(`unknown format ${JSON.stringify(format)}`);
  if (version !== VERSION) corrupt(`unsupported version ${JSON.stringify(version)}`);
  if (typeof messages !== 'number') corrupt('no message count');
  if (typeof trigrams !== 'number') corrupt('no trigram count');
  if (typeof lengths !== 'object' || lengths === null) corrupt('no array lengths');
  const arrays = {} as Record<PartArrayName, Int32Array>;
  for (const name of PART_ARRAYS) {
    const length = (lengths as Partial<Record<PartArrayName, unknown>>)[name];
    const bytes = blobs[name];
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      corrupt(`no length for ${name}`);
    }
    if (bytes === undefined) corrupt(`no blob for ${name}`);
    if (bytes.byteLength !== 4 * length) {
      corrupt(`${name} holds ${bytes.byteLength} bytes, not ${4 * length}`);
    }
    arrays[name] = int32sOf(bytes);
  }
  const hashes = arrays.slotHashes;
  return {
    ...arrays,
    slotHashes: new Uint32Array(hashes.buffer, hashes.byteOffset, hashes.length),
    messages,
    trigrams,
  };
}
