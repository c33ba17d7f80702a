import t from 'tap';
import { translator, formatNumber } from '../../src/i18n/index.ts';
import { chartContext, completionChart, fillMonths, foldRows, foldTail, monthLabel, monthlyChart, statusChart, type ChartContext } from '../../src/charts/pledge-charts.ts';
import type { Figures } from '../../src/stats/repository.ts';

const zh: ChartContext = { t: translator('zh-CN'), lang: 'zh-CN', num: (n) => formatNumber(n, 'zh-CN') };
const en: ChartContext = { t: translator('en'), lang: 'en', num: (n) => formatNumber(n, 'en') };
const counts = { pledged: 2, in_progress: 5, delayed: 1, overdue: 3, completed_on_time: 8, completed_late: 1, cancelled: 0 };

function figures(f: Partial<Figures>): Figures {
  const base = { pledges: 0, completed: 0, open: 0, overdue: 0, cancelled: 0, completedOnTime: 0, dueOrCompleted: 0, onTimeRate: null };
  return { ...base, ...f };
}

t.test('the status chart says every number in its text alternative and its table, in both languages', async (t) => {
  const c = statusChart('s', counts, zh);
  t.match(c.svg, '共 20 项公开承诺');
  t.match(c.svg, '推进中 5 项');
  t.match(c.svg, '逾期完成 1 项');
  t.notMatch(c.svg, '已撤销 0 项', 'empty parts are left out of the sentence');
  t.same(c.table.rows.at(-1)!.map((x) => x.text), ['合计', '20', '100%']);
  t.same(c.table.rows[3].map((x) => x.text), ['逾期', '3', '15%']);
  t.equal(c.empty, false);
  const e = statusChart('s', counts, en);
  t.match(e.svg, '20 published pledges: Pledged 2, In progress 5');
  t.equal(e.table.head[0].text, 'Status');
  t.equal(statusChart('s', { ...counts, pledged: 0, in_progress: 0, delayed: 0, overdue: 0, completed_on_time: 0, completed_late: 0 }, zh).empty, true);
});

t.test('the completion chart names the best and worst rows and escapes names', async (t) => {
  const c = completionChart(
    'c',
    {
      title: '各类别完成情况',
      nameHeader: '类别',
      rows: [
        { label: '<b>供水</b>', href: '/categories/water', figures: figures({ pledges: 4, completed: 3, completedOnTime: 2, open: 1 }) },
        { label: '交通', href: '/categories/traffic', figures: figures({ pledges: 4, completed: 1, completedOnTime: 1, overdue: 2, cancelled: 1 }) },
        { label: '空类别', figures: figures({}) },
      ],
    },
    zh,
  );
  t.match(c.svg, '完成比例最高的是“&lt;b&gt;供水&lt;/b&gt;”（75%），最低的是“交通”（25%）');
  t.notMatch(c.svg, '<b>');
  t.same(c.table.rows[1].map((x) => x.text), ['交通', '4', '1', '0', '0', '2', '1', '25%']);
  t.equal(c.table.rows[0][0].href, '/categories/water', 'rows link to their page');
  t.equal(c.table.rows[0].at(-1)!.share, 75, 'the share is drawn as a bar in the table');
  t.same(c.legend.map((l) => l.tone), ['ok', 'late', 'open', 'overdue', 'cancelled']);
  t.equal(c.table.rows[2].at(-1)!.text, '—', 'a row with no pledges has no share');
});

