// One published pledge with everything the public may see about it (the pledge page, its embed
// and API resource). The page is the most viewed, so each of its queries is prepared once, the
// two it always runs are read as raw rows mapped here (drizzle's generic mapping checked every
// column of every row), and the pledge's row says which of the other lists (its own, and those
// the page's sections show) have anything in them: a list that is empty is not read at all.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  campaigns,
  categories,
  completionChecks,
  deadlineChanges,
  deadlineRequests,
  evidence,
  pledgeAmendments,
  pledgeCoUnits,
  pledgeDemands,
  pledges,
  progressUpdates,
  publicationPledges,
  ratings,
  units,
  type PledgeStatus,
  type PledgeTier,
} from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { publicUpdateColumns } from '../progress/columns.ts';
import { displayStatus, rollUp, todayIn, type DisplayStatus } from './status.ts';
import { deadlineHistory, amendmentHistory } from './history-repository.ts';
import { isPublishedSql } from './conditions.ts';
import { pledgeRowsFromValues, publicRowsQuery, type PledgeRow } from './row-columns.ts';
import type { RowNames } from './row-names.ts';
import { readSnapshotsOf } from '../plugins/read-snapshots.ts';

const districtUnits = alias(units, 'district_units');

/** A pledge as the page, the embed and the API show it (the API writes its keys in this order). */
export interface PledgeView {
  id: number;
  title: string;
  tier: PledgeTier;
  commitment: string;
  standard: string;
  leadOfficial: string;
  responsiblePerson: string;
  startOn: string;
  dueOn: string;
  status: PledgeStatus;
  statusReason: string;
  progress: number;
  completedOn: string | null;
  parentId: number | null;
  publishedAt: string | null;
  updatedAt: string;
  campaign: { id: number; name: string; timeZone: string };
  leadUnit: { id: number; slug: string; name: string };
  category: { slug: string; nameZh: string; nameEn: string } | null;
  district: { slug: string; name: string } | null;
}

/** A progress update as the pledge page shows it: publicUpdateColumns, then the unit that posted it (the API and feeds have their own, PublicUpdate in src/api/updates-queries.ts). */
export interface PledgePageUpdate {
  id: number;
  happenedOn: string;
  body: string;
  progress: number | null;
  status: PledgeStatus | null;
  reason: string;
  createdAt: string;
  unit: { slug: string; name: string };
}

// Whether each of the pledge's lists has a row: one index probe each, beside the pledge's own
// row, instead of a statement (and a sort) for each list that turns out empty, which most are.
const hasCoUnits = sql<number>`EXISTS (SELECT 1 FROM ${pledgeCoUnits} WHERE ${pledgeCoUnits.pledgeId} = ${pledges.id})`;
const hasSubTasks = sql<number>`EXISTS (SELECT 1 FROM ${pledges} AS sub WHERE sub.parent_id = ${pledges.id})`;
const hasUpdates = sql<number>`EXISTS (SELECT 1 FROM ${progressUpdates} WHERE ${progressUpdates.pledgeId} = ${pledges.id})`;
const hasDeadlineMoves = sql<number>`EXISTS (SELECT 1 FROM ${deadlineChanges} WHERE ${deadlineChanges.pledgeId} = ${pledges.id})`;
const hasAmendments = sql<number>`EXISTS (SELECT 1 FROM ${pledgeAmendments} WHERE ${pledgeAmendments.pledgeId} = ${pledges.id})`;
/** Reports claimed into the pledge: without one, it answers none (merged reports hang off claimed ones). */
const hasReports = sql<number>`EXISTS (SELECT 1 FROM ${pledgeDemands} WHERE ${pledgeDemands.pledgeId} = ${pledges.id})`;
// The same for what other features show on the page (src/plugins/sections.ts, SectionContexts):
// a false is certain (no row at all), a true only says their section has something to read.
const hasEvidence = sql<number>`EXISTS (SELECT 1 FROM ${evidence} WHERE ${evidence.pledgeId} = ${pledges.id})`;
const hasDeadlineRequests = sql<number>`EXISTS (SELECT 1 FROM ${deadlineRequests} WHERE ${deadlineRequests.pledgeId} = ${pledges.id})`;
const hasNotices = sql<number>`EXISTS (SELECT 1 FROM ${publicationPledges} WHERE ${publicationPledges.pledgeId} = ${pledges.id})`;
// Published comments of ratings (ratings_published_comment_idx) or of completion checks.
const hasRatingComments = sql<number>`(EXISTS (SELECT 1 FROM ${ratings} WHERE ${ratings.targetKey} = 'p:' || ${pledges.id} AND ${ratings.commentStatus} = 'published')
  OR EXISTS (SELECT 1 FROM ${completionChecks} WHERE ${completionChecks.pledgeId} = ${pledges.id} AND ${completionChecks.commentStatus} = 'published'))`;

