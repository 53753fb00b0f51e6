// Strings as small dense integers (ids in order of first appearance): the chains' vocabulary and the
// verbatim guard's words both need it. An ExtendingInterner numbers its values after a base vocabulary's, so an
// incremental chain layered over a frozen one shares its token ids.

export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #values: string[] = [];

  constructor(initial: readonly string[] = []) {
    for (const value of initial) this.intern(value);
  }

  /** The value's id, assigning the next one to a value not seen before. */
  intern(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#values.length;
      this.#values.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }

  get(value: string): number | undefined {
    return this.#ids.get(value);
  }

  valueOf(id: number): string | undefined {
    return this.#values[id];
  }

  get size(): number {
    return this.#values.length;
  }

  /** Every value, by id. */
  get values(): readonly string[] {
    return this.#values;
  }
}

/** A fixed vocabulary that an ExtendingInterner continues (a FrozenChain's, with id 0 the boundary marker ''). */
export interface BaseVocabulary {
  /** Ids 0 to size - 1 are the base's. */
  readonly size: number;
  idOf(token: string): number | undefined;
  tokenOf(id: number): string;
  /** Token ids of every token whose normalized form is `word`. */
  idsMatching(word: string): readonly number[];
}

/** The base's values keep their ids; a value new to it gets the next id from base.size upward. */
export class ExtendingInterner extends Interner {
  readonly #base: BaseVocabulary;

  constructor(base: BaseVocabulary) {
    super();
    this.#base = base;
  }

  override intern(value: string): number {
    return this.#base.idOf(value) ?? this.#base.size + super.intern(value);
  }

  override get(value: string): number | undefined {
    const inBase = this.#base.idOf(value);
    if (inBase !== undefined) return inBase;
    const own = super.get(value);
    return own === undefined ? undefined : this.#base.size + own;
  }

  override valueOf(id: number): string | undefined {
    const base = this.#base;
    if (id >= base.size) return super.valueOf(id - base.size);
    return Number.isInteger(id) && id >= 0 ? base.tokenOf(id) : undefined;
  }

  /** The base's values plus the new ones. */
  override get size(): number {
    return this.#base.size + super.size;
  }

  /** The values new to the base, by id - base.size. */
  get ownValues(): readonly string[] {
    return super.values;
  }

  /** Every value by id, the base's included: a copy made on each call, O(size). */
  override get values(): readonly string[] {
    const base = this.#base;
    return [...Array.from({ length: base.size }, (_, id) => base.tokenOf(id)), ...super.values];
  }
}
