// Kinsoku line breaking, as properties over generated mixed Chinese/Latin text.
import t from 'tap';
import fc from 'fast-check';
import { wrapText, kinsoku } from '../../src/press/render/linebreak.ts';
import { measure } from '../../src/press/render/font.ts';
import { noticeLabels } from '../../src/press/render/labels.ts';

const pieces = ['承', '诺', '完', '成', '改', '造', '，', '。', '、', '；', '：', '！', '？', '（', '）', '《', '》', '“', '”', '【', '】', ' ', '2026-11-26', '45%', 'Quancheng', 'Road', '3.5', 'No.3'];
const texts = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 80 }).map((a) => a.join(''));
const m = (s: string) => measure(s, 10);

t.test('lines fit, keep every character, respect kinsoku and never split words or numbers', async (t) => {
  fc.assert(
    fc.property(texts, fc.integer({ min: 100, max: 300 }), (text, width) => {
      // Runs of punctuation longer than a line can't be set by any rule; real text has none.
      fc.pre(!/[，。、；：！？（）《》“”【】]{4,}/.test(text));
      const lines = wrapText(text, width, m);
      // Nothing lost but the spaces at break points.
      if (lines.join('').replace(/ /g, '') !== text.trim().replace(/ /g, '')) return false;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (m(line) > width + 0.001) return false;
        if (i > 0 && kinsoku.NO_START.has(Array.from(line)[0]!)) return false;
        if (i < lines.length - 1 && kinsoku.NO_END.has(Array.from(line).pop()!)) return false;
      }
      // Words and numbers (maximal Latin/digit runs) that fit on a line are never split.
      // (With the punctuation glued to them: kinsoku outranks keeping a word whole.)
      for (const glued of text.match(/[（《“【]*[A-Za-z0-9._\-%:]+[，。、；：！？）》”】]*/g) ?? []) {
        const run = glued.match(/[A-Za-z0-9._\-%:]+/)![0];
        if (m(glued) <= width && !lines.some((l) => l.includes(run))) return false;
      }
      return true;
    }),
    { numRuns: 400 },
  );
});

t.test('specific cases', async (t) => {
  const w = measure('一二三四五', 10);
  t.same(wrapText('一二三四五，六七', w, m), ['一二三四', '五，六七'], 'comma pushes the previous character down with it');
  t.same(wrapText('一二三四（五六', w, m), ['一二三四', '（五六'], 'opening bracket moves to the next line');
  t.same(wrapText('日期2026-11-26', measure('2026-11-26', 10) + 5, m), ['日期', '2026-11-26'], 'a date stays whole');
  const narrow = wrapText('https://pledges.example.org/pledges/12345', 40, m);
  t.ok(narrow.length > 1 && narrow.every((l) => m(l) <= 40), 'an over-long token is cut rather than overflowing');
  t.same(wrapText('a\nb', 100, m), ['a', 'b'], 'newlines start new lines');
});

t.test('both label tables have the same keys', async (t) => {
  t.same(Object.keys(noticeLabels('en')).sort(), Object.keys(noticeLabels('zh-CN')).sort());
  for (const v of [...Object.values(noticeLabels('en')), ...Object.values(noticeLabels('zh-CN'))]) t.ok(v.trim(), 'no empty label');
});
