// Reply post-processing: trimAfter, filterOut, trimWhitespace, the length cap, and splitting into parts.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { postProcess, splitIntoParts, truncate, type PostProcessRules } from '../../entities/post-process.js';

function rules(overrides: Partial<PostProcessRules> = {}): PostProcessRules {
  return { filterOut: [], trimAfter: [], trimWhitespace: true, maxLength: 2000, ...overrides };
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const words = (s: string): string[] => s.split(/\s+/).filter((w) => w.length > 0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deterministic text of `count` short words, with sentence ends and the odd newline. */
function sampleText(seed: number, count: number, vocabulary: readonly string[]): string {
  const random = seededRandom(seed);
  let out = '';
  for (let i = 0; i < count; i++) {
    const word = vocabulary[Math.floor(random() * vocabulary.length)] as string;
    const roll = random();
    out += word + (roll < 0.1 ? '. ' : roll < 0.13 ? '?\n' : ' ');
  }
  return out.trim();
}

const ASCII_WORDS = ['a', 'to', 'the', 'bot', 'chat', 'model', 'server', 'channel', 'markov', 'reply'];
const UNICODE_WORDS = [...ASCII_WORDS, 'café', 'naïve', 'über', 'jalapeño', '日本語', 'señor'];

describe('postProcess: trimAfter', () => {
  it('cuts at the first marker', () => {
    expect(postProcess('Sure, here it is.### extra notes ### more', rules({ trimAfter: ['###'] }))).toBe(
      'Sure, here it is.',
    );
  });

  it('cuts at a newline marker', () => {
    expect(postProcess('Hello there!\nUser: and you?', rules({ trimAfter: ['\n'] }))).toBe('Hello there!');
    expect(postProcess('One line\nUser: next turn', rules({ trimAfter: ['\nUser:'] }))).toBe('One line');
  });

  it('cuts at whichever marker comes first, in any listed order', () => {
    const text = 'first part\nsecond part ### third part';
    expect(postProcess(text, rules({ trimAfter: ['###', '\n'] }))).toBe('first part');
    expect(postProcess(text, rules({ trimAfter: ['\n', '###'] }))).toBe('first part');
  });

  it('ignores leading whitespace before a marker instead of emptying the reply', () => {
    expect(postProcess('\n\n  Sure thing!\nUser: ok', rules({ trimAfter: ['\n'] }))).toBe('Sure thing!');
  });

  it('leaves the text alone when no marker occurs, and ignores empty markers', () => {
    expect(postProcess('nothing to cut here', rules({ trimAfter: ['', '###'] }))).toBe('nothing to cut here');
  });
});

describe('postProcess: filterOut and whitespace', () => {
  it('removes every occurrence of each filtered string', () => {
    expect(
      postProcess('<s>hi</s> <s>there</s> <s>', rules({ filterOut: ['<s>', '</s>'], trimWhitespace: false })),
    ).toBe('hi there ');
  });

  it('removes filtered strings before tidying whitespace', () => {
    expect(postProcess('[Alice]: hello [Alice]: world', rules({ filterOut: ['[Alice]:'] }))).toBe(
      'hello world',
    );
  });

  it('tidies whitespace when trimWhitespace is on', () => {
    expect(postProcess('a  b \t\n\n\n\nc   d  ', rules())).toBe('a b\n\nc d');
  });

  it('keeps inner and trailing whitespace when trimWhitespace is off', () => {
    expect(postProcess('  a  b \n\n\n\nc  ', rules({ trimWhitespace: false }))).toBe('a  b \n\n\n\nc  ');
  });

  it('caps the length last', () => {
    expect(postProcess('one two three four five six', rules({ maxLength: 14 }))).toBe('one two three…');
  });
});

describe('truncate', () => {
  it('returns a short text unchanged', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('prefers a sentence end in the second half', () => {
    expect(truncate('First sentence here. Second sentence is long.', 30)).toBe('First sentence here.');
    expect(truncate('Is this it? Yes it is and more', 20)).toBe('Is this it?');
    expect(truncate('A line of text\nand another line', 20)).toBe('A line of text');
  });

  it('falls back to a word boundary with an ellipsis', () => {
    expect(truncate('alpha beta gamma delta', 14)).toBe('alpha beta…');
  });

  it('ignores a sentence end too early in the text', () => {
    expect(truncate('Hi. this goes on and on and on', 20)).toBe('Hi. this goes on…');
  });

  it('cuts mid-word when there is no boundary in the second half', () => {
    expect(truncate('abcdefghijklmnop', 8)).toBe('abcdefg…');
  });

  it('never returns more than the limit', () => {
    const text = sampleText(5, 200, ASCII_WORDS);
    for (let max = 5; max < 300; max += 7) expect(truncate(text, max).length).toBeLessThanOrEqual(max);
  });

  // BUG: the sentence marks are searched in text.slice(0, max), so a '.' at index max - 1 followed by a space is
  // never seen as a sentence end; the sentence that fits exactly loses its period and gets an ellipsis.
  it('keeps a sentence that ends exactly at the limit', () => {
    expect(truncate('Hello world. Next one', 12)).toBe('Hello world.');
  });
});

describe('splitIntoParts', () => {
  it('returns a text within the limit as one part, trimmed', () => {
    expect(splitIntoParts('  hello world  ', 20)).toEqual(['hello world']);
    expect(splitIntoParts('   ', 20)).toEqual([]);
  });

  it('prefers sentence boundaries', () => {
    expect(splitIntoParts('First sentence here. Second one is a bit longer than that.', 40)).toEqual([
      'First sentence here.',
      'Second one is a bit longer than that.',
    ]);
  });

  it('falls back to spaces', () => {
    expect(splitIntoParts('one two three four five six seven', 11)).toEqual([
      'one two',
      'three four',
      'five six',
      'seven',
    ]);
  });

  it('cuts a single huge word into full-size pieces', () => {
    const word = 'x'.repeat(25);
    const parts = splitIntoParts(word, 10);
    expect(parts).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('keeps every character of a huge word among short ones', () => {
    const text = `hi ${'y'.repeat(30)} there`;
    const parts = splitIntoParts(text, 10);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(10);
    expect(parts.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  });

  it('never exceeds the limit, and the parts joined with spaces give back the words', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const text = sampleText(seed, 150, ASCII_WORDS);
      for (const limit of [20, 37, 64, 100, 250]) {
        const parts = splitIntoParts(text, limit);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
        expect(words(parts.join(' '))).toEqual(words(text));
      }
    }
  });

  it('measures with a custom function, e.g. UTF-8 bytes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const text = sampleText(seed, 150, UNICODE_WORDS);
      for (const limit of [80, 128, 300]) {
        const parts = splitIntoParts(text, limit, bytes);
        for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(limit);
        expect(words(parts.join(' '))).toEqual(words(text));
      }
    }
  });

  it('splits a huge word of two-byte characters by bytes', () => {
    expect(splitIntoParts('é'.repeat(10), 5, bytes)).toEqual(['éé', 'éé', 'éé', 'éé', 'éé']);
  });

  // BUG: the binary search cuts at any UTF-16 code unit, so an emoji (a surrogate pair) can be split in two
  // and each part then carries a lone surrogate, which platforms show as U+FFFD.
  it('never splits a surrogate pair', () => {
    const parts = splitIntoParts('😀'.repeat(5), 3);
    for (const part of parts) expect(part).not.toMatch(LONE_SURROGATE);
  });

  // BUG: like truncate, the boundaries are searched only inside the window (the largest prefix that fits), so a
  // sentence or word ending exactly at the limit is missed: the boundary right after it lies outside the window.
  it('keeps a sentence that ends exactly at the limit in one part', () => {
    expect(splitIntoParts('Aa bb cc dd. Ee ff gg hh', 12)).toEqual(['Aa bb cc dd.', 'Ee ff gg hh']);
  });

  it('keeps a word that ends exactly at the limit in the part', () => {
    expect(splitIntoParts('one two three four five six seven', 10)).toEqual([
      'one two',
      'three four',
      'five six',
      'seven',
    ]);
  });
});
