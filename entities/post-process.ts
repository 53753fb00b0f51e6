// Reply post-processing: the seed system's filterOut / trimAfter / trimWhitespace, a length cap,
// and splitting into platform-sized parts.

export interface PostProcessRules {
  filterOut: readonly string[];
  trimAfter: readonly string[];
  trimWhitespace: boolean;
  maxLength: number;
}

const SENTENCE_ENDS = ['. ', '! ', '? ', '\n'];

/** Index just after the last sentence end within `text` (a mark may end exactly at its last character). */
function lastSentenceEnd(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  let best = -1;
  for (const mark of SENTENCE_ENDS) {
    const i = window.lastIndexOf(mark);
    if (i >= 0 && i + 1 <= limit) best = Math.max(best, i + 1);
  }
  return best;
}

/** Index of the last space at or before `limit`, so a word ending exactly at the limit stays whole. */
function lastSpace(text: string, limit: number): number {
  return text.slice(0, limit + 1).lastIndexOf(' ');
}

/** Never cut between the two halves of a surrogate pair (an emoji, say). */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at > 1 && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** Cuts `text` to at most `max` characters, preferring a sentence end, then a word boundary. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const sentence = lastSentenceEnd(text, max);
  if (sentence >= max * 0.5) return text.slice(0, sentence).trimEnd();
  const space = lastSpace(text, max - 1);
  if (space >= max * 0.5) return `${text.slice(0, space).trimEnd()}…`;
  return `${text.slice(0, safeCut(text, max - 1))}…`;
}

export function postProcess(raw: string, rules: PostProcessRules): string {
  // A model often opens with whitespace; a trimAfter marker there would otherwise empty the reply.
  let text = raw.replace(/^\s+/, '');
  for (const marker of rules.trimAfter) {
    if (!marker) continue;
    const at = text.indexOf(marker);
    if (at >= 0) text = text.slice(0, at);
  }
  for (const unwanted of rules.filterOut) if (unwanted) text = text.split(unwanted).join('');
  if (rules.trimWhitespace) {
    text = text
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/ {2,}/g, ' ')
      .trim();
  }
  return truncate(text, rules.maxLength);
}

/**
 * Splits a text into parts of at most `limit` units (measured by `measure`, characters by default),
 * at sentence ends where possible, then at spaces, and only then mid-word.
 */
export function splitIntoParts(
  text: string,
  limit: number,
  measure: (s: string) => number = (s) => s.length,
): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (measure(rest) <= limit) {
      parts.push(rest);
      break;
    }
    // Largest prefix that fits: binary search on character count (measure grows with length).
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(rest.slice(0, mid)) <= limit) lo = mid;
      else hi = mid - 1;
    }
    const sentence = lastSentenceEnd(rest, lo);
    const space = lastSpace(rest, lo);
    const cut = sentence >= lo * 0.5 ? sentence : space > 0 ? space : safeCut(rest, lo);
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  return parts.filter((p) => p.length > 0);
}
