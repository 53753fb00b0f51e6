// Fits answers into Discord's 2000-character message: blocks are packed into pages without splitting one, and an
// overlong block is cut with a visible marker.

export const MESSAGE_LIMIT = 2000;

/** Cuts text to `limit` characters, ending with an ellipsis when it was cut. */
export function truncate(text: string, limit = MESSAGE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * Packs blocks (joined by newlines) into pages of at most `limit` characters, leaving room for a footer line
 * (`page i/n`) when there is more than one page. Returns every page.
 */
export function paginate(header: string, blocks: readonly string[], limit = MESSAGE_LIMIT): string[] {
  const footerRoom = 40;
  const room = limit - footerRoom;
  const pages: string[][] = [];
  let current: string[] = [header];
  let size = header.length;
  for (const raw of blocks) {
    const block = truncate(raw, room - header.length - 1);
    if (size + 1 + block.length > room && current.length > 1) {
      pages.push(current);
      current = [header];
      size = header.length;
    }
    current.push(block);
    size += 1 + block.length;
  }
  pages.push(current);
  if (pages.length === 1) return [truncate(current.join('\n'), limit)];
  return pages.map((p, i) => `${p.join('\n')}\n_page ${i + 1}/${pages.length} (page option for more)_`);
}
