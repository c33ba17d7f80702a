// pledge_terms must hold exactly the tokens pledge_search holds, and a probe must look for
// exactly the tokens MATCH looks for. src/search/fold.ts gets there by asking FTS5's tokenizer
// one character at a time; these tests hold its answers to what a real FTS5 table makes of
// whole texts.
import t from 'tap';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { build } from '../helpers.ts';
import { ftsTokens, prefixEnd, probeTerms, storedTerms, PLEDGE_SEARCH_TOKENIZER } from '../../src/search/fold.ts';
import { ftsExpression, indexTokens, matchExpression, queryTerms, MAX_QUERY_TERMS } from '../../src/search/tokens.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

/** What a real FTS5 table with pledge_search's tokenizer makes of each text: its tokens in order. */
function tokenizedByFts(texts: string[]): string[][] {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE f USING fts5(tokens, tokenize = '${PLEDGE_SEARCH_TOKENIZER}'); CREATE VIRTUAL TABLE v USING fts5vocab(f, instance);`);
    const insert = db.prepare('INSERT INTO f (rowid, tokens) VALUES (?, ?)');
    db.transaction(() => texts.forEach((text, i) => insert.run(i + 1, text)))();
    const out: string[][] = texts.map(() => []);
    for (const r of db.prepare('SELECT doc, term FROM v ORDER BY doc, "offset"').all() as { doc: number; term: string }[]) out[r.doc - 1].push(r.term);
    return out;
  } finally {
    db.close();
  }
}

/** Scripts whose case folding or diacritics differ between SQLite's tables and JavaScript's, and the CJK the site is written in. */
const RANGES: [number, number][] = [
  [0x0000, 0x052f], // ASCII, Latin-1, Latin Extended-A/B, IPA, Greek, Cyrillic
  [0x10a0, 0x10ff], // Georgian
  [0x13a0, 0x13ff], // Cherokee
  [0x1e00, 0x1fff], // Latin Extended Additional, Greek Extended
  [0x2c00, 0x2c7f], // Glagolitic
  [0x3000, 0x30ff], // CJK punctuation, kana
  [0x4e00, 0x51ff], // CJK Unified Ideographs
  [0xa640, 0xa7ff], // Cyrillic Extended-B, Latin Extended-D
  [0xab70, 0xabbf], // Cherokee small letters
  [0xff00, 0xffef], // full-width forms
  [0x10400, 0x1044f], // Deseret
  [0x1e900, 0x1e95f], // Adlam
  [0x20000, 0x200ff], // CJK Extension B
];
const chars: string[] = [];
for (const [from, to] of RANGES) for (let cp = from; cp <= to; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));

t.test('every character is folded or splits tokens exactly as the FTS5 tokenizer does', async (t) => {
  // Between two letters, so a character that separates tokens shows as two tokens.
  const texts = chars.map((c) => `ab${c}CD`);
  const want = tokenizedByFts(texts);
  const differ = texts.filter((text, i) => JSON.stringify(ftsTokens(text)) !== JSON.stringify(want[i]));
  t.same(differ.slice(0, 10), [], `${chars.length} characters checked`);
  // The cases that made a JavaScript fold wrong (so the check above would catch one).
  t.same(ftsTokens('Ǡ Ꭰ ΑΣ Straße ÉTÉ'), tokenizedByFts(['Ǡ Ꭰ ΑΣ Straße ÉTÉ'])[0]);
  t.same(ftsTokens('ÉTÉ'), ['ete'], 'Latin diacritics go, as remove_diacritics 2 does');
  t.same(ftsTokens('Ꭰ'), ['Ꭰ'], 'Cherokee keeps its case in SQLite, unlike toLowerCase');
});

t.test('random texts are tokenized as FTS5 tokenizes them', async (t) => {
  const text = fc.array(fc.oneof(fc.constantFrom(' ', ' ', '-', '·'), fc.constantFrom(...chars)), { maxLength: 20 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), (texts) => {
      const want = tokenizedByFts(texts);
      return texts.every((x, i) => JSON.stringify(ftsTokens(x)) === JSON.stringify(want[i]));
    }),
    { numRuns: RUNS },
  );
});

t.test('the tokenizer asked is the one pledge_search was created with', async (t) => {
  const app = await build(t);
  const row = app.db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'pledge_search'").get() as { sql: string };
  t.match(row.sql, `tokenize = '${PLEDGE_SEARCH_TOKENIZER}'`);
});

t.test('stored terms: each token of the index text once, folded', async (t) => {
  t.same(storedTerms(indexTokens('小区小区 Café café 2026')).sort(), ['2026', 'cafe', '区', '区小', '小', '小区'].sort());
  t.same(storedTerms(''), []);
});

t.test('probe terms: the MATCH terms as the index holds them, or none when MATCH would read a phrase', async (t) => {
  t.same(probeTerms(queryTerms('服务群众')), [
    { text: '服务', prefix: false },
    { text: '务群', prefix: false },
    { text: '群众', prefix: false },
  ]);
  t.same(probeTerms(queryTerms('Café 小')), [
    { text: 'cafe', prefix: true },
    { text: '小', prefix: false },
  ]);
  t.same(probeTerms(queryTerms('café CAFE')), [{ text: 'cafe', prefix: true }], 'terms that fold alike are checked once');
  t.same(probeTerms(queryTerms('ЁЖ')), [{ text: 'ёж', prefix: true }]);
  // U+19B0 (New Tai Lue) is a letter to JavaScript but separates tokens in SQLite's tables:
  // MATCH reads "a\u19b0b" as the phrase "a b", which pledge_terms cannot check.
  t.same(ftsTokens('a\u19b0b'), ['a', 'b']);
  t.equal(probeTerms(queryTerms('a\u19b0b')), null, 'such a query is read from the matches');
});

t.test('queryTerms is the one cutting behind matchExpression', async (t) => {
  t.same(queryTerms('服务群众 Heat 水'), [
    { text: '服务', prefix: false },
    { text: '务群', prefix: false },
    { text: '群众', prefix: false },
    { text: 'heat', prefix: true },
    { text: '水', prefix: false },
  ]);
  t.equal(matchExpression('服务群众 Heat 水'), ftsExpression(queryTerms('服务群众 Heat 水')));
  t.same(queryTerms('小区小区'), [
    { text: '小区', prefix: false },
    { text: '区小', prefix: false },
  ], 'repeated pieces once');
  const long = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  t.equal(queryTerms(long).length, MAX_QUERY_TERMS, 'at most 32 terms');
  t.same(queryTerms('  '), []);
  t.equal(ftsExpression([]), null);
});

t.test('a prefix range holds every token that starts with the prefix, supplementary characters included, and nothing else', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  db.exec('CREATE TABLE x (token TEXT PRIMARY KEY) WITHOUT ROWID');
  const tokens = ['a', 'ab', 'a\uffff', 'a\u{20000}', 'a\u{2ffff}z', 'b', '`', 'a\u{10fffd}'];
  const insert = db.prepare('INSERT INTO x VALUES (?)');
  for (const token of tokens) insert.run(token);
  const within = db.prepare('SELECT token FROM x WHERE token >= ? AND token < ? ORDER BY token').pluck().all('a', prefixEnd('a')) as string[];
  t.same(within.sort(), tokens.filter((x) => x.startsWith('a')).sort());
});
