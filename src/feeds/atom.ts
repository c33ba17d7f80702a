// Atom 1.0 (RFC 4287) documents, written by hand: the format is small, and every piece of text
// goes through one escaping function that also drops characters XML 1.0 cannot carry.

export interface AtomEntry {
  id: string;
  title: string;
  /** ISO 8601 instant. */
  updated: string;
  published?: string;
  link: string;
  author: string;
  /** Plain text; line breaks are kept by feed readers that honour type="text". */
  content: string;
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  lang: string;
  selfLink: string;
  alternateLink: string;
  author: string;
  entries: AtomEntry[];
}

// Control characters (other than tab, LF, CR), lone surrogates and U+FFFE/U+FFFF are not XML.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any character the full escape below would change (a surrogate, even paired, takes the full path). */
const MAY_CHANGE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function xmlEscape(text: string): string {
  // Most text (Chinese titles, slugs, dates) has nothing to escape: one test instead of six replaces.
  if (!MAY_CHANGE.test(text)) return text;
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Dates already converted: a feed shows the same entries to every reader that polls it, and
 * parsing a date is a good part of writing an entry. Bounded; emptied when full.
 */
const atomDates = new Map<string, string>();
const ATOM_DATES_KEPT = 10_000;

/** Atom dates are RFC 3339; anything unreadable falls back to the epoch rather than breaking the feed. */
function atomDate(iso: string): string {
  let out = atomDates.get(iso);
  if (out === undefined) {
    const d = new Date(iso);
    out = Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
    if (atomDates.size >= ATOM_DATES_KEPT) atomDates.clear();
    atomDates.set(iso, out);
  }
  return out;
}

function entryXml(e: AtomEntry): string {
  let xml =
    `  <entry>\n    <id>${xmlEscape(e.id)}</id>\n    <title type="text">${xmlEscape(e.title)}</title>\n    <updated>${atomDate(e.updated)}</updated>\n` +
    (e.published ? `    <published>${atomDate(e.published)}</published>\n` : '') +
    `    <link rel="alternate" type="text/html" href="${xmlEscape(e.link)}"/>\n    <author><name>${xmlEscape(e.author)}</name></author>\n`;
  for (const c of e.categories ?? []) xml += `    <category term="${xmlEscape(c)}"/>\n`;
  return `${xml}    <content type="text">${xmlEscape(e.content)}</content>\n  </entry>`;
}

export function renderAtom(feed: AtomFeed): string {
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(feed.lang)}">`,
    `  <id>${xmlEscape(feed.id)}</id>`,
    `  <title type="text">${xmlEscape(feed.title)}</title>`,
  ];
  if (feed.subtitle) head.push(`  <subtitle type="text">${xmlEscape(feed.subtitle)}</subtitle>`);
  head.push(
    `  <updated>${atomDate(feed.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.selfLink)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(feed.alternateLink)}"/>`,
    `  <author><name>${xmlEscape(feed.author)}</name></author>`,
  );
  return [...head, ...feed.entries.map(entryXml), '</feed>', ''].join('\n');
}
