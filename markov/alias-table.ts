// Vose's alias method: picks index i with probability weights[i] / sum(weights) in O(1) after an O(n) build,
// so a chain state with thousands of successors costs the same per step as one with two.

export class AliasTable {
  readonly size: number;
  /** Chance of keeping column i rather than taking its alias; 1 for columns that have no alias. */
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;

  private constructor(prob: Float64Array, alias: Int32Array) {
    this.size = prob.length;
    this.#prob = prob;
    this.#alias = alias;
  }

  /** Weights are non-negative counts (any finite scale); at least one must be positive. */
  static build(weights: ArrayLike<number>): AliasTable {
    const n = weights.length;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!Number.isFinite(w) || w < 0) {
        throw new Error(`AliasTable.build: weights must be finite and ≥ 0, got ${w} at index ${i}`);
      }
      if (w > max) max = w;
    }
    if (max === 0) throw new Error('AliasTable.build: needs at least one positive weight');

    // Dividing by the largest weight first keeps every intermediate finite, from subnormal weights to
    // weights near Number.MAX_VALUE.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (weights[i] as number) / max;
    const scale = n / sum;

    // `scaled` holds each column's remaining mass, in units where an average column holds exactly 1.
    const scaled = new Float64Array(n);
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let smallCount = 0;
    let largeCount = 0;
    let heaviest = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      scaled[i] = (w / max) * scale;
      if (w === max) heaviest = i;
      if ((scaled[i] as number) < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }

    while (smallCount > 0 && largeCount > 0) {
      const s = small[--smallCount] as number;
      const l = large[--largeCount] as number;
      const ps = scaled[s] as number;
      prob[s] = ps;
      alias[s] = l;
      // Vose's order of operations: (pl + ps) - 1 loses less precision than pl - (1 - ps).
      const pl = (scaled[l] as number) + ps - 1;
      scaled[l] = pl;
      if (pl < 1) small[smallCount++] = l;
      else large[largeCount++] = l;
    }
    // Whatever is left differs from 1 only by rounding, so it keeps its whole column.
    while (largeCount > 0) {
      const l = large[--largeCount] as number;
      prob[l] = 1;
      alias[l] = l;
    }
    while (smallCount > 0) {
      const s = small[--smallCount] as number;
      // A zero weight cannot be left over unless rounding went wrong by a whole column; even then it must
      // never be drawn, so its column goes to the heaviest entry.
      const keep = (weights[s] as number) > 0;
      prob[s] = keep ? 1 : 0;
      alias[s] = keep ? s : heaviest;
    }
    return new AliasTable(prob, alias);
  }

  /**
   * Draws an index with ONE call to `random` (uniform in [0, 1)): the integer part of `u * size` picks the
   * column, the fraction is the coin. With a 32-bit generator the coin has 2^32 / size steps, a bias below
   * size / 2^32 — negligible for the successor counts of a chat chain.
   */
  sample(random: () => number): number {
    const x = random() * this.size;
    let column = Math.floor(x);
    // Guards u * size rounding up to size when u is just below 1.
    if (column >= this.size) column = this.size - 1;
    return x - column < (this.#prob[column] as number) ? column : (this.#alias[column] as number);
  }
}
