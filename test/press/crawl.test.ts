import t from 'tap';
import fc from 'fast-check';
import { renderCrawl, wrapItem, unbreakables } from '../../src/press/outputs/crawl.ts';
import { displayWidth } from '../../src/press/outputs/width.ts';
import { doc, row } from './doc-fixture.ts';

t.test('display width: CJK and full-width count two, Latin one, combining marks none', async (t) => {
  t.equal(displayWidth('abc'), 3);
  t.equal(displayWidth('供水'), 4);
  t.equal(displayWidth('ＡＢ'), 4, 'full-width Latin');
  t.equal(displayWidth('e\u0301'), 1, 'e + combining acute');
  t.equal(displayWidth('a\u200Bb'), 2, 'zero-width space');
  t.equal(displayWidth('“'), 2, 'ambiguous quotes are wide in a Chinese context');
  t.equal(displayWidth('“', { ambiguousAsWide: false }), 1);
});

t.test('numbers, dates and words stay whole', async (t) => {
  const pieces = unbreakables('于2026年11月26日前完成1,529项，完成率85%，see 26 November 2026 and co-units').map((p) => p.text);
  for (const whole of ['2026年11月26日', '1,529', '85%', '26 November 2026', 'co-units']) {
    t.ok(pieces.some((p) => p.includes(whole)), `${whole} is one piece`);
  }
  t.same(wrapItem('ab 1234567890 cd', 12), ['ab', '1234567890', 'cd']);
  t.same(wrapItem('供水供水供水1234567', 16), ['供水供水供水', '1234567'], 'the number moves to the next line rather than split');
  t.same(wrapItem('供水。供水', 5), ['供', '水。', '供水'], 'closing punctuation never starts a line');
  t.same(wrapItem('aaa（供水）', 5), ['aaa', '（供', '水）'], 'opening punctuation never ends a line');
  t.same(wrapItem('x'.repeat(30), 12), ['x'.repeat(12), 'x'.repeat(12), 'x'.repeat(6)], 'only a piece wider than a whole line is cut');
});

t.test('a crawl file: one item per line, heading first, UTF-8 text', async (t) => {
  const d = doc([row({ pledgeId: 1 }), row({ pledgeId: 2, leadUnitName: '市交警支队', title: '缓解学校周边交通拥堵' })]);
  const text = renderCrawl(d, { width: 200 });
  const lines = text.trimEnd().split('\n');
  t.equal(lines.length, 3);
  t.match(lines[0], '济南日报');
  t.match(lines[1], '【市水务局】老旧供水管网改造（完成时限：2026年11月26日，推进中）');
  t.match(lines[2], '市交警支队');
  t.ok(text.endsWith('\n'));
});

// Titles as people type them: Chinese, Latin words, numbers with separators, dates, percentages, long runs.
const words = fc.constantFrom('供水', '管网改造', '道路', '交通拥堵', '学校周边', 'LED', 'Wi-Fi', 'APP', 'co-units', 'Jinan', '。', '，', '（', '）', '“', '”', '、');
const numberLike = fc.oneof(
  fc.integer({ min: 0, max: 9_999_999 }).map(String),
  fc.integer({ min: 1000, max: 999_999 }).map((n) => n.toLocaleString('en-US')),
  fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`),
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}年${m}月${d}日`),
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `${n}.5`),
);
const title = fc.array(fc.oneof(words, numberLike, fc.constant(' ')), { minLength: 1, maxLength: 60 }).map((parts) => parts.join(''));

t.test('property: no crawl line is wider than the width, and no number, date or word is split', async (t) => {
  fc.assert(
    fc.property(fc.array(title, { minLength: 1, maxLength: 5 }), fc.integer({ min: 24, max: 90 }), (titles, width) => {
      const d = doc(titles.map((title, i) => row({ pledgeId: i + 1, title })));
      const text = renderCrawl(d, { width });
      const lines = text.trimEnd().split('\n');
      for (const line of lines) if (displayWidth(line) > width) throw new Error(`line wider than ${width}: ${line}`);
      // Every unbreakable piece of every item appears whole on one line.
      for (const ti of titles) {
        for (const piece of unbreakables(ti)) {
          // A single piece wider than a whole line has to be cut; anything else must stay whole.
          if (piece.space || piece.width > width || /^[\p{Script=Han}\p{P}]+$/u.test(piece.text)) continue;
          if (!lines.some((l) => l.includes(piece.text))) throw new Error(`"${piece.text}" was split (width ${width})`);
        }
      }
    }),
    { numRuns: 300 },
  );
});
