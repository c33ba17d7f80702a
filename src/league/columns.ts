// The league table's download columns (CSV/XLSX through src/exports' sendTable). Rates are
// percentages rounded to one decimal, as on the page; a rate the page shows as "—" is empty.
import type { Translate } from '../i18n/index.ts';
import type { ExportColumn } from '../exports/lists.ts';
import type { LeagueRow } from './table.ts';

export function percent(r: number | null): number | '' {
  return r === null ? '' : Math.round(r * 1000) / 10;
}

export function standing(row: LeagueRow, t: Translate): string {
  if (row.rank !== null) return t('league.col.ranked');
  return row.scored.unranked.map((reason) => t(`league.unranked.${reason}`)).join(t('league.list_separator'));
}

export function leagueColumns(t: Translate, publicUrl: string): ExportColumn<LeagueRow>[] {
  return [
    { header: t('league.col.rank'), width: 6, value: (r) => r.rank ?? '' },
    { header: t('league.col.unit'), width: 24, value: (r) => r.name },
    { header: t('league.col.slug'), width: 16, value: (r) => r.slug },
    { header: t('league.col.kind'), value: (r) => t(`kind.${r.kind}`) },
    { header: t('league.col.pledges'), value: (r) => r.pledges },
    { header: t('league.col.on_time'), value: (r) => r.completedOnTime },
    { header: t('league.col.late'), value: (r) => r.completedLate },
    { header: t('league.col.overdue'), value: (r) => r.overdue },
    { header: t('league.col.cancelled'), value: (r) => r.cancelled },
    { header: t('league.col.due'), value: (r) => r.dueOrCompleted },
    { header: t('league.col.on_time_rate'), value: (r) => percent(r.scored.onTimeRate) },
    { header: t('league.col.on_time_lower'), value: (r) => percent(r.scored.onTimeLower) },
    { header: t('league.col.progress'), value: (r) => r.averageProgress ?? '' },
    { header: t('league.col.satisfied'), value: (r) => r.satisfied },
    { header: t('league.col.basic'), value: (r) => r.basic },
    { header: t('league.col.dissatisfied'), value: (r) => r.dissatisfied },
    { header: t('league.col.ratings'), value: (r) => r.ratings },
    { header: t('league.col.verified'), value: (r) => r.verified },
    { header: t('league.col.satisfaction_rate'), value: (r) => percent(r.scored.satisfactionRate) },
    { header: t('league.col.satisfaction_lower'), value: (r) => percent(r.scored.satisfactionLower) },
    { header: t('league.col.score'), value: (r) => percent(r.scored.score) },
    { header: t('league.col.standing'), width: 24, value: (r) => standing(r, t) },
    { header: t('league.col.url'), width: 30, value: (r) => `${publicUrl}/units/${r.slug}` },
  ];
}
