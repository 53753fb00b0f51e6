// The verbatim rule as the issue states it, by scanning every message: the brute-force reference the guard's
// tests compare against. Replies under 3 words are checked only as whole messages.

export function referenceIsVerbatim(
  messages: readonly (readonly number[])[],
  reply: readonly number[],
): boolean {
  const length = reply.length;
  const same = (a: readonly number[], b: readonly number[]): boolean =>
    a.length === b.length && a.every((word, k) => word === b[k]);
  if (messages.some((message) => same(message, reply))) return true;
  if (length < 3) return false;
  const run = Math.min(15, Math.round(0.7 * length)) + 1;
  for (let w = 0; w + run <= length; w++) {
    const window = reply.slice(w, w + run);
    for (const message of messages) {
      for (let o = 0; o + run <= message.length; o++) {
        if (same(message.slice(o, o + run), window)) return true;
      }
    }
  }
  return false;
}