/** A raw row of the pledge query: its columns by position. */
type PledgeValues = [
  id: number,
  title: string,
  tier: PledgeTier,
  commitment: string,
  standard: string,
  leadOfficial: string,
  responsiblePerson: string,
  startOn: string,
  dueOn: string,
  status: PledgeStatus,
  statusReason: string,
  progress: number,
  completedOn: string | null,
  parentId: number | null,
  publishedAt: string | null,
  updatedAt: string,
  campaignId: number,
  campaignName: string,
  timeZone: string,
  leadUnitId: number,
  leadUnitSlug: string,
  leadUnitName: string,
  categorySlug: string | null,
  categoryNameZh: string | null,
  categoryNameEn: string | null,
  districtSlug: string | null,
  districtName: string | null,
  hasCoUnits: number,
  hasSubTasks: number,
  hasUpdates: number,
  hasDeadlineMoves: number,
  hasAmendments: number,
  hasReports: number,
  hasEvidence: number,
  hasDeadlineRequests: number,
  hasNotices: number,
  hasRatingComments: number,
];

type UpdateValues = [id: number, happenedOn: string, body: string, progress: number | null, status: PledgeStatus | null, reason: string, createdAt: string, unitSlug: string, unitName: string];

export function createPledgeDetailQueries(db: Db, now: () => Date, rowNames: RowNames) {
  const detailQueries = {
    // Columns in the order of PledgeValues (raw rows are read by position).
    pledge: preparedOnce(() =>
      db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          commitment: pledges.commitment,
          standard: pledges.standard,
          leadOfficial: pledges.leadOfficial,
          responsiblePerson: pledges.responsiblePerson,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          status: pledges.status,
          statusReason: pledges.statusReason,
          progress: pledges.progress,
          completedOn: pledges.completedOn,
          parentId: pledges.parentId,
          publishedAt: pledges.publishedAt,
          updatedAt: pledges.updatedAt,
          campaignId: campaigns.id,
          campaignName: campaigns.name,
          timeZone: campaigns.timeZone,
          leadUnitId: units.id,
          leadUnitSlug: units.slug,
          leadUnitName: units.name,
          categorySlug: categories.slug,
          categoryNameZh: categories.nameZh,
          categoryNameEn: categories.nameEn,
          districtSlug: districtUnits.slug,
          districtName: districtUnits.name,
          hasCoUnits,
          hasSubTasks,
          hasUpdates,
          hasDeadlineMoves,
          hasAmendments,
          hasReports,
          hasEvidence,
          hasDeadlineRequests,
          hasNotices,
          hasRatingComments,
        })
        .from(pledges)
        .innerJoin(campaigns, eq(campaigns.id, pledges.campaignId))
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .leftJoin(categories, eq(categories.id, pledges.categoryId))
        .leftJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
        .where(and(eq(pledges.id, sql.placeholder('id')), isPublishedSql))
        .prepare(),
    ),
    coUnits: preparedOnce(() =>
      db
        .select({ slug: units.slug, name: units.name })
        .from(pledgeCoUnits)
        .innerJoin(units, eq(units.id, pledgeCoUnits.unitId))
        .where(eq(pledgeCoUnits.pledgeId, sql.placeholder('id')))
        .orderBy(asc(units.name))
        .prepare(),
    ),
    parent: preparedOnce(() =>
      db
        .select({ id: pledges.id, title: pledges.title })
        .from(pledges)
        .where(and(eq(pledges.id, sql.placeholder('id')), isPublishedSql))
        .prepare(),
    ),
    subTasks: preparedOnce(() =>
      publicRowsQuery(db)
        .where(and(eq(pledges.parentId, sql.placeholder('id')), isPublishedSql))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .prepare(),
    ),
    // Columns in the order of UpdateValues.
    updates: preparedOnce(() =>
      db
        .select({ ...publicUpdateColumns, unitSlug: units.slug, unitName: units.name })
        .from(progressUpdates)
        .innerJoin(units, eq(units.id, progressUpdates.unitId))
        .where(eq(progressUpdates.pledgeId, sql.placeholder('id')))
        .orderBy(desc(progressUpdates.happenedOn), desc(progressUpdates.id))
        .prepare(),
    ),
  };

  function pledgeView(r: PledgeValues, today: string): PledgeView & { display: DisplayStatus } {
    return {
      id: r[0],
      title: r[1],
      tier: r[2],
      commitment: r[3],
      standard: r[4],
      leadOfficial: r[5],
      responsiblePerson: r[6],
      startOn: r[7],
      dueOn: r[8],
      status: r[9],
      statusReason: r[10],
      progress: r[11],
      completedOn: r[12],
      parentId: r[13],
      publishedAt: r[14],
      updatedAt: r[15],
      campaign: { id: r[16], name: r[17], timeZone: r[18] },
      leadUnit: { id: r[19], slug: r[20], name: r[21] },
      // Left joins: slugs are NOT NULL, so a null slug is a pledge without one.
      category: r[22] === null ? null : { slug: r[22], nameZh: r[23]!, nameEn: r[24]! },
      district: r[25] === null ? null : { slug: r[25], name: r[26]! },
      display: displayStatus({ status: r[9], dueOn: r[8], completedOn: r[12] }, today),
    };
  }

  function publicUpdate(r: UpdateValues): PledgePageUpdate {
    return { id: r[0], happenedOn: r[1], body: r[2], progress: r[3], status: r[4], reason: r[5], createdAt: r[6], unit: { slug: r[7], name: r[8] } };
  }

  /** Everything of one published pledge, read in one go (see readTogether); undefined for drafts and unknown ids. */
  function read(id: number, at: Date) {
    const row = detailQueries.pledge().values({ id })[0] as PledgeValues | undefined;
    if (!row) return undefined;
    const today = todayIn(row[18], at);
    const pledge = pledgeView(row, today);
    return {
      pledge,
      today,
      coUnits: row[27] ? (detailQueries.coUnits().all({ id }) as { slug: string; name: string }[]) : [],
      parent: pledge.parentId ? detailQueries.parent().get({ id: pledge.parentId }) : undefined,
      /** The sub-tasks' own columns; detail adds their names (publicRowsQuery). */
      subTaskValues: row[28] ? detailQueries.subTasks().values({ id }) : [],
      updates: row[29] ? (detailQueries.updates().values({ id }) as UpdateValues[]).map(publicUpdate) : [],
      deadlines: row[30] ? deadlineHistory(db, id) : [],
      amendments: row[31] ? amendmentHistory(db, id) : [],
      /** Whether reports from the public were claimed into the pledge (only then does it answer any). */
      answersReports: row[32] === 1,
      /** Whether the pledge has any evidence, deadline requests, notices or published rating comments (the page's sections read them only then). */
      has: { evidence: row[33] === 1, deadlineRequests: row[34] === 1, notices: row[35] === 1, ratingComments: row[36] === 1 },
    };
  }

  /**
   * The reads of one pledge in one read transaction: in WAL mode a statement run on its own
   * begins and ends a read of its own (taking and dropping a lock on the WAL index), about 2 µs
   * apiece, as much as the small ones take to run. In a request that is the request's snapshot
   * (src/plugins/read-snapshots.ts); elsewhere a transaction of its own. Nothing here waits, so
   * nothing else runs on the connection while it is open.
   */
  const readTogether = preparedOnce(() => readSnapshotsOf(db.$client).together(read));

  return {
    /** One published pledge with everything the public may see about it; undefined for drafts and unknown ids. */
    async detail(id: number) {
      const at = now();
      const found = readTogether()(id, at);
      if (!found) return undefined;
      const { pledge, today, coUnits, parent, subTaskValues, ...rest } = found;
      // The names of this data version are asked for only when there are sub-tasks (most pledges have none).
      const subTasks: PledgeRow[] = subTaskValues.length ? pledgeRowsFromValues(subTaskValues, at, await rowNames.current()) : [];
      return { pledge, today, coUnits, parent, subTasks, rollUp: rollUp(subTasks), ...rest };
    },
  };
}
export type PledgeDetail = NonNullable<Awaited<ReturnType<ReturnType<typeof createPledgeDetailQueries>['detail']>>>;
