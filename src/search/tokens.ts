// Tokens for the FTS5 index. SQLite's unicode61 tokenizer keeps a whole run of Han
// characters as one token, and trigram cannot answer 1–2 character queries, which are the
// most common Chinese searches (供暖, 拥堵, 物价). So Han runs are indexed as single
// characters and overlapping bigrams; a query is cut the same way and every piece must match.

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;

function hanPieces(run: string): string[] {
  const chars = Array.from(run);
  const out = [...chars];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Text to store in the index: space-separated tokens. */
export function indexTokens(...texts: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const m of text.normalize('NFKC').matchAll(WORD)) {
      const w = m[0];
      if (HAN.test(w)) out.push(...hanPieces(w));
      else out.push(w.toLowerCase());
    }
  }
  return out.join(' ');
}

/**
 * An FTS5 MATCH expression for a user's query, or null when nothing searchable is left.
 * Han runs become their bigrams (or the single character); Latin words match as prefixes.
 * Every piece is quoted, so nothing the user types is read as FTS syntax.
 */
export function matchExpression(query: string): string | null {
  const terms: string[] = [];
  for (const m of query.normalize('NFKC').matchAll(WORD)) {
    const w = m[0];
    if (HAN.test(w)) {
      const chars = Array.from(w);
      if (chars.length === 1) terms.push(`"${chars[0]}"`);
      else for (let i = 0; i + 1 < chars.length; i++) terms.push(`"${chars[i]}${chars[i + 1]}"`);
    } else {
      terms.push(`"${w.toLowerCase().replace(/"/g, '')}"*`);
    }
  }
  if (terms.length === 0) return null;
  return [...new Set(terms)].slice(0, 32).join(' AND ');
}
