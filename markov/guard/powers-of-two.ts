// Sizes that grow by doubling: the guard's bucket and slot tables are powers of two, so that `hash & (size - 1)`
// picks a bucket or slot, and its stream doubles from whatever capacity compaction left it.

/** The smallest `floor · 2^k` (k >= 0) that is at least `n`: a power of two when `floor` is one. */
export function nextPowerOfTwo(n: number, floor: number): number {
  let size = floor;
  while (size < n) size *= 2;
  return size;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
