// Normalized words as small integers, shared by the verbatim guard's training text and the replies it checks.
import { Interner } from './interner.js';

export class WordIds extends Interner {
  /** The id of a known word; -1 (never matching training text) for an unknown one. */
  override get(word: string): number {
    return super.get(word) ?? -1;
  }

  encode(): Buffer {
    return Buffer.from(this.values.join('\u0000'), 'utf8');
  }

  static decode(data: Buffer): WordIds {
    const text = data.toString('utf8');
    return new WordIds(text.length > 0 ? text.split('\u0000') : []);
  }
}