t.test('months are filled from the first to the last, within the campaign and capped', async (t) => {
  const rows = [
    { month: '2026-07', due: 2, completedOnTime: 1, completedLate: 0 },
    { month: '2026-10', due: 1, completedOnTime: 0, completedLate: 1 },
  ];
  const filled = fillMonths(rows, { from: '2026-05-28', to: '2026-12-31' });
  t.same(filled.map((m) => m.month), ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
  t.same(filled[1], { month: '2026-06', due: 0, completedOnTime: 0, completedLate: 0 });
  t.same(fillMonths(rows, { from: '2024-01-01' }, 6).map((m) => m.month), ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'], 'the latest months are kept');
  t.same(fillMonths([]), []);
  t.same(fillMonths([{ month: '2026-12', due: 1, completedOnTime: 0, completedLate: 0 }], { to: '2027-02-01' }).map((m) => m.month), ['2026-12', '2027-01', '2027-02'], 'the year turns');
});

t.test('the monthly chart totals due and completed in its sentence and table', async (t) => {
  const months = fillMonths([
    { month: '2026-12', due: 4, completedOnTime: 2, completedLate: 1 },
    { month: '2027-01', due: 3, completedOnTime: 1, completedLate: 0 },
  ]);
  const c = monthlyChart('m', months, zh);
  t.match(c.svg, '2026年12月至2027年1月：共有 7 项到期（不含已撤销），4 项完成，其中逾期完成 1 项。');
  t.same(c.table.rows[0].map((x) => x.text), ['2026年12月', '4', '2', '1']);
  t.match(c.svg, '>12月<');
  t.match(c.svg, '>2027<', 'January carries its year');
  const e = monthlyChart('m', months, en);
  t.match(e.svg, 'From Dec 2026 to Jan 2027: 7 pledges fell due');
  t.equal(monthLabel('2027-01', 'en'), 'Jan');
  t.equal(monthlyChart('m', [], zh).empty, true);
});

t.test('foldTail keeps the rows with the most pledges in their order and sums the rest into one row', async (t) => {
  const rows = Array.from({ length: 20 }, (_, i) => ({
    label: `区${i}`,
    figures: figures({ pledges: i + 1, completed: i, completedOnTime: i, dueOrCompleted: i + 1, open: 1 }),
  }));
  t.equal(foldTail(rows, 20, (n) => `其他 ${n} 个`), rows, 'short enough: unchanged');
  const folded = foldTail(rows, 5, (n) => `其他 ${n} 个`);
  t.equal(folded.length, 5);
  t.same(folded.slice(0, 4).map((r) => r.label), ['区16', '区17', '区18', '区19'], 'the four biggest, in their own order');
  const others = folded[4];
  t.equal(others.label, '其他 16 个');
  t.ok(others.folded);
  const total = (rs: typeof rows) => rs.reduce((n, r) => n + r.figures.pledges, 0);
  t.equal(total(folded), total(rows), 'no pledge lost');
  t.equal(others.figures.completedOnTime, rows.slice(0, 16).reduce((n, r) => n + r.figures.completedOnTime, 0));
  const chart = completionChart('c', { title: 'x', nameHeader: 'y', rows: folded }, zh);
  t.notMatch(chart.svg, /最低的是“其他/, 'the summed row is never named best or worst');
});

t.test('foldRows sums the rest without naming it, so it can be kept across languages', async (t) => {
  const rows = Array.from({ length: 6 }, (_, i) => ({ name: `区${i}`, figures: figures({ pledges: i + 1, completed: 1, completedOnTime: 1, dueOrCompleted: 2, open: i }) }));
  t.same(foldRows(rows, 6), { kept: rows, rest: null }, 'nothing to fold');
  const { kept, rest } = foldRows(rows, 3);
  t.same(
    kept.map((r) => r.name),
    ['区4', '区5'],
    'the biggest rows, in their own order',
  );
  t.same(rest, { count: 4, figures: figures({ pledges: 10, completed: 4, completedOnTime: 4, dueOrCompleted: 8, open: 6, onTimeRate: 0.5 }) });
  t.same(foldTail(rows.map((r) => ({ label: r.name, figures: r.figures })), 3, (n) => `${n} others`).at(-1), { label: '4 others', figures: rest!.figures, folded: true });
});

t.test('a chart context formats numbers as formatNumber does, however often they come back', async (t) => {
  const ctx = chartContext({ t: translator('en'), locale: 'en' });
  t.equal(chartContext({ t: translator('en'), locale: 'en' }), ctx, 'one context per language');
  for (const n of [0, -0, 7, 1234, 1234, 0.5, -0, 0, 1_000_000]) t.equal(ctx.num(n), formatNumber(n, 'en'), `${Object.is(n, -0) ? '-0' : n}`);
  const own: typeof zh.t = (key) => `[${key}]`;
  t.equal(chartContext({ t: own, locale: 'zh-CN' }).t, own, 'a translator of its own is used as given');
});

t.test('month labels are the same when they come back', async (t) => {
  for (let i = 0; i < 2; i++) {
    t.equal(monthLabel('2027-01', 'en', true), 'Jan 2027');
    t.equal(monthLabel('2027-01', 'zh-CN', true), '2027年1月');
    t.equal(monthLabel('2027-01', 'zh-CN'), '1月');
  }
});
