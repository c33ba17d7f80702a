// The satisfaction distribution as a chart block (svg, and the table of its numbers): one bar
// per answer, the sample size in the title, so no bar is read without knowing how many voted.
import { barChart, type Tone } from '../charts/svg-charts.ts';
import type { ChartBlock, ChartContext } from '../charts/pledge-charts.ts';
import { ANSWERS, type Tally } from './figures.ts';

const TONES: Record<keyof Omit<Tally, 'total'>, Tone> = { satisfied: 'ok', basic: 'pledged', dissatisfied: 'overdue' };

export function satisfactionChart(id: string, tally: Tally, ctx: ChartContext): ChartBlock {
  const { t, num } = ctx;
  const rows = ANSWERS.map((a) => ({ label: t(a.label), value: tally[a.key], valueText: num(tally[a.key]), tone: TONES[a.key] }));
  const title = t('ratings.chart.title', { n: num(tally.total) });
  const share = (n: number) => (tally.total ? `${num(Math.round((n * 100) / tally.total))}%` : '—');
  const desc = t('ratings.chart.desc', { n: num(tally.total), parts: rows.map((r) => t('ratings.chart.item', { label: r.label, n: r.valueText })).join(t('charts.list_separator')) });
  return {
    id,
    title,
    svg: barChart({ id, title, desc, rows }),
    legend: [],
    table: {
      caption: title,
      head: [{ text: t('ratings.chart.answer') }, { text: t('ratings.chart.votes'), num: true }, { text: t('charts.col.share'), num: true }],
      rows: [
        ...rows.map((r) => [{ text: r.label }, { text: r.valueText, num: true }, { text: share(r.value), num: true }]),
        [{ text: t('charts.total') }, { text: num(tally.total), num: true }, { text: tally.total ? '100%' : '—', num: true }],
      ],
    },
    empty: tally.total === 0,
  };
}
