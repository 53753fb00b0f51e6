// A tolerant reader of RSS 2.0 and Atom feeds: the feed's title and its items' titles and dates, newest first.
// Not a general XML parser: it finds <item>/<entry> elements and their <title> and date elements, handles
// CDATA, entities and markup inside titles, and ignores everything else (namespaces, malformed neighbours).

export interface FeedItem {
  title: string;
  /** Milliseconds since the epoch, when the item carries a date that parses. */
  published?: number;
}

export interface Feed {
  title?: string;
  items: FeedItem[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text content of an element's inner XML: CDATA kept verbatim, tags dropped, entities decoded. */
export function textContent(inner: string): string {
  let out = '';
  const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = cdata.exec(inner); m; m = cdata.exec(inner)) {
    out += decodeEntities(inner.slice(last, m.index).replace(/<[^>]*>/g, ''));
    out += m[1] ?? '';
    last = m.index + m[0].length;
  }
  out += decodeEntities(inner.slice(last).replace(/<[^>]*>/g, ''));
  // Titles with HTML inside CDATA or escaped markup (Atom type="html") lose their tags too.
  return decodeEntities(out.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The inner XML of the first element named `name` (any namespace prefix) in `xml`. */
function firstElement(xml: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const re = new RegExp(
      `<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${name}\\s*>)`,
      'i',
    );
    const m = re.exec(xml);
    if (m) return m[1] ?? '';
  }
  return undefined;
}

const ITEM = /<(item|entry)(?:\s[^>]*)?>([\s\S]*?)<\/\1\s*>/.source;
const DATE_ELEMENTS = ['pubDate', 'published', 'updated', 'date'] as const;

/** Reads a feed; throws when the text has neither RSS items nor Atom entries nor a feed/channel element. */
export function parseFeed(xml: string): Feed {
  const firstItem = xml.search(/<(item|entry)[\s>]/i);
  const head = firstItem >= 0 ? xml.slice(0, firstItem) : xml;
  if (firstItem < 0 && !/<(rss|feed|channel|rdf:RDF)[\s>]/i.test(xml))
    throw new Error('not an RSS or Atom feed');
  const titleXml = firstElement(head, ['title']);
  const feed: Feed = { items: [] };
  const title = titleXml === undefined ? '' : textContent(titleXml);
  if (title) feed.title = title;
  const items = new RegExp(ITEM, 'gi');
  for (let m = items.exec(xml); m; m = items.exec(xml)) {
    const body = m[2] ?? '';
    const itemTitle = textContent(firstElement(body, ['title']) ?? '');
    if (!itemTitle) continue;
    const item: FeedItem = { title: itemTitle };
    const dateXml = firstElement(body, DATE_ELEMENTS);
    const published = dateXml === undefined ? NaN : Date.parse(textContent(dateXml));
    if (Number.isFinite(published)) item.published = published;
    feed.items.push(item);
  }
  // Newest first when every item is dated; otherwise the feed's own order (usually newest first already).
  if (feed.items.length > 0 && feed.items.every((i) => i.published !== undefined))
    feed.items.sort((a, b) => (b.published ?? 0) - (a.published ?? 0));
  return feed;
}
