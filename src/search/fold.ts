// pledge_terms (migration 0012) holds each published pledge's search tokens as the full-text
// index itself holds them, so a search can check one pledge with a b-tree seek per term
// instead of building the set of all matches first (src/pledges/queries.ts, "probing").
//
// "As the index holds them" is the point: FTS5's unicode61 tokenizer (with remove_diacritics 2)
// lower-cases and strips diacritics with its own Unicode tables, which differ from JavaScript's
// for hundreds of letters (Cherokee, Georgian, Latin letters with a stroke…) and treat a few
// letters JavaScript knows as separators. Rather than copy those tables, each character is put
// once through the same tokenizer in a private in-memory database and the answer is kept, so
// the probe and the MATCH query agree on every character by construction.
import Database from 'better-sqlite3';
import type { QueryTerm } from './tokens.ts';

/** pledge_search's tokenizer (migration 0001); test/search checks the two stay the same. */
export const PLEDGE_SEARCH_TOKENIZER = 'unicode61 remove_diacritics 2';

/** What the tokenizer does to one character: ends the token (null), or becomes this text ('' when dropped). */
type CharFold = string | null;

const folds = new Map<string, CharFold>();
let tokenizer: { put: Database.Statement; read: Database.Statement; clear: Database.Statement } | undefined;

function askTokenizer(char: string): CharFold {
  if (!tokenizer) {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE probe USING fts5(tokens, tokenize = '${PLEDGE_SEARCH_TOKENIZER}');
      CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, instance);`);
    tokenizer = {
      put: db.prepare('INSERT INTO probe (rowid, tokens) VALUES (1, ?)'),
      read: db.prepare('SELECT term FROM probe_terms ORDER BY "offset"').pluck(),
      clear: db.prepare('DELETE FROM probe'),
    };
  }
  // Between two x's (which fold to themselves) one token "x…x" comes back unless the
  // character separates tokens.
  tokenizer.put.run(`x${char}x`);
  const terms = tokenizer.read.all() as string[];
  tokenizer.clear.run();
  return terms.length === 1 ? terms[0].slice(1, -1) : null;
}

function foldChar(char: string): CharFold {
  const code = char.charCodeAt(0);
  // ASCII, most of any query, needs no question: letters fold to lower case, digits stay,
  // everything else separates tokens.
  if (code < 0x80) {
    if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 32);
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) ? char : null;
  }
  let fold = folds.get(char);
  if (fold === undefined) {
    fold = askTokenizer(char);
    // Bounded by the number of characters in Unicode; in practice a few thousand.
    folds.set(char, fold);
  }
  return fold;
}

/** The tokens the FTS tokenizer makes of a text (in order, with repeats). */
export function ftsTokens(text: string): string[] {
  const out: string[] = [];
  let token = '';
  let open = false;
  for (const char of text) {
    const fold = foldChar(char);
    if (fold === null) {
      if (open && token) out.push(token);
      token = '';
      open = false;
    } else {
      token += fold;
      open = true;
    }
  }
  if (open && token) out.push(token);
  return out;
}

/** The distinct tokens of indexTokens' text, as pledge_terms stores them for one pledge. */
export function storedTerms(indexText: string): string[] {
  return [...new Set(ftsTokens(indexText))];
}

/**
 * A query's terms as pledge_terms compares them, or null when a probe could not answer exactly
 * what MATCH answers: a term the tokenizer splits in two is a phrase to MATCH (the two tokens
 * next to each other), which pledge_terms (no positions) cannot check.
 */
export function probeTerms(terms: readonly QueryTerm[]): QueryTerm[] | null {
  const out = new Map<string, QueryTerm>();
  for (const term of terms) {
    const tokens = ftsTokens(term.text);
    if (tokens.length !== 1) return null;
    const key = term.prefix ? `${tokens[0]}*` : tokens[0];
    if (!out.has(key)) out.set(key, { text: tokens[0], prefix: term.prefix });
  }
  return [...out.values()];
}

/**
 * The exclusive upper bound of the tokens starting with `prefix`. Tokens hold only letters and
 * digits, never U+10FFFF (a noncharacter), and it sorts (as UTF-8 bytes, SQLite's BINARY) after
 * every other character, U+FFFF and the supplementary planes included.
 */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
