// The successors of one chain state with their counts, and an alias table over them that is rebuilt only
// when the counts have changed since it was last used (so training stays cheap and sampling is O(1)).
import { AliasTable } from './alias-table.js';

export class Transitions {
  readonly counts = new Map<number, number>();
  total = 0;
  #table: AliasTable | undefined;
  #keys: Int32Array | undefined;

  add(token: number, by = 1): void {
    this.counts.set(token, (this.counts.get(token) ?? 0) + by);
    this.total += by;
    this.#table = undefined;
  }

  /** Lowers a count; returns false when the token was not there. */
  remove(token: number): boolean {
    const count = this.counts.get(token);
    if (count === undefined) return false;
    if (count <= 1) this.counts.delete(token);
    else this.counts.set(token, count - 1);
    this.total--;
    this.#table = undefined;
    return true;
  }

  sample(random: () => number): number {
    if (!this.#table || !this.#keys) {
      const keys = new Int32Array(this.counts.size);
      const weights = new Float64Array(this.counts.size);
      let i = 0;
      for (const [token, count] of this.counts) {
        keys[i] = token;
        weights[i++] = count;
      }
      this.#keys = keys;
      this.#table = AliasTable.build(weights);
    }
    return this.#keys[this.#table.sample(random)] as number;
  }
}
