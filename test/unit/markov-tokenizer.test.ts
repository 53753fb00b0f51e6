// The Markov tokenizer: what becomes a token, what is dropped so replies never carry it, and how tokens are
// joined back into text.
import { describe, expect, it } from 'vitest';
import { detokenize, isWord, normalizeWord, tokenize } from '../../markov/tokenizer.js';

describe('tokenize: words', () => {
  it('keeps inner apostrophes, hyphens and dots, and the case as written', () => {
    expect(tokenize("Don't panic, it's state-of-the-art v2.0 at 3.14 GHz")).toEqual([
      "Don't",
      'panic',
      ',',
      "it's",
      'state-of-the-art',
      'v2.0',
      'at',
      '3.14',
      'GHz',
    ]);
  });

  it('keeps typographic apostrophes inside words', () => {
    expect(tokenize('I don’t know')).toEqual(['I', 'don’t', 'know']);
  });

  it('handles letters and digits in any script, with their combining marks', () => {
    expect(tokenize('Привет мир, 你好 naïve café नमस्ते ١٢٣')).toEqual([
      'Привет',
      'мир',
      ',',
      '你好',
      'naïve',
      'café',
      'नमस्ते',
      '١٢٣',
    ]);
  });

  it('joins digits across , and : but not words', () => {
    expect(tokenize('1,000 people at 10:30, ok')).toEqual(['1,000', 'people', 'at', '10:30', ',', 'ok']);
  });

  it('keeps paths, flags, channels, signed numbers and language names whole', () => {
    expect(
      tokenize('edit /etc/apt/sources.list or ~/notes, run apt-get --purge -y in #ubuntu: +1 -5 C++ C#'),
    ).toEqual([
      'edit',
      '/etc/apt/sources.list',
      'or',
      '~/notes',
      ',',
      'run',
      'apt-get',
      '--purge',
      '-y',
      'in',
      '#ubuntu',
      ':',
      '+1',
      '-5',
      'C++',
      'C#',
    ]);
  });

  it('does not join across doubled or trailing joiners', () => {
    expect(tokenize("foo--bar end. start- rock'")).toEqual([
      'foo',
      '--',
      'bar',
      'end',
      '.',
      'start',
      '-',
      'rock',
      "'",
    ]);
  });
});

