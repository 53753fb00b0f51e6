// What stored guard parts must satisfy before a guard is built on them: O(1) size checks when they are adopted,
// and one full O(W) pass before the first change. Both throw a RangeError.

import type { VerbatimGuardParts } from '../verbatim-guard.js';
import { isPowerOfTwo } from './powers-of-two.js';
import { NONE, SEPARATOR } from './word-stream.js';

/** The arrays of a guard, all of 32-bit integers. */
export const PART_ARRAYS = ['stream', 'next', 'heads', 'counts', 'slotHashes', 'slotStarts'] as const;
export type PartArrayName = (typeof PART_ARRAYS)[number];

export function corrupt(what: string): never {
  throw new RangeError(`not a valid stored verbatim guard: ${what}`);
}

/** The array types and the sizes, which every read of the parts relies on. */
export function checkPartsShape(parts: VerbatimGuardParts): void {
  const { stream, next, heads, counts, slotHashes, slotStarts, messages, trigrams } = parts;
  for (const name of PART_ARRAYS) {
    const expected = name === 'slotHashes' ? Uint32Array : Int32Array;
    if (!(parts[name] instanceof expected)) corrupt(`${name} is not an ${expected.name}`);
  }
  const used = stream.length;
  if (next.length !== used) corrupt('next and stream differ in length');
  if (used > 0 && stream[used - 1] !== SEPARATOR) corrupt('the stream does not end with a separator');
  if (!isPowerOfTwo(heads.length) || counts.length !== heads.length) corrupt('bad bucket table size');
  if (!isPowerOfTwo(slotStarts.length) || slotHashes.length !== slotStarts.length) {
    corrupt('bad slot table size');
  }
  // At most half full, and no more messages than separators could end.
  if (!Number.isInteger(messages) || messages < 0 || 2 * messages > slotStarts.length || messages > used) {
    corrupt(`bad message count ${messages}`);
  }
  if (!Number.isInteger(trigrams) || trigrams < 0 || trigrams > used) {
    corrupt(`bad trigram count ${trigrams}`);
  }
}

/**
 * The contents, before anything is built on them: links point back (every chain walk ends), heads and starts lie
 * inside the stream, counts add up to the stream's trigrams, separators and full slots to the message count (the
 * table keeps empty slots to end probes).
 */
export function checkPartsContent(parts: VerbatimGuardParts): void {
  const { stream, next, heads, counts, slotStarts, messages } = parts;
  const used = stream.length;
  // Branch-free passes: this one runs over every word. A link is NONE or an earlier position when link + 1, as
  // an unsigned number, is at most p; markers other than SEPARATOR (tombstones) are never stored.
  let bad = 0;
  let separators = 0;
  for (let p = 0; p < used; p++) {
    const word = stream[p]!;
    bad |= ((next[p]! + 1) >>> 0 > p ? 1 : 0) | (word < SEPARATOR ? 1 : 0);
    separators += word >>> 31;
  }
  if (bad !== 0) corrupt('a chain link points forward, or the stream holds a removed message');
  if (separators !== messages) corrupt(`${separators} messages in the stream, ${messages} counted`);
  // A trigram starts where three words follow each other: their OR is negative when one is a separator.
  let trigrams = 0;
  for (let p = 0; p + 2 < used; p++) {
    trigrams += ((stream[p]! | stream[p + 1]! | stream[p + 2]!) >>> 31) ^ 1;
  }
  if (trigrams !== parts.trigrams) corrupt(`${trigrams} trigrams in the stream, ${parts.trigrams} counted`);

  let chained = 0;
  for (let b = 0; b < heads.length; b++) {
    const head = heads[b]!;
    const count = counts[b]!;
    if (head === NONE ? count !== 0 : head < 0 || head + 2 >= used || count <= 0) corrupt(`bucket ${b}`);
    chained += count;
  }
  if (chained !== trigrams) corrupt(`${chained} chained trigrams, ${trigrams} in the stream`);

  let full = 0;
  for (let slot = 0; slot < slotStarts.length; slot++) {
    const start = slotStarts[slot]!;
    if (start === NONE) continue;
    if (start < 0 || start >= used || (start > 0 && stream[start - 1] !== SEPARATOR)) corrupt(`slot ${slot}`);
    full++;
  }
  if (full !== messages) corrupt(`${full} full slots, ${messages} messages`);
}
