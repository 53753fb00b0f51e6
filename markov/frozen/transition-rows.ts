// One direction of a frozen chain's transitions as CSR rows by state index, sampled through alias tables that are
// built on a row's first sample and kept in a bounded cache (so are the totals of long rows). Rows are checked when
// used, not at load.
import { AliasTable } from '../alias-table.js';

/**
 * Alias tables kept at most, and as many row totals; each cache is cleared when full, so memory stays flat however
 * long a bot runs.
 */
export const MAX_CACHED_TABLES = 100_000;

/** Rows up to this long are summed on every `total`, not cached: as cheap as a cache lookup. */
const SHORT_ROW = 16;

/** The alias tables and long rows' totals of a chain's rows (both directions share one), by key. */
export class AliasTableCache {
  readonly #tables = new Map<number, AliasTable>();
  readonly #totals = new Map<number, number>();

  get(key: number): AliasTable | undefined {
    return this.#tables.get(key);
  }

  add(key: number, table: AliasTable): void {
    if (this.#tables.size >= MAX_CACHED_TABLES) this.#tables.clear();
    this.#tables.set(key, table);
  }

  total(key: number): number | undefined {
    return this.#totals.get(key);
  }

  addTotal(key: number, total: number): void {
    if (this.#totals.size >= MAX_CACHED_TABLES) this.#totals.clear();
    this.#totals.set(key, total);
  }
}

export class TransitionRows {
  readonly #offsets: Int32Array;
  readonly #tokens: Int32Array;
  readonly #counts: Int32Array;
  readonly #vocabularySize: number;
  readonly #cache: AliasTableCache;
  /** Cache keys are 2 × state index + this (0 forward, 1 backward), so both directions share the cache. */
  readonly #keyBit: 0 | 1;

  constructor(
    offsets: Int32Array,
    tokens: Int32Array,
    counts: Int32Array,
    vocabularySize: number,
    cache: AliasTableCache,
    keyBit: 0 | 1,
  ) {
    this.#offsets = offsets;
    this.#tokens = tokens;
    this.#counts = counts;
    this.#vocabularySize = vocabularySize;
    this.#cache = cache;
    this.#keyBit = keyBit;
  }

  /** Samples a token from the row of state `index` by count; undefined for an empty row. */
  sample(index: number, random: () => number): number | undefined {
    const tokens = this.#tokens;
    const start = this.#offsets[index] as number;
    const end = this.#offsets[index + 1] as number;
    checkSpan(start, end, tokens.length);
    if (end === start) return undefined;
    if (end - start === 1) {
      this.#checkRow(start, end);
      // An alias table of one column returns it whatever the number; draw one anyway, as MarkovChain does.
      random();
      return tokens[start] as number;
    }
    const key = 2 * index + this.#keyBit;
    let table = this.#cache.get(key);
    if (!table) {
      this.#checkRow(start, end);
      table = AliasTable.build(this.#counts.subarray(start, end));
      this.#cache.add(key, table);
    }
    return tokens[start + table.sample(random)] as number;
  }

  /** The sum of the counts in the row of state `index`: O(1) amortised, long rows' sums are cached. */
  total(index: number): number {
    const start = this.#offsets[index] as number;
    const end = this.#offsets[index + 1] as number;
    checkSpan(start, end, this.#tokens.length);
    const key = 2 * index + this.#keyBit;
    const long = end - start > SHORT_ROW;
    let total = long ? this.#cache.total(key) : undefined;
    if (total === undefined) {
      this.#checkRow(start, end);
      total = 0;
      for (let p = start; p < end; p++) total += this.#counts[p] as number;
      if (long) this.#cache.addTotal(key, total);
    }
    return total;
  }

  /** The count of `token` in the row of state `index` (0 when absent): a scan of the row, O(row length). */
  count(index: number, token: number): number {
    const start = this.#offsets[index] as number;
    const end = this.#offsets[index + 1] as number;
    checkSpan(start, end, this.#tokens.length);
    const tokens = this.#tokens;
    for (let p = start; p < end; p++) {
      if (tokens[p] === token) {
        this.#checkRow(p, p + 1);
        return this.#counts[p] as number;
      }
    }
    return 0;
  }

  /** The row of state `index`: its tokens with their counts. */
  entries(index: number): Array<[token: number, count: number]> {
    const start = this.#offsets[index] as number;
    const end = this.#offsets[index + 1] as number;
    checkSpan(start, end, this.#tokens.length);
    this.#checkRow(start, end);
    const out: Array<[number, number]> = [];
    for (let p = start; p < end; p++) out.push([this.#tokens[p] as number, this.#counts[p] as number]);
    return out;
  }

  /** Throws unless the row's token ids and counts are sound. */
  #checkRow(start: number, end: number): void {
    for (let p = start; p < end; p++) {
      const token = this.#tokens[p] as number;
      const count = this.#counts[p] as number;
      if (token < 0 || token >= this.#vocabularySize || count <= 0) {
        throw new RangeError(`FrozenChain: corrupt chain: transition to token ${token} with count ${count}`);
      }
    }
  }
}

/** Throws unless a row's offsets lie within its arrays. */
function checkSpan(start: number, end: number, length: number): void {
  if (!(start >= 0 && start <= end && end <= length)) {
    throw new RangeError(`FrozenChain: corrupt chain: a row spans ${start}..${end} of ${length}`);
  }
}
