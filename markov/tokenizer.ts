// Splits chat messages into the tokens the Markov chain learns and emits, and joins tokens back into text.
// Links, mentions and e-mail addresses are dropped here so that no reply can ever reproduce them.

// One sticky regex pass per message. Each step skips whitespace, then tries the alternatives in order; a
// character nothing else takes (control and format characters, stray combining marks, a lone `@`) is
// consumed by the final `[^]` and dropped.
//
// Speed notes, measured on 221k IRC messages: Unicode property classes are slow to test on two-byte strings
// (every line sliced from a file that holds one non-Latin-1 character is one), so words try ASCII first and
// every branch starts with a cheap character test before any lookbehind or property class.

/** A word's first character, and the first after a joiner: a letter or digit in any script. */
const ALNUM = String.raw`(?:[A-Za-z0-9]|(?![\x00-\x7F]|\p{Extended_Pictographic})[\p{L}\p{N}])`;
/** The rest of a word segment, written as ASCII runs between single other characters so the engine loops over
 * plain ASCII without backtracking points. Combining marks are kept for the scripts that need them. */
const WORD_TAIL = String.raw`[A-Za-z0-9_]*(?:(?![\x00-\x7F]|\p{Extended_Pictographic})[\p{L}\p{N}\p{M}\u200C][A-Za-z0-9_]*)*`;

// Optional prefix only at a word's start: #channel, --flag, -5, +1, /path, ~/path. Inner ' ’ - . / join
// letters and digits (don't, state-of-the-art, v2.0, /etc/fstab); , and : join digits (1,000, 10:30).
// Trailing ++ or # (C++, C#).
const WORD =
  String.raw`(?:(?=[#+~/-])(?<![\p{L}\p{N}])(?:#|--?|\+(?=\p{N})|~?\/))?` +
  `${ALNUM}${WORD_TAIL}` +
  String.raw`(?:(?:['’\-‐./]|[,:](?<=\p{N}[,:])(?=\p{N}))` +
  `${ALNUM}${WORD_TAIL})*` +
  String.raw`(?:(?:\+\+|#)(?![\p{L}\p{N}]))?`;

/** 1️⃣ #️⃣: before words, which would otherwise take the digit and its marks. */
const KEYCAP = String.raw`[#*0-9]\uFE0F?\u20E3`;

const CODE = [
  String.raw`\x60\x60\x60[\s\S]*?\x60\x60\x60`,
  String.raw`\x60\x60(?:[^\x60]|\x60(?!\x60))+?\x60\x60`,
  String.raw`\x60[^\x60]+\x60`,
].join('|');

/** A link runs to the next space, angle bracket or backtick; parentheses only in balanced pairs (Wikipedia
 * links); trailing punctuation belongs to the sentence, so the greedy run backs off past it. */
const URL_BODY = String.raw`(?:[^\s<>()\x60]|\([^\s<>()\x60]*\))*(?<![.,!?;:'"’”…\]}])`;

/** Links and e-mail addresses. Each needs text that MAY_HOLD_LINK looks for. Schemes and local parts are
 * bounded (RFC limits) because these branches are tried at every word: unbounded, a long run of `a+a+a…`
 * would be rescanned from each of its tokens. */
