// Strings as small dense integers (ids in order of first appearance): the chains' vocabulary and the
// verbatim guard's words both need it.

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
