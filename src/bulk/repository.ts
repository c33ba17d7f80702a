// Bulk progress updates: the pledges a unit may update from a spreadsheet, their state now, and
// applying a checked plan in one transaction. A pledge's revision (its edit version plus its
// timeline entries) changes with every edit and every update, so a sheet row that was
// downloaded before someone else's change is recognised as stale.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { campaigns, pledges, units, type PublishedStatus } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { isPublishedSql } from '../pledges/conditions.ts';
import { postProgress } from '../progress/repository.ts';

// Spelled out with table names: drizzle writes bare column names in the select list of a
// single-table query, and a bare "id" inside the subquery would mean progress_updates.id.
const revisionSql = sql<number>`("pledges"."version" + (SELECT count(*) FROM "progress_updates" AS "pu" WHERE "pu"."pledge_id" = "pledges"."id"))`;

export interface PlannedUpdate {
  row: number;
  pledgeId: number;
  /** The revision the sheet was downloaded at; applying refuses the whole plan if it moved. */
  revision: number;
  unitId: number;
  happenedOn: string;
  body: string;
  progress?: number;
  status?: PublishedStatus;
  reason: string;
}

export type ApplyResult = { ok: true; applied: number } | { ok: false; row: number; reason: 'stale' | 'not_allowed' | 'not_found' };

class Refused extends Error {
  constructor(public row: number, public reason: 'stale' | 'not_allowed' | 'not_found') {
    super(reason);
  }
}

export function createBulkRepository(db: Db) {
  const state = {
    id: pledges.id,
    title: pledges.title,
    leadUnitId: pledges.leadUnitId,
    leadUnitName: units.name,
    status: pledges.status,
    progress: pledges.progress,
    dueOn: pledges.dueOn,
    revision: revisionSql,
    timeZone: campaigns.timeZone,
  };
  function select(where: SQL | undefined) {
    return db
      .select(state)
      .from(pledges)
      .innerJoin(units, eq(units.id, pledges.leadUnitId))
      .innerJoin(campaigns, eq(campaigns.id, pledges.campaignId))
      .where(where);
  }

  return {
    /** Published pledges led by the unit (every unit's for the office), for the download. */
    async forDownload(unitId: number | null) {
      return select(and(isPublishedSql, unitId === null ? undefined : eq(pledges.leadUnitId, unitId)))
        .orderBy(asc(units.name), asc(pledges.dueOn), asc(pledges.id))
        .all();
    },

    /** The current state of these pledges (drafts included, so a row can say why it is refused). */
    async current(ids: number[]) {
      const out = new Map<number, ReturnType<ReturnType<typeof select>['all']>[number]>();
      for (let i = 0; i < ids.length; i += 500) {
        for (const row of select(inArray(pledges.id, ids.slice(i, i + 500))).all()) out.set(row.id, row);
      }
      return out;
    },

    /**
     * Posts every planned update in one transaction, each exactly as a typed update is posted.
     * The revisions and the unit are checked again inside it: if anything moved since the
     * preview, nothing is applied.
     */
    async apply(actor: Actor, plan: PlannedUpdate[], opts: { unitId: number | null; label: string }): Promise<ApplyResult> {
      try {
        const applied = db.transaction((tx) => {
          for (const u of plan) {
            const now = tx.select({ leadUnitId: pledges.leadUnitId, status: pledges.status, revision: revisionSql }).from(pledges).where(eq(pledges.id, u.pledgeId)).get();
            if (!now || now.status === 'draft') throw new Refused(u.row, 'not_found');
            if (opts.unitId !== null && now.leadUnitId !== opts.unitId) throw new Refused(u.row, 'not_allowed');
            if (Number(now.revision) !== u.revision) throw new Refused(u.row, 'stale');
            const result = postProgress(tx, actor, {
              pledgeId: u.pledgeId,
              unitId: u.unitId,
              happenedOn: u.happenedOn,
              body: u.body,
              progress: u.progress,
              status: u.status,
              reason: u.reason,
            });
            if (!result.ok) throw new Refused(u.row, 'not_found');
          }
          appendAudit(tx, actor, {
            action: 'bulk.apply',
            entity: 'bulk_update',
            entityId: opts.label,
            after: { pledges: plan.map((u) => u.pledgeId), rows: plan.length },
          });
          return plan.length;
        });
        return { ok: true, applied };
      } catch (error) {
        if (error instanceof Refused) return { ok: false, row: error.row, reason: error.reason };
        throw error;
      }
    },
  };
}
export type BulkRepository = ReturnType<typeof createBulkRepository>;