describe('tokenize: punctuation', () => {
  it('makes each punctuation mark a token and keeps runs together', () => {
    expect(tokenize('Wait... what?! No; yes: maybe… ok!!!')).toEqual([
      'Wait',
      '...',
      'what',
      '?!',
      'No',
      ';',
      'yes',
      ':',
      'maybe',
      '…',
      'ok',
      '!!!',
    ]);
  });

  it('makes brackets and quotes single tokens', () => {
    expect(tokenize('He said "hi" (twice) [sic] {x} “really” ‘so’ «oui»')).toEqual([
      'He',
      'said',
      '"',
      'hi',
      '"',
      '(',
      'twice',
      ')',
      '[',
      'sic',
      ']',
      '{',
      'x',
      '}',
      '“',
      'really',
      '”',
      '‘',
      'so',
      '’',
      '«',
      'oui',
      '»',
    ]);
  });

  it('keeps long arrows whole', () => {
    expect(tokenize('look <------ here ====> there <==> both')).toEqual([
      'look',
      '<------',
      'here',
      '====>',
      'there',
      '<==>',
      'both',
    ]);
  });

  it('keeps dashes, arrows and symbol runs as one token each', () => {
    expect(tokenize('a - b — c --> d <- e => f && g 50%')).toEqual([
      'a',
      '-',
      'b',
      '—',
      'c',
      '-->',
      'd',
      '<-',
      'e',
      '=>',
      'f',
      '&&',
      'g',
      '50',
      '%',
    ]);
  });

  it('never emits whitespace, and an empty or blank message has no tokens', () => {
    expect(tokenize('  a\t\tb\n\nc  ')).toEqual(['a', 'b', 'c']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
  });

  it('skips control and format characters that belong to no token', () => {
    expect(tokenize('\u0001ACTION waves\u0001 \u200B')).toEqual(['ACTION', 'waves']);
  });
});

describe('tokenize: emoji', () => {
  it('keeps skin tones, ZWJ sequences, flags, keycaps and presentation selectors whole', () => {
    expect(tokenize('👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷 1️⃣ #️⃣ ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toEqual(['👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '1️⃣', '#️⃣', '❤️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']);
  });

  it('splits emoji from adjacent words and from each other', () => {
    expect(tokenize('nice👍🏽👍 wow🇫🇷🇩🇪')).toEqual(['nice', '👍🏽', '👍', 'wow', '🇫🇷', '🇩🇪']);
  });

  it('keeps Discord custom emoji and :shortcodes: as one token', () => {
    expect(tokenize('gg <:pog:123456> <a:dance:987654321> :smile: :+1: :thumbs_up:')).toEqual([
      'gg',
      '<:pog:123456>',
      '<a:dance:987654321>',
      ':smile:',
      ':+1:',
      ':thumbs_up:',
    ]);
  });

  it('keeps stand-alone emoticons whole but not colons inside text', () => {
    expect(tokenize('stable though :) sure ;-) :D <3 ratio:3 at :30')).toEqual([
      'stable',
      'though',
      ':)',
      'sure',
      ';-)',
      ':D',
      '<3',
      'ratio',
      ':',
      '3',
      'at',
      ':',
      '30',
    ]);
  });
});

describe('tokenize: code', () => {
  it('keeps inline code, including its backticks, as one token', () => {
    expect(tokenize('run `npm install --save` then `ls -la`.')).toEqual([
      'run',
      '`npm install --save`',
      'then',
      '`ls -la`',
      '.',
    ]);
  });

  it('keeps a triple-backtick block, newlines and all, as one token', () => {
    expect(tokenize('look:\n```ts\nconst x = 1;\n```\ndone')).toEqual([
      'look',
      ':',
      '```ts\nconst x = 1;\n```',
      'done',
    ]);
  });

  it('keeps double-backtick code that contains a backtick', () => {
    expect(tokenize('type ``a `b` c`` now')).toEqual(['type', '``a `b` c``', 'now']);
  });

  it('drops backticks that open no complete span', () => {
    expect(tokenize('a stray ` tick')).toEqual(['a', 'stray', 'tick']);
    expect(tokenize('an open ``` fence')).toEqual(['an', 'open', 'fence']);
  });

  it('drops code that would carry a link or mention into a reply', () => {
    expect(tokenize('see `https://example.com` and `@everyone` but `ok`')).toEqual([
      'see',
      'and',
      'but',
      '`ok`',
    ]);
  });
});

describe('tokenize: dropped text', () => {
  it('drops URLs with a scheme or www., leaving trailing punctuation to the sentence', () => {
    expect(
      tokenize(
        'see https://example.com/a?b=c, http://x.org/y. www.example.com! ftp://host/file (https://t.co/z)',
      ),
    ).toEqual(['see', ',', '.', '!', '(', ')']);
  });

  it('drops balanced parentheses inside a URL and Discord no-embed links', () => {
    expect(tokenize('wiki https://en.wikipedia.org/wiki/Foo_(bar) and <https://example.com/x> end')).toEqual([
      'wiki',
      'and',
      'end',
    ]);
  });

  it('keeps bare domains without scheme or www. as words', () => {
    expect(tokenize('try example.com today')).toEqual(['try', 'example.com', 'today']);
  });

  it('drops Discord mentions of users, roles and channels, and @everyone/@here', () => {
    expect(
      tokenize('hi <@123> <@!456> <@&789> in <#1011> @everyone @here </ban:42> <t:1700000000:R>'),
    ).toEqual(['hi', 'in']);
  });

  it('drops @name mentions but keeps the sentence punctuation after them', () => {
    expect(tokenize('thanks @bob.smith, and @Alice.')).toEqual(['thanks', ',', 'and', '.']);
  });

  it('drops a lone @', () => {
    expect(tokenize('meet @ noon')).toEqual(['meet', 'noon']);
  });

  it('drops e-mail addresses whole, including the local part', () => {
    expect(tokenize('mail john.doe+tag@example.co.uk or mailto:x@y.org.')).toEqual(['mail', 'or', '.']);
  });
});

describe('detokenize', () => {
  const sentences = [
    'Hello, world!',
    "Don't panic... it's fine.",
    'Is this state-of-the-art? Yes; mostly: v2.0 works.',
    'He said "hi there" and left (quickly).',
    'A list [one, two] and {three}.',
    'Wait?! Really…',
    'I’m “quoted” and ‘single’ too.',
    'Run `npm test` then relax :)',
    'Nice 👍🏽 <:pog:123> :smile: indeed.',
    '50% of /etc/fstab is C++ -- or so.',
    "She wrote 'yes' twice.",
  ];

  it.each(sentences)('restores %j', (sentence) => {
    expect(detokenize(tokenize(sentence))).toBe(sentence);
  });

  it('normalises spacing around punctuation', () => {
    expect(detokenize(tokenize('Hello ,   world ( ok ) !'))).toBe('Hello, world (ok)!');
  });

  it('alternates straight double quotes open/close across a reply', () => {
    expect(detokenize(['"', 'a', '"', 'b', '"', 'c', '"'])).toBe('"a" b "c"');
  });

  it('joins nothing into an empty string and a single token into itself', () => {
    expect(detokenize([])).toBe('');
    expect(detokenize(['.'])).toBe('.');
  });
});

describe('isWord', () => {
  it.each(['hello', "don't", 'v2.0', '3.14', '你好', '#ubuntu', '--purge', '-5', '/etc/fstab', 'C++'])(
    '%j is a word',
    (token) => {
      expect(isWord(token)).toBe(true);
    },
  );

  it.each([
    '.',
    '?!',
    '(',
    '"',
    '-->',
    '👍🏽',
    '1️⃣',
    '#️⃣',
    ':smile:',
    '<:pog:123>',
    ':)',
    ':D',
    '<3',
    '`code`',
  ])('%j is not a word', (token) => {
    expect(isWord(token)).toBe(false);
  });

  it('agrees with the tokenizer on which tokens are words', () => {
    const tokens = tokenize('Hi, `x` 👍 :) 3.14 state-of-the-art!');
    expect(tokens.filter(isWord)).toEqual(['Hi', '3.14', 'state-of-the-art']);
  });
});

describe('normalizeWord', () => {
  it('lower-cases in any script', () => {
    expect(normalizeWord('Hello')).toBe('hello');
    expect(normalizeWord('ПРИВЕТ')).toBe('привет');
    expect(normalizeWord('v2.0')).toBe('v2.0');
  });

  it('treats the typographic apostrophe like the straight one', () => {
    expect(normalizeWord('Don’t')).toBe("don't");
    expect(normalizeWord("DON'T")).toBe("don't");
  });
});
