// Seedable random numbers: the analyzer's chance rolls must be reproducible in tests.

export type Random = () => number;

/** mulberry32: a small, fast PRNG with a 32-bit state; good enough for response-chance rolls. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
