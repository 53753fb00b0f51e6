// Finds which entities a message names, by `@username`, `@id`, or the username as a word.
// Built once per set of entities so looking up a message costs O(words), not O(entities).
import { words } from './text-signals.js';

export interface MentionableEntity {
  id: string;
  username: string;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** `phrase` occurs in `text` with no letter or digit glued to either side. */
function containsPhrase(text: string, phrase: string): boolean {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + phrase.length])) return true;
  }
  return false;
}

export class MentionIndex {
  readonly #byWord = new Map<string, string[]>();
  /** Names with spaces or punctuation inside are matched as substrings. */
  readonly #phrases: { phrase: string; id: string }[] = [];

  constructor(entities: readonly MentionableEntity[]) {
    for (const entity of entities) {
      for (const name of new Set([entity.id.toLowerCase(), entity.username.toLowerCase()])) {
        const single = words(name);
        if (single.length === 1 && single[0] === name) this.#add(name, entity.id);
        else this.#phrases.push({ phrase: name, id: entity.id });
      }
    }
  }

  #add(word: string, id: string): void {
    const list = this.#byWord.get(word);
    if (!list) this.#byWord.set(word, [id]);
    else if (!list.includes(id)) list.push(id);
  }

  /** Ids of the entities named in `text`, in order of first appearance. */
  mentioned(text: string): string[] {
    const found = new Set<string>();
    for (const word of words(text)) for (const id of this.#byWord.get(word) ?? []) found.add(id);
    if (this.#phrases.length > 0) {
      const lower = text.toLowerCase();
      for (const { phrase, id } of this.#phrases) if (containsPhrase(lower, phrase)) found.add(id);
    }
    return [...found];
  }
}
