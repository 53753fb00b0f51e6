import { describe, expect, it } from 'vitest';
import { SIGNAL_MAX_BYTES, splitUtf8 } from '../../bots/signal/byte-split.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitUtf8', () => {
  it('GIVEN text within the limit THEN one trimmed chunk; GIVEN blank text THEN none', () => {
    expect(splitUtf8('  hello  ')).toEqual(['hello']);
    expect(splitUtf8('   ')).toEqual([]);
  });

  it('GIVEN 1,000 two-byte characters (2,000 bytes) THEN two chunks, each below 2,000 bytes', () => {
    const chunks = splitUtf8('ä'.repeat(1000));
    expect(chunks.length).toBe(2);
    for (const c of chunks) expect(bytes(c)).toBeLessThan(2000);
    expect(chunks.join('')).toBe('ä'.repeat(1000));
    expect(SIGNAL_MAX_BYTES).toBe(1999);
  });

  it('GIVEN emoji without spaces THEN no chunk splits a surrogate pair', () => {
    const text = '🐳'.repeat(1001); // 4 bytes each
    const chunks = splitUtf8(text, 1999);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(1999);
      expect(c).not.toMatch(loneSurrogate);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('GIVEN sentences THEN chunks end at a sentence end; GIVEN only words THEN at a space', () => {
    const sentence = 'Die Größe der Ärger ist klein. ';
    const chunks = splitUtf8(sentence.repeat(100), 200);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(200);
      expect(c.endsWith('.')).toBe(true);
    }
    const words = splitUtf8('wort '.repeat(100), 52);
    for (const c of words) {
      expect(c).toMatch(/^(wort )*wort$/);
      expect(bytes(c)).toBeLessThanOrEqual(52);
    }
  });

  it('GIVEN a limit below one code point THEN a clear error', () => {
    expect(() => splitUtf8('abc', 3)).toThrow('maxBytes must be at least 4');
  });
});