const LINKS = [
  // <https://…> is Discord's "link without embed".
  String.raw`<[A-Za-z][\w+.-]{0,31}:\/\/[^\s>]*>`,
  String.raw`(?:[A-Za-z][\w+.-]{0,31}:\/\/|www\.|WWW\.|mailto:)${URL_BODY}`,
  String.raw`[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
].join('|');
const MAY_HOLD_LINK = /@|:\/\/|www\.|WWW\.|mailto:/;

const DROPPED = [
  // Users, roles, channels, slash commands, timestamps.
  String.raw`<(?:@[!&]?|#)\d+>|<\/[\w -]{1,100}:\d+>|<t:-?\d+(?::[A-Za-z])?>`,
  // @name, @everyone, @here; a trailing dot is the sentence's, not the name's.
  String.raw`@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?`,
  // A backtick that opens no complete code span would open one in the reply.
  String.raw`\x60+`,
].join('|');

const CUSTOM_EMOJI = String.raw`<a?:\w+:\d+>`;
const SHORTCODE = String.raw`:(?<![\p{L}\p{N}]:)(?=[\w+-]{0,63}[A-Za-z0-9])[\w+-]{1,64}:(?![\p{L}\p{N}])`;
const EMOJI_ATOM = String.raw`(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})(?:[\uFE0E\uFE0F]|\p{Emoji_Modifier}|[\u{E0020}-\u{E007F}])*`;
/** Flags, ZWJ sequences (👨‍👩‍👧‍👦), skin tones, tag sequences (🏴󠁧󠁢󠁳󠁣󠁴󠁿). */
const EMOJI = String.raw`(?=[^\x00-\x7F])(?:\p{Regional_Indicator}{2}|${EMOJI_ATOM}(?:\u200D${EMOJI_ATOM})*)`;
/** :) ;-) :D <3, only standing alone, so "at :30" or "1:3" are not read as faces. */
const EMOTICON = String.raw`(?=[:;=<])(?<!\S)(?:[:;=][-^']?[()[\]DPpOo3/\\|*]|<3)(?![\p{L}\p{N}])`;
// One kind of shaft per arrow, so a run like `=-=-…` is not rescanned from each of its tokens.
const ARROW = String.raw`<?(?:-+|=+)>|<(?:-+|=+)`;

const SENTENCE_END = '.!?…‽⁉⁈。！？';
const CLAUSE = ',;:，；：、';
const DASHES = String.raw`\-‐‑‒–—―`;
const SINGLES = String.raw`()[\]{}"'“”‘’«»‹›„‚「」『』¿¡`;
const PUNCTUATION = [
  `[${SENTENCE_END}]+`,
  `[${CLAUSE}]+`,
  `[${DASHES}]+`,
  `[${SINGLES}]`,
  // Any other run of symbols (&&, %, |) is one token; characters that belong to other branches stay out.
  String.raw`[^\s\p{L}\p{N}\p{M}\p{C}\p{Extended_Pictographic}\p{Regional_Indicator}@\x60` +
    `${SENTENCE_END}${CLAUSE}${DASHES}${SINGLES}]+`,
].join('|');

// Groups 1 and 3: kept tokens (split so that words, most tokens, are tried first); group 2: a code fragment,
// kept if safe; no group: dropped. Links must come before words (an e-mail address starts like one)
// and their e-mail branch rescans every word, so only messages that may hold a link pay for them.
const TAIL = String.raw`(${KEYCAP}|${WORD})|(${CODE})|${DROPPED}|(${CUSTOM_EMOJI}|${SHORTCODE}|${EMOJI}|${EMOTICON}|${ARROW}|${PUNCTUATION})|[^]`;
const WITHOUT_LINKS = new RegExp(String.raw`\s*(?:${TAIL})`, 'yu');
const WITH_LINKS = new RegExp(String.raw`\s*(?:${LINKS}|${TAIL})`, 'yu');

/** A code fragment that would carry a link or a mention into a reply is dropped like the bare form. */
const UNSAFE_CODE = /:\/\/|www\.|@/i;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = MAY_HOLD_LINK.test(text) ? WITH_LINKS : WITHOUT_LINKS;
  // Shared regexes are reset rather than rebuilt per call; tokenize never re-enters.
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const kept = match[1] ?? match[3];
    if (kept !== undefined) tokens.push(kept);
    else if (match[2] !== undefined && !UNSAFE_CODE.test(match[2])) tokens.push(match[2]);
  }
  return tokens;
}

const CLOSING = new Set([')', ']', '}', '”', '’', '»', '›', '」', '』', '%']);
const OPENING = new Set(['(', '[', '{', '“', '‘', '«', '‹', '„', '‚', '「', '『', '¿', '¡']);
const ATTACHES_LEFT = new RegExp(`^[${SENTENCE_END}${CLAUSE}]+$`);

export function detokenize(tokens: readonly string[]): string {
  const parts: string[] = [];
  // Straight quotes carry no direction: the first of a pair opens, the next closes (counted per kind).
  let doubleOpen = false;
  let singleOpen = false;
  let glueNext = true;
  for (const token of tokens) {
    let closes: boolean;
    let opens: boolean;
    if (token === '"') {
      closes = doubleOpen;
      doubleOpen = !doubleOpen;
      opens = doubleOpen;
    } else if (token === "'") {
      closes = singleOpen;
      singleOpen = !singleOpen;
      opens = singleOpen;
    } else {
      closes = CLOSING.has(token) || ATTACHES_LEFT.test(token);
      opens = OPENING.has(token);
    }
    if (!glueNext && !closes) parts.push(' ');
    parts.push(token);
    glueNext = opens;
  }
  return parts.join('');
}

const WORD_START = /^(?:#|--?|\+|~?\/)?(?!\p{Extended_Pictographic})[\p{L}\p{N}](?!\uFE0F?\u20E3)/u;

/** True for tokens from the word rule; code, emoji (also `:name:` and `<:name:id>`), emoticons and
 * punctuation are not. */
export function isWord(token: string): boolean {
  return WORD_START.test(token);
}

/** The form keyword matching and the verbatim guard compare: lower case, typographic apostrophe as `'`. */
export function normalizeWord(token: string): string {
  const lower = token.toLowerCase();
  return lower.includes('’') ? lower.replaceAll('’', "'") : lower;
}
