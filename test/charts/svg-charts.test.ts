import t from 'tap';
import { axisTicks, esc, fitText, r1, textWidth } from '../../src/charts/svg.ts';
import { barChart, columnChart, stackedBarChart } from '../../src/charts/svg-charts.ts';

const hostile = '<script>alert("x")</script> & \'quotes\'';

/** Every <text> in an SVG string, unescaped the way a browser shows it. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

interface Bar {
  cls: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every rectangle drawn, in drawing order: each sub-path `M x y h w v h h -w z` of each <path> is one. */
function bars(svg: string): Bar[] {
  const out: Bar[] = [];
  for (const [, cls, d] of svg.matchAll(/<path class="([^"]+)"[^>]* d="([^"]*)"/g)) {
    for (const m of d.matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-([\d.]+)z/g)) {
      if (m[3] !== m[5]) throw new Error(`not a rectangle: ${m[0]}`);
      out.push({ cls, x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) });
    }
  }
  return out;
}
const toneBars = (svg: string, tone: string) => bars(svg).filter((b) => b.cls === `tone-${tone}`);

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
  const [three, one] = [toneBars(svg, 'ok')[0], toneBars(svg, 'overdue')[0]];
  t.ok(Math.abs(three.width / one.width - 3) < 0.01, 'bar lengths are proportional to the values');
  t.same(
    bars(svg).filter((b) => b.cls === 'hatch'),
    [{ ...one, cls: 'hatch' }],
    'the stripes cover the overdue bar exactly',
  );
  t.equal(bars(svg).filter((b) => b.cls === 'track').length, 2, 'each row has its track');
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
  const widths = bars(svg)
    .filter((b) => /^tone-(ok|open|overdue)$/.test(b.cls))
    .map((b) => b.width);
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
  t.equal(toneBars(svg, 'late').length, 24, 'each month stacks its late completions');
  t.equal(toneBars(svg, 'due').length, 23, 'a zero column draws nothing');
  const [ok, late] = [toneBars(svg, 'ok')[5], toneBars(svg, 'late')[5]];
  t.ok(ok.x === late.x && Math.abs(late.y + late.height - ok.y) < 0.11, 'late completions sit on top of those on time');
});

t.test('a stacked bar chart draws a known dataset to the same bars, labels and notes', async (t) => {
  const svg = stackedBarChart({
    id: 'known',
    title: '各区县完成情况',
    desc: '说明',
    tones: ['ok', 'late', 'open', 'overdue', 'cancelled'],
    rows: [
      { label: '历下区', values: [42, 5, 13, 35, 5], note: '47%' },
      { label: '一个名字很长很长很长的区县', values: [1, 0, 0, 0, 1], note: '50%' },
    ],
  });
  t.match(svg, '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-stacked" viewBox="0 0 360 58" width="360" height="58" role="img" aria-labelledby="known-title known-desc" font-size="14">');
  t.match(svg, '<title id="known-title">各区县完成情况</title><desc id="known-desc">说明</desc>');
  t.match(svg, '<pattern id="known-hatch"', 'stripes are defined for the hatched tones');
  // Label column 144 (40 % of 360, the long label capped), notes 3 × 0.56 em × 14 × 1.1 + 14 wide:
  // 176.128 left for the bars, split 42 : 5 : 13 : 35 : 5 in the first row and 1 : 1 in the second.
  t.same(bars(svg), [
    { cls: 'track', x: 144, y: 8, width: 176.1, height: 16 },
    { cls: 'track', x: 144, y: 34, width: 176.1, height: 16 },
    { cls: 'tone-ok', x: 144, y: 8, width: 74, height: 16 },
    { cls: 'tone-ok', x: 144, y: 34, width: 88.1, height: 16 },
    { cls: 'tone-late', x: 218, y: 8, width: 8.8, height: 16 },
    { cls: 'hatch', x: 218, y: 8, width: 8.8, height: 16 },
    { cls: 'tone-open', x: 226.8, y: 8, width: 22.9, height: 16 },
    { cls: 'tone-overdue', x: 249.7, y: 8, width: 61.6, height: 16 },
    { cls: 'hatch', x: 249.7, y: 8, width: 61.6, height: 16 },
    { cls: 'tone-cancelled', x: 311.3, y: 8, width: 8.8, height: 16 },
    { cls: 'tone-cancelled', x: 232.1, y: 34, width: 88.1, height: 16 },
  ], 'in drawing order: tracks, then each tone in series order with the stripes over a hatched one straight after it');
  t.match(svg, '<g class="chart-text" text-anchor="end"><text x="136" y="20.5">历下区</text><text x="136" y="46.5">一个名字很长很长很…</text></g>', 'labels right-aligned before the bars, a long one cut');
  t.match(svg, '<g class="chart-text chart-value" text-anchor="end"><text x="358" y="20.5">47%</text><text x="358" y="46.5">50%</text></g>', 'notes at the end of each row');
  t.notMatch(stackedBarChart({ id: 'plain', title: 't', desc: 'd', tones: ['ok'], rows: [{ label: 'a', values: [1], note: '100%' }] }), '<defs>', 'no stripes to define when no hatched tone is drawn');
});

t.test('coordinates are written to one decimal place, as String(Math.round(n * 10) / 10) would', async (t) => {
  for (const n of [0, -0, 0.04, 0.05, 0.95, 1, 12.34, 83.45, 99.99, 236.8, 359.96, 1e6 + 0.25, -3.26, NaN]) t.equal(r1(n), String(Math.round(n * 10) / 10), String(n));
});

t.test('a label cut to fit keeps every character that fits before the ellipsis', async (t) => {
  for (const label of ['Water, gas and heating', '城乡环境综合整治与背街小巷改造', '混合 mixed 标签 label']) {
    for (const width of [20, 45, 60, 100]) {
      const cut = fitText(label, width, 14);
      if (cut === label) continue;
      t.ok(textWidth(cut, 14) <= width || cut === '…', `${cut} fits ${width}`);
      const longer = Array.from(label).slice(0, Array.from(cut).length).join('') + '…';
      t.ok(cut === '…' || textWidth(longer, 14) > width, `one more character of ${label} would not fit ${width}`);
    }
  }
});

t.test('parts are painted in series order even when the first row lacks a part', async (t) => {
  const svg = stackedBarChart({
    id: 'order',
    title: 't',
    desc: 'd',
    tones: ['ok', 'late', 'open'],
    rows: [
      { label: 'a', values: [1, 0, 1], note: '50%' },
      { label: 'b', values: [1, 1, 1], note: '67%' },
    ],
  });
  t.same(
    [...new Set(bars(svg).map((b) => b.cls))],
    ['track', 'tone-ok', 'tone-late', 'hatch', 'tone-open'],
    'late (and its stripes) before open, as in each row',
  );
});
