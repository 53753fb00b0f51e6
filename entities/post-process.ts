// Reply post-processing: the seed system's filterOut / trimAfter / trimWhitespace, a length cap,
// and splitting into platform-sized parts.

export interface PostProcessRules {
  filterOut: readonly string[];
  trimAfter: readonly string[];
  trimWhitespace: boolean;
  maxLength: number;
}

/** Cuts `text` to at most `max` characters, preferring a sentence end, then a word boundary. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = Math.max(
    head.lastIndexOf('. '),
    head.lastIndexOf('! '),
    head.lastIndexOf('? '),
    head.lastIndexOf('\n'),
  );
  if (sentence >= max * 0.5) return head.slice(0, sentence + 1).trimEnd();
  const space = head.lastIndexOf(' ');
  if (space >= max * 0.5) return `${head.slice(0, space).trimEnd()}…`;
  return `${head.slice(0, max - 1)}…`;
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
  if (rules.trimWhitespace)
    text = text
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/ {2,}/g, ' ')
      .trim();
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
    // Largest prefix that fits: binary search on character count (measure is monotonic).
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(rest.slice(0, mid)) <= limit) lo = mid;
      else hi = mid - 1;
    }
    const window = rest.slice(0, lo);
    const sentenceEnd = Math.max(
      ...['. ', '! ', '? ', '\n'].map((mark) => {
        const i = window.lastIndexOf(mark);
        return i < 0 ? -1 : i + 1;
      }),
    );
    const cut =
      sentenceEnd >= lo * 0.5
        ? sentenceEnd
        : window.lastIndexOf(' ') >= lo * 0.5
          ? window.lastIndexOf(' ')
          : lo;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  return parts.filter((p) => p.length > 0);
}
