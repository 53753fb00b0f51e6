// A secret value that cannot leak by accident: printing, logging or JSON-encoding it shows a placeholder.
// Only `reveal()` yields the value, and the redactor removes any revealed value from log text.

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. the environment variable's name; safe to show. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `[secret ${this.source}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Replaces every known secret value in a text with a placeholder. */
export class SecretRedactor {
  readonly #values = new Set<string>();

  add(secret: Secret): void {
    const value = secret.reveal();
    // Very short values would redact ordinary words; such tokens are not real secrets anyway.
    if (value.length >= 6) this.#values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join('[redacted]');
    return out;
  }
}
