import t from 'tap';
import { axisTicks, esc, fitText, textWidth } from '../../src/charts/svg.ts';
import { barChart, columnChart, stackedBarChart } from '../../src/charts/svg-charts.ts';

const hostile = '<script>alert("x")</script> & \'quotes\'';

/** Every <text> in an SVG string, unescaped the way a browser shows it. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

t.test('esc escapes markup and both quote kinds', async (t) => {
  t.equal(esc(hostile), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
  t.equal(esc(42), '42');
});

t.test('text width counts Chinese characters as one em and Latin as about 0.56', async (t) => {
  t.equal(textWidth('供暖', 10), 20);
  t.ok(Math.abs(textWidth('ab', 10) - 11.2) < 1e-9);
  t.equal(fitText('短', 100, 14), '短', 'a label that fits is kept whole');
  const cut = fitText('城乡环境综合整治与背街小巷改造', 60, 14);
  t.ok(cut.endsWith('…') && textWidth(cut, 14) <= 60, `a long label is cut to fit: ${cut}`);
});

t.test('axis ticks are round numbers from 0 reaching the maximum', async (t) => {
  t.same(axisTicks(52), [0, 20, 40, 60]);
  t.same(axisTicks(10), [0, 2, 4, 6, 8, 10]);
  t.same(axisTicks(3), [0, 1, 2, 3]);
  t.same(axisTicks(0), [0, 1], 'an empty chart still has an axis');
});

t.test('a bar chart names itself, describes itself and escapes its labels', async (t) => {
  const svg = barChart({
    id: 'c1',
    title: `Status ${hostile}`,
    desc: `Described ${hostile}`,
    rows: [
      { label: hostile, value: 3, valueText: '3', tone: 'ok' },
      { label: '逾期', value: 1, valueText: '1', tone: 'overdue' },
    ],
  });
  t.notMatch(svg, '<script>', 'no markup gets through');
  t.match(svg, 'role="img"');
  t.match(svg, 'aria-labelledby="c1-title c1-desc"');
  t.match(svg, `<title id="c1-title">Status ${esc(hostile)}</title>`);
  t.match(svg, `<desc id="c1-desc">Described ${esc(hostile)}</desc>`);
  t.same(texts(svg).filter((x) => /^\d+$/.test(x)), ['3', '1'], 'each bar prints its number');
  t.match(svg, 'class="tone-overdue"');
  t.match(svg, 'fill="url(#c1-hatch)"', 'overdue is striped as well as coloured');
  t.notMatch(svg, 'style=', 'no inline style (the CSP forbids it)');
  const widths = [...svg.matchAll(/<rect class="tone-\w+" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  t.ok(Math.abs(widths[0] / widths[1] - 3) < 0.01, 'bar lengths are proportional to the values');
});

t.test('a stacked bar chart splits each row in proportion and prints its note', async (t) => {
  const svg = stackedBarChart({
    id: 'c2',
    title: 'Completion',
    desc: 'd',
    tones: ['ok', 'open', 'overdue'],
    rows: [
      { label: '供水', values: [1, 2, 1], note: '25%' },
      { label: '空', values: [0, 0, 0], note: '—' },
    ],
  });
  t.ok(texts(svg).includes('25%') && texts(svg).includes('—'));
  const widths = [...svg.matchAll(/<rect class="tone-(ok|open|overdue)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[2]));
  t.equal(widths.length, 3, 'an empty row draws no parts');
  t.ok(Math.abs(widths[1] - 2 * widths[0]) < 0.2 && Math.abs(widths[2] - widths[0]) < 0.2, 'parts are proportional');
});

t.test('a column chart labels groups, thins crowded labels and stacks parts', async (t) => {
  const groups = Array.from({ length: 24 }, (_, i) => ({
    label: `${(i % 12) + 1}月`,
    sublabel: i % 12 === 0 ? String(2025 + i / 12) : undefined,
    columns: [[{ value: i, tone: 'due' as const }], [{ value: 1, tone: 'ok' as const }, { value: 1, tone: 'late' as const }]],
  }));
  const svg = columnChart({ id: 'c3', title: 'Monthly', desc: 'd', groups });
  const shown = texts(svg);
  t.ok(shown.includes('2025') && shown.includes('2026'), 'years are written under January');
  const months = shown.filter((x) => x.endsWith('月'));
  t.ok(months.length > 0 && months.length < 24, `crowded month labels are thinned (${months.length} of 24)`);
  t.ok(shown.includes('0') && shown.includes('25'), 'the axis runs from 0 to a round number above the largest column');
  t.equal((svg.match(/class="tone-late"/g) ?? []).length, 24, 'each month stacks its late completions');
  t.equal((svg.match(/class="tone-due"/g) ?? []).length, 23, 'a zero column draws nothing');
});
