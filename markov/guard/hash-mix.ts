// The 32-bit integer finaliser that the guard's trigram and whole-message hashes are built from.

/** Mixes every bit of `x` into every bit of the result; 32 bits, unsigned. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
