// What the unit workspace reads about pledges: one pledge with everything its page shows, a
// unit's list with why each pledge needs attention, the counts, co-unit pledges, and the choices
// and reference checks of the pledge forms, and the few facts that name a pledge on other pages.
// The writes are in repository.ts, whose object carries these reads too.
import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { campaigns, categories, pledgeCoUnits, pledges, progressUpdates, units, DISTRICT_KINDS } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { overdueSql, todaySql } from './conditions.ts';
import { rollUp } from './status.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { deadlineHistory, amendmentHistory } from './history-repository.ts';
import type { FieldErrors } from '../validation.ts';
import type { PledgeSnapshot } from './repository.ts';

export const MANAGE_FILTERS = ['all', 'draft', 'pledged', 'in_progress', 'delayed', 'completed', 'cancelled', 'overdue', 'attention'] as const;
export type ManageFilter = (typeof MANAGE_FILTERS)[number];

export const DUE_SOON_DAYS = 14;
export const STALE_AFTER_DAYS = 30;

const ACTIVE = sql`${pledges.status} IN ('pledged','in_progress','delayed')`;
const lastUpdateSql = sql<string | null>`(SELECT max(${progressUpdates.happenedOn}) FROM ${progressUpdates} WHERE ${progressUpdates.pledgeId} = ${pledges.id})`;

function dueSoonSql(today: SQL): SQL {
  return sql`(${ACTIVE} AND ${pledges.dueOn} >= ${today} AND ${pledges.dueOn} <= date(${today}, ${`+${DUE_SOON_DAYS} days`}))`;
}
/** Active and nothing posted (or published) for a month: the public sees a silent pledge. */
function staleSql(today: SQL): SQL {
  return sql`(${ACTIVE} AND coalesce(${lastUpdateSql}, substr(${pledges.publishedAt}, 1, 10)) < date(${today}, ${`-${STALE_AFTER_DAYS} days`}))`;
}

/** One pledge's row and its co-units as prepared queries: pages outside the workspace read them per view too. */
function snapshotQueries(db: DbLike) {
  return {
    row: preparedOnce(() => db.select().from(pledges).where(eq(pledges.id, sql.placeholder('pledgeId'))).prepare()),
    coUnitIds: preparedOnce(() =>
      db
        .select({ unitId: pledgeCoUnits.unitId })
        .from(pledgeCoUnits)
        .where(eq(pledgeCoUnits.pledgeId, sql.placeholder('pledgeId')))
        .orderBy(asc(pledgeCoUnits.unitId))
        .prepare(),
    ),
  };
}

// The writes take a snapshot inside their transaction (snapshotOf(tx, …)) and the reads with the
// app's connection: prepared queries are kept per handle, a transaction's dropped with it.
const snapshotQueriesFor = new WeakMap<DbLike, ReturnType<typeof snapshotQueries>>();

export function snapshotOf(db: DbLike, pledgeId: number): PledgeSnapshot | undefined {
  let queries = snapshotQueriesFor.get(db);
  if (!queries) snapshotQueriesFor.set(db, (queries = snapshotQueries(db)));
  const row = queries.row().get({ pledgeId });
  return row ? { ...row, coUnitIds: queries.coUnitIds().all({ pledgeId }).map((r) => r.unitId) } : undefined;
}

