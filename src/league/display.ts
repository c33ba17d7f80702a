// The league table's rows as the page prints them: every figure already formatted in the
// page's language. A table of a few hundred units prints ~15 figures a row, each a number
// format, a percentage or a translated phrase; made here once per data version and language
// (the table itself is kept that long, see table.ts), the page only puts the texts in place.
// Plain text only: escaping and markup stay in the template, rendered per request.
import { formatNumber, translator, type Locale } from '../i18n/index.ts';
import type { LeagueRow, LeagueTable } from './table.ts';

export interface LeagueDisplayRow {
  /** Digits without grouping, as the rank column has always printed them; '' when not ranked. */
  rank: string;
  slug: string;
  name: string;
  /** The unit's kind in the page's language. */
  kind: string;
  pledges: string;
  completedOnTime: string;
  completedLate: string;
  overdue: string;
  hasOverdue: boolean;
  /** "82%", or "—" when the unit has no pledge that counts. */
  averageProgress: string;
  onTimeRate: string;
  /** "（9/10）": completed on time of due or completed. */
  onTimeOf: string;
  /** "下限 59.6%" */
  onTimeLower: string;
  satisfactionRate: string;
  /** "275 条评价", with " · 其中窗口验证 n 条" when some were verified. */
  votes: string;
  satisfactionLower: string;
  /** The score out of 100, one decimal; '' when not ranked. */
  score: string;
  ratings: string;
  /** Why the unit is not ranked yet, as one phrase; '' when it is. */
  standing: string;
}

export interface LeagueDisplayTable {
  ranked: LeagueDisplayRow[];
  unranked: LeagueDisplayRow[];
}

/** A rate as the page prints it: a percentage with one decimal, or "—" when there is none. */
export function percentText(rate: number | null | undefined, locale: Locale): string {
  return rate === null || rate === undefined ? '—' : `${formatNumber(Math.round(rate * 1000) / 10, locale)}%`;
}

export function displayRow(r: LeagueRow, locale: Locale): LeagueDisplayRow {
  const t = translator(locale);
  const num = (n: number) => formatNumber(n, locale);
  const s = r.scored;
  const votes = t('league.votes', { n: num(r.ratings) });
  return {
    rank: r.rank === null ? '' : String(r.rank),
    slug: r.slug,
    name: r.name,
    kind: t(`kind.${r.kind}`),
    pledges: num(r.pledges),
    completedOnTime: num(r.completedOnTime),
    completedLate: num(r.completedLate),
    overdue: num(r.overdue),
    hasOverdue: r.overdue > 0,
    averageProgress: r.averageProgress === null ? '—' : `${num(r.averageProgress)}%`,
    onTimeRate: percentText(s.onTimeRate, locale),
    onTimeOf: t('league.of', { k: num(r.completedOnTime), n: num(r.dueOrCompleted) }),
    onTimeLower: t('league.lower', { value: percentText(s.onTimeLower, locale) }),
    satisfactionRate: percentText(s.satisfactionRate, locale),
    votes: r.verified ? `${votes} · ${t('league.verified', { n: num(r.verified) })}` : votes,
    satisfactionLower: t('league.lower', { value: percentText(s.satisfactionLower, locale) }),
    score: s.score === null ? '' : num(Math.round(s.score * 1000) / 10),
    ratings: num(r.ratings),
    standing: s.unranked.map((reason) => t(`league.unranked.${reason}`)).join(t('league.list_separator')),
  };
}

export function displayTable(table: LeagueTable, locale: Locale): LeagueDisplayTable {
  return { ranked: table.ranked.map((r) => displayRow(r, locale)), unranked: table.unranked.map((r) => displayRow(r, locale)) };
}

/** The escapes an attribute value needs (the texts below go into data-label="…"). */
const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

/** The table's column names, escaped for an attribute: the same on every row of every page. */
export interface LeagueColumnLabels {
  rank: string;
  unit: string;
  pledges: string;
  onTime: string;
  late: string;
  overdue: string;
  progress: string;
  onTimeRate: string;
  satisfaction: string;
  score: string;
  ratings: string;
  standing: string;
}

const columnLabelsByLocale = new Map<Locale, LeagueColumnLabels>();

/**
 * The column names each cell repeats in data-label (small screens show them beside the value),
 * translated and escaped once per language instead of once per cell: the dictionaries do not
 * change while the process runs.
 */
export function columnLabels(locale: Locale): LeagueColumnLabels {
  let labels = columnLabelsByLocale.get(locale);
  if (!labels) {
    const t = translator(locale);
    const label = (key: string) => escapeAttribute(t(`league.col.${key}`));
    labels = {
      rank: label('rank'),
      unit: label('unit'),
      pledges: label('pledges'),
      onTime: label('on_time'),
      late: label('late'),
      overdue: label('overdue'),
      progress: label('progress'),
      onTimeRate: label('on_time_rate'),
      satisfaction: label('satisfaction'),
      score: label('score'),
      ratings: label('ratings'),
      standing: label('standing'),
    };
    columnLabelsByLocale.set(locale, labels);
  }
  return labels;
}
