// Tokens for the FTS5 index. SQLite's unicode61 tokenizer keeps a whole run of Han
// characters as one token, and trigram cannot answer 1–2 character queries, which are the
// most common Chinese searches (供暖, 拥堵, 物价). So Han runs are indexed as single
// characters and overlapping bigrams; a query is cut the same way and every piece must match.

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;

/** Terms kept from one query: more would only slow the search down without narrowing it usefully. */
export const MAX_QUERY_TERMS = 32;

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

/** One piece of a query that a matching pledge must contain: the whole token, or (Latin words) a token starting with it. */
export interface QueryTerm {
  text: string;
  prefix: boolean;
}

/**
 * The terms every match must have, in the order typed, each once, at most MAX_QUERY_TERMS.
 * Han runs become their bigrams (or the single character); Latin words match as prefixes.
 * Both ways of reading a search (the FTS expression below and the pledge_terms probe in
 * src/search/fold.ts) start from this list, so they cannot cut a query differently.
 */
export function queryTerms(query: string): QueryTerm[] {
  const terms = new Map<string, QueryTerm>();
  for (const m of query.normalize('NFKC').matchAll(WORD)) {
    const w = m[0];
    if (HAN.test(w)) {
      const chars = Array.from(w);
      if (chars.length === 1) addTerm(terms, chars[0], false);
      else for (let i = 0; i + 1 < chars.length; i++) addTerm(terms, chars[i] + chars[i + 1], false);
    } else {
      addTerm(terms, w.toLowerCase(), true);
    }
  }
  return [...terms.values()].slice(0, MAX_QUERY_TERMS);
}

/** Keeps the first of equal terms (a whole token and a prefix of the same text are different terms). */
function addTerm(terms: Map<string, QueryTerm>, text: string, prefix: boolean): void {
  const key = prefix ? `${text}*` : text;
  if (!terms.has(key)) terms.set(key, { text, prefix });
}

/**
 * An FTS5 MATCH expression for a user's query, or null when nothing searchable is left.
 * Every piece is quoted, so nothing the user types is read as FTS syntax.
 */
export function matchExpression(query: string): string | null {
  return ftsExpression(queryTerms(query));
}

/** The MATCH expression of terms from queryTerms (null for none). */
export function ftsExpression(terms: readonly QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  // WORD never takes a quote, so the quoting cannot be broken out of.
  return terms.map((t) => (t.prefix ? `"${t.text}"*` : `"${t.text}"`)).join(' AND ');
}
