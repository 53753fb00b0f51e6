// Pure text signals used by the analyzer: questions, words and keywords.

const QUESTION_OPENERS = new Set([
  'who',
  'what',
  'when',
  'where',
  'why',
  'how',
  'which',
  'whose',
  'is',
  'are',
  'am',
  'was',
  'were',
  'can',
  'could',
  'would',
  'should',
  'will',
  'do',
  'does',
  'did',
  'have',
  'has',
  'may',
  'might',
  'shall',
  'anyone',
  'anybody',
]);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}_'’.-]*/gu;
const NEEDS_CLEANUP = /['’.-]/;

/**
 * Lower-cased words of a text, with mentions' `@` dropped, trailing dots removed, a possessive `'s` dropped
 * ("Sage's" names Sage) and other apostrophes removed ("don't" → "dont").
 */
export function words(text: string): string[] {
  const found = text.toLowerCase().match(WORD) ?? [];
  const out: string[] = [];
  for (const raw of found) {
    // Most words have no punctuation at all; only those pay for the clean-up.
    const w = NEEDS_CLEANUP.test(raw)
      ? raw
          .replace(/[.'’-]+$/, '')
          .replace(/['’]s$/, '')
          .replace(/['’]/g, '')
      : raw;
    if (w.length > 0) out.push(w);
  }
  return out;
}

/** True when a message asks something: it has a question mark, or opens with a question word. */
export function isQuestion(text: string): boolean {
  if (text.includes('?')) return true;
  const first = words(text.slice(0, 40))[0];
  return first !== undefined && QUESTION_OPENERS.has(first) && text.trim().length > first.length + 3;
}

const STOPWORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for with from up down out over under about into as is are was ' +
    'were be been being am i me my we our you your he him his she her it its they them their this that these those ' +
    'what which who whom whose when where why how all any both each few more most other some such no nor not only ' +
    'own same than too very can will just don should now do does did have has had would could there here also yes ' +
    'ok okay hi hello hey thanks thank please lol im its dont cant wont get got like know think really well oh'
  ).split(' '),
);

/** Content words of a text, most distinctive (longest) first, for seeding replies and naming topics. */
export function keywords(text: string, max = 5): string[] {
  const seen = new Set<string>();
  for (const w of words(text)) {
    if (w.length >= 3 && !STOPWORDS.has(w) && !/^\d+$/.test(w)) seen.add(w);
  }
  return [...seen].sort((a, b) => b.length - a.length).slice(0, max);
}
