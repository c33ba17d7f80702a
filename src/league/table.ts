// The league table as every reader sees it (page, home section, CSV/XLSX, JSON API): figures
// from the repository, scored and ranked by ranking.ts. One function, so the page, the download
// and the API can never disagree on who is ranked where. The figures, each language's ranking
// and the page's formatted rows (display.ts) are kept per data version.
import type { AggregateMemo } from '../cache/aggregates.ts';
import type { Db } from '../plugins/db.ts';
import type { Locale } from '../i18n/index.ts';
import { createCampaignRepository, type Campaign } from '../campaigns/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createLeagueRepository, joinFigures, ratingFiguresByUnit, type LeagueScope, type LeagueUnitRow } from './repository.ts';
import { createRatingsRepository } from '../ratings/repository.ts';
import { keptUnitSatisfaction } from '../ratings/by-unit.ts';
import { rankUnits, scoreOf, type Scored } from './ranking.ts';
import { displayTable, type LeagueDisplayTable } from './display.ts';

export type LeagueRow = LeagueUnitRow & { scored: Scored; rank: number | null };

export interface LeagueTable {
  ranked: LeagueRow[];
  unranked: LeagueRow[];
}

/** A group's figures scored and ranked (ranking.ts); `locale` orders names where scores tie. */
export function rankedTable(rows: LeagueUnitRow[], opts: { minRatings: number; locale?: string }): LeagueTable {
  const scored = rows.map((r) => ({ ...r, scored: scoreOf(r, opts.minRatings) }));
  const { ranked, unranked } = rankUnits(scored, opts.locale);
  return { ranked, unranked: unranked.map((r) => ({ ...r, rank: null })) };
}

/** Ranked rows first, then the ones not ranked yet: the order of the downloads and the API. */
export function allRows(table: LeagueTable): LeagueRow[] {
  return [...table.ranked, ...table.unranked];
}

export interface LeaguePage<R = LeagueRow> {
  ranked: R[];
  unranked: R[];
  page: number;
  pages: number;
}

/**
 * One page of the table read as a single sequence (ranked rows in rank order, then the unranked
 * ones): the page shows whichever part falls on it. A page past the end shows the last page.
 */
export function pageOfTable<R>(table: { ranked: R[]; unranked: R[] }, page: number, size: number): LeaguePage<R> {
  const total = table.ranked.length + table.unranked.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, page), pages);
  const from = (current - 1) * size;
  const to = from + size;
  const cut = table.ranked.length;
  return {
    ranked: table.ranked.slice(Math.min(from, cut), Math.min(to, cut)),
    unranked: table.unranked.slice(Math.max(0, from - cut), Math.max(0, to - cut)),
    page: current,
    pages,
  };
}

/**
 * The league as a service for routes and the API: the campaign it shows when none is asked for
 * is the current one (a league mixing campaigns would compare units over different stretches of
 * time), and the table is ranked with the configured minimum of ratings.
 */
export function createLeagueService(db: Db, config: { timeZone: string; minRatings: number }, aggregates?: AggregateMemo) {
  const repo = createLeagueRepository(db, { fallbackZone: config.timeZone });
  const ratings = createRatingsRepository(db);
  const campaigns = createCampaignRepository(db);
  const scopeKey = (scope: LeagueScope) => `${scope.group}:${scope.campaignId ?? ''}`;
  const campaignKey = (campaignId: number | undefined) => String(campaignId ?? '');
  function figures(scope: LeagueScope): Promise<LeagueUnitRow[]> {
    if (!aggregates) return repo.figures(scope);
    // Two grouped scans, each kept as long as what it reads stands: the pledges' (a scan of the
    // campaign, shared by the three groups) until the record changes, the votes' until a vote
    // (shared with the home page's satisfaction chart). A vote — many a second at busy times —
    // then costs the votes' scan, not the pledges'.
    return aggregates.get(
      `league-figures:${scopeKey(scope)}`,
      async () => {
        const [pledgeFigures, ratingFigures] = await Promise.all([
          aggregates.get(`league-pledges:${campaignKey(scope.campaignId)}`, async () => repo.pledgeFigures(scope.campaignId), []),
          aggregates.get(`league-ratings:${campaignKey(scope.campaignId)}`, async () => ratingFiguresByUnit(await keptUnitSatisfaction(aggregates, ratings, scope.campaignId)), ['ratings']),
        ]);
        return joinFigures(repo.unitsOf(scope.group), pledgeFigures, ratingFigures);
      },
      ['ratings'],
    );
  }
  function table(scope: LeagueScope, locale?: string): Promise<LeagueTable> {
    const compute = async () => rankedTable(await figures(scope), { minRatings: config.minRatings, locale });
    return aggregates ? aggregates.get(`league:${scopeKey(scope)}:${locale ?? ''}`, compute, ['ratings']) : compute();
  }
  return {
    minRatings: config.minRatings,
    /** The campaign asked for (null when no such campaign), or the current one. */
    async campaign(asked: number | undefined): Promise<Campaign | undefined | null> {
      if (asked === undefined) return campaigns.current(todayIn(config.timeZone));
      return (await campaigns.get(asked)) ?? null;
    },
    table,
    /**
     * The table with its figures formatted in one language (display.ts), kept as long as the
     * table itself: formatting hundreds of rows is no longer redone for every page shown.
     */
    display(scope: LeagueScope, locale: Locale): Promise<LeagueDisplayTable> {
      const compute = async () => displayTable(await table(scope, locale), locale);
      return aggregates ? aggregates.get(`league-display:${scopeKey(scope)}:${locale}`, compute, ['ratings']) : compute();
    },
  };
}
export type LeagueService = ReturnType<typeof createLeagueService>;