export function createWorkspaceQueries(db: Db) {
  function zones() {
    return db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();
  }

  const summaryOf = preparedOnce(() =>
    db
      .select({ id: pledges.id, title: pledges.title, status: pledges.status, campaignId: pledges.campaignId, leadUnitId: pledges.leadUnitId })
      .from(pledges)
      .where(eq(pledges.id, sql.placeholder('pledgeId')))
      .prepare(),
  );

  return {
    async get(id: number): Promise<PledgeSnapshot | undefined> {
      return snapshotOf(db, id);
    },

    /**
     * What another page needs to name a pledge (a suggestion's target: title, status, campaign,
     * lead unit), drafts included: a third of get()'s cost, which also reads the long texts and
     * the co-units.
     */
    async summary(id: number) {
      return summaryOf().get({ pledgeId: id });
    },

    /** Everything the pledge's workspace page shows, drafts included. */
    async getForManage(id: number) {
      const pledge = snapshotOf(db, id);
      if (!pledge) return undefined;
      const campaign = db.select({ id: campaigns.id, name: campaigns.name, timeZone: campaigns.timeZone }).from(campaigns).where(eq(campaigns.id, pledge.campaignId)).get()!;
      const leadUnit = db.select({ id: units.id, name: units.name, slug: units.slug }).from(units).where(eq(units.id, pledge.leadUnitId)).get()!;
      const category = pledge.categoryId ? db.select().from(categories).where(eq(categories.id, pledge.categoryId)).get() : undefined;
      const district = pledge.districtUnitId ? db.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, pledge.districtUnitId)).get() : undefined;
      const coUnits = pledge.coUnitIds.length
        ? db.select({ id: units.id, name: units.name, slug: units.slug }).from(units).where(inArray(units.id, pledge.coUnitIds)).orderBy(asc(units.name)).all()
        : [];
      const parent = pledge.parentId
        ? db.select({ id: pledges.id, title: pledges.title, status: pledges.status, leadUnitId: pledges.leadUnitId }).from(pledges).where(eq(pledges.id, pledge.parentId)).get()
        : undefined;
      const subTasks = db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          publishedAt: pledges.publishedAt,
        })
        .from(pledges)
        .where(eq(pledges.parentId, id))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .all();
      const rolled = rollUp(subTasks);
      const amendments = amendmentHistory(db, id, { withStaff: true });
      const deadlines = deadlineHistory(db, id, { withStaff: true });
      return { pledge, campaign, leadUnit, category, district, coUnits, parent, subTasks, rollUp: rolled, amendments, deadlines };
    },

    /**
     * A page of pledges led by one unit (or by any unit, for the office), with why each needs
     * attention: overdue, due within DUE_SOON_DAYS, or no update for STALE_AFTER_DAYS.
     */
    async listForUnit(opts: { unitId: number | null; campaignId?: number; filter?: ManageFilter; page?: number; pageSize?: number }) {
      const today = todaySql(zones());
      const overdue = overdueSql(today);
      const dueSoon = dueSoonSql(today);
      const stale = staleSql(today);
      const where: SQL[] = [];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const filter = opts.filter ?? 'all';
      if (filter === 'overdue') where.push(overdue);
      else if (filter === 'attention') where.push(sql`(${overdue} OR ${dueSoon} OR ${stale})`);
      else if (filter !== 'all') where.push(eq(pledges.status, filter));
      const condition = where.length ? and(...where) : undefined;
      const pageSize = opts.pageSize ?? 50;
      const total = await db.$count(pledges, condition);
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.min(Math.max(1, opts.page ?? 1), pages);
      const rows = db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          status: pledges.status,
          progress: pledges.progress,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          publishedAt: pledges.publishedAt,
          parentId: pledges.parentId,
          leadUnitId: pledges.leadUnitId,
          leadUnitName: units.name,
          lastUpdateOn: lastUpdateSql,
          overdue: sql<number>`${overdue}`,
          dueSoon: sql<number>`${dueSoon}`,
          stale: sql<number>`${stale}`,
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(condition)
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all()
        .map((r) => ({ ...r, overdue: !!r.overdue, dueSoon: !!r.dueSoon, stale: !!r.stale }));
      return { rows, total, page, pages };
    },

    /** Counts for the dashboard's figures, over the same scope as listForUnit. */
    async countsForUnit(opts: { unitId: number | null; campaignId?: number }) {
      const today = todaySql(zones());
      const where: SQL[] = [];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const row = db
        .select({
          total: sql<number>`count(*)`,
          drafts: sql<number>`coalesce(sum(${pledges.status} = 'draft'), 0)`,
          active: sql<number>`coalesce(sum(${ACTIVE}), 0)`,
          completed: sql<number>`coalesce(sum(${pledges.status} = 'completed'), 0)`,
          overdue: sql<number>`coalesce(sum(${overdueSql(today)}), 0)`,
          attention: sql<number>`coalesce(sum(${overdueSql(today)} OR ${dueSoonSql(today)} OR ${staleSql(today)}), 0)`,
        })
        .from(pledges)
        .where(where.length ? and(...where) : undefined)
        .get()!;
      return row;
    },

    /** Published pledges where the unit is a co-unit: it posts progress on them, nothing else. */
    async listCoUnitPledges(unitId: number) {
      const today = todaySql(zones());
      return db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          leadUnitName: units.name,
          lastUpdateOn: lastUpdateSql,
          overdue: sql<number>`${overdueSql(today)}`,
        })
        .from(pledgeCoUnits)
        .innerJoin(pledges, eq(pledges.id, pledgeCoUnits.pledgeId))
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(and(eq(pledgeCoUnits.unitId, unitId), ne(pledges.status, 'draft')))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .all()
        .map((r) => ({ ...r, overdue: !!r.overdue }));
    },

    /** Pledges that may become the parent of a (new or edited) pledge of this unit: top-level ones. */
    async parentCandidates(leadUnitId: number, exceptId?: number) {
      const where: SQL[] = [eq(pledges.leadUnitId, leadUnitId), isNull(pledges.parentId)];
      if (exceptId) where.push(ne(pledges.id, exceptId));
      return db
        .select({ id: pledges.id, title: pledges.title, status: pledges.status, campaignId: pledges.campaignId })
        .from(pledges)
        .where(and(...where))
        .orderBy(desc(pledges.id))
        .limit(500)
        .all();
    },

    /** Checks that every id a form names exists and fits: the form alone cannot tell. */
    async checkReferences(input: {
      campaignId?: number;
      leadUnitId: number;
      categoryId: number;
      districtUnitId: number | null;
      parentId?: number | null;
      coUnitIds: number[];
      selfId?: number;
    }): Promise<FieldErrors> {
      const errors: FieldErrors = {};
      const invalid = { key: 'validation.invalid_choice' };
      if (input.campaignId !== undefined && !db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).get()) errors.campaignId = invalid;
      const lead = db.select({ id: units.id }).from(units).where(eq(units.id, input.leadUnitId)).get();
      if (!lead) errors.leadUnitId = invalid;
      if (!db.select({ id: categories.id }).from(categories).where(eq(categories.id, input.categoryId)).get()) errors.categoryId = invalid;
      if (input.districtUnitId !== null) {
        const d = db.select({ kind: units.kind }).from(units).where(eq(units.id, input.districtUnitId)).get();
        if (!d || !DISTRICT_KINDS.includes(d.kind)) errors.districtUnitId = invalid;
      }
      if (input.coUnitIds.length) {
        const found = db.select({ id: units.id }).from(units).where(inArray(units.id, input.coUnitIds)).all();
        if (found.length !== new Set(input.coUnitIds).size) errors.coUnitIds = invalid;
        else if (input.coUnitIds.includes(input.leadUnitId)) errors.coUnitIds = { key: 'manage.error.co_unit_is_lead' };
      }
      if (input.parentId) {
        const parent = db.select().from(pledges).where(eq(pledges.id, input.parentId)).get();
        if (!parent || parent.id === input.selfId) errors.parentId = invalid;
        else if (parent.leadUnitId !== input.leadUnitId || (input.campaignId !== undefined && parent.campaignId !== input.campaignId)) {
          errors.parentId = { key: 'manage.error.parent_other_unit' };
        } else if (parent.parentId !== null) {
          // Sub-tasks roll up one level; a sub-task of a sub-task could also close a cycle.
          errors.parentId = { key: 'manage.error.parent_is_subtask' };
        } else if (input.selfId && db.select({ id: pledges.id }).from(pledges).where(eq(pledges.parentId, input.selfId)).get()) {
          errors.parentId = { key: 'manage.error.has_subtasks' };
        }
      }
      return errors;
    },
  };
}
export type WorkspaceQueries = ReturnType<typeof createWorkspaceQueries>;
export type ManageView = NonNullable<Awaited<ReturnType<WorkspaceQueries['getForManage']>>>;
export type UnitPledgeRow = Awaited<ReturnType<WorkspaceQueries['listForUnit']>>['rows'][number];
