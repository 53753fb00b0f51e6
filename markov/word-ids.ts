// Normalized words as small integers, shared by the verbatim guard's training text and the replies it checks.

export class WordIds {
  readonly #ids = new Map<string, number>();
  readonly #words: string[] = [];

  intern(word: string): number {
    let id = this.#ids.get(word);
    if (id === undefined) {
      id = this.#words.length;
      this.#words.push(word);
      this.#ids.set(word, id);
    }
    return id;
  }

  /** The id of a known word; -1 (never matching training text) for an unknown one. */
  get(word: string): number {
    return this.#ids.get(word) ?? -1;
  }

  get size(): number {
    return this.#words.length;
  }

  encode(): Buffer {
    return Buffer.from(this.#words.join('\u0000'), 'utf8');
  }

  static decode(data: Buffer): WordIds {
    const ids = new WordIds();
    const text = data.toString('utf8');
    if (text.length > 0) for (const word of text.split('\u0000')) ids.intern(word);
    return ids;
  }
}
