// Reads for spreadsheet exports and the open-data bundle: the public tables, in primary-key
// order, one chunk at a time (better-sqlite3 cannot run other queries while an iterator is
// open, so large tables are read in LIMIT/OFFSET chunks rather than streamed from one cursor).
// Only what the public pages show: published pledges and what hangs off them, never drafts,
// users or internal columns such as created_by and version.
import { and, asc, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  campaigns,
  categories,
  deadlineChanges,
  pledgeAmendments,
  pledgeCoUnits,
  pledges,
  progressUpdates,
  units,
  outlets,
  publications,
  publicationPledges,
} from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';

export interface Chunk {
  campaignId?: number;
  limit: number;
  offset: number;
}

const parents = alias(pledges, 'parent_pledges');

export function createExportRepository(db: Db) {
  /** Rows hanging off a pledge are public when the pledge is (and, for a bundle, in its campaign). */
  function ofPublishedPledge(pledgeId: AnyColumn, campaignId?: number): SQL {
    return campaignId === undefined
      ? sql`${pledgeId} IN (SELECT id FROM ${pledges} WHERE ${isPublishedSql})`
      : sql`${pledgeId} IN (SELECT id FROM ${pledges} WHERE ${isPublishedSql} AND ${pledges.campaignId} = ${campaignId})`;
  }

  return {
    /** Columns of published pledges the list rows lack, for a spreadsheet of the list. */
    async pledgeExtras(ids: number[]) {
      if (!ids.length) return new Map<number, { commitment: string; standard: string; startOn: string; leadOfficial: string; responsiblePerson: string; publishedAt: string | null; coUnits: string[] }>();
      const rows = db
        .select({
          id: pledges.id,
          commitment: pledges.commitment,
          standard: pledges.standard,
          startOn: pledges.startOn,
          leadOfficial: pledges.leadOfficial,
          responsiblePerson: pledges.responsiblePerson,
          publishedAt: pledges.publishedAt,
        })
        .from(pledges)
        .where(and(inArray(pledges.id, ids), isPublishedSql))
        .all();
      const co = db
        .select({ pledgeId: pledgeCoUnits.pledgeId, name: units.name })
        .from(pledgeCoUnits)
        .innerJoin(units, eq(units.id, pledgeCoUnits.unitId))
        .where(inArray(pledgeCoUnits.pledgeId, ids))
        .orderBy(asc(units.name))
        .all();
      const out = new Map(rows.map((r) => [r.id, { ...r, coUnits: [] as string[] }]));
      for (const c of co) out.get(c.pledgeId)?.coUnits.push(c.name);
      return out;
    },

    async campaigns(chunk: Chunk) {
      return db
        .select({
          id: campaigns.id,
          slug: campaigns.slug,
          name: campaigns.name,
          description: campaigns.description,
          issuingOffice: campaigns.issuingOffice,
          startsOn: campaigns.startsOn,
          endsOn: campaigns.endsOn,
          timeZone: campaigns.timeZone,
        })
        .from(campaigns)
        .where(chunk.campaignId === undefined ? undefined : eq(campaigns.id, chunk.campaignId))
        .orderBy(asc(campaigns.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    /** Every unit has a public page (contact included), whatever the campaign. */
    async units(chunk: Chunk) {
      return db
        .select({
          id: units.id,
          slug: units.slug,
          name: units.name,
          kind: units.kind,
          parentId: units.parentId,
          isServiceWindow: units.isServiceWindow,
          contactPhone: units.contactPhone,
          contactAddress: units.contactAddress,
          contactEmail: units.contactEmail,
          active: units.active,
        })
        .from(units)
        .orderBy(asc(units.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async categories(chunk: Chunk) {
      return db
        .select({ id: categories.id, slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn, sortOrder: categories.sortOrder })
        .from(categories)
        .orderBy(asc(categories.sortOrder), asc(categories.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async pledges(chunk: Chunk) {
      const where: SQL[] = [isPublishedSql];
      if (chunk.campaignId !== undefined) where.push(eq(pledges.campaignId, chunk.campaignId));
      return db
        .select({
          id: pledges.id,
          campaignId: pledges.campaignId,
          timeZone: campaigns.timeZone,
          leadUnitId: pledges.leadUnitId,
          tier: pledges.tier,
          title: pledges.title,
          commitment: pledges.commitment,
          standard: pledges.standard,
          leadOfficial: pledges.leadOfficial,
          responsiblePerson: pledges.responsiblePerson,
          categorySlug: categories.slug,
          districtUnitId: pledges.districtUnitId,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          status: pledges.status,
          statusReason: pledges.statusReason,
          progress: pledges.progress,
          completedOn: pledges.completedOn,
          // A parent that is still a draft is not public: the sub-task then shows no parent.
          parentId: sql<number | null>`CASE WHEN ${parents.status} <> 'draft' THEN ${parents.id} END`,
          publishedAt: pledges.publishedAt,
          updatedAt: pledges.updatedAt,
        })
        .from(pledges)
        .innerJoin(campaigns, eq(campaigns.id, pledges.campaignId))
        .leftJoin(categories, eq(categories.id, pledges.categoryId))
        .leftJoin(parents, eq(parents.id, pledges.parentId))
        .where(and(...where))
        .orderBy(asc(pledges.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async coUnits(chunk: Chunk) {
      return db
        .select({ pledgeId: pledgeCoUnits.pledgeId, unitId: pledgeCoUnits.unitId })
        .from(pledgeCoUnits)
        .where(ofPublishedPledge(pledgeCoUnits.pledgeId, chunk.campaignId))
        .orderBy(asc(pledgeCoUnits.pledgeId), asc(pledgeCoUnits.unitId))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async progressUpdates(chunk: Chunk) {
      return db
        .select({
          id: progressUpdates.id,
          pledgeId: progressUpdates.pledgeId,
          unitId: progressUpdates.unitId,
          happenedOn: progressUpdates.happenedOn,
          body: progressUpdates.body,
          progress: progressUpdates.progress,
          status: progressUpdates.status,
          reason: progressUpdates.reason,
          createdAt: progressUpdates.createdAt,
        })
        .from(progressUpdates)
        .where(ofPublishedPledge(progressUpdates.pledgeId, chunk.campaignId))
        .orderBy(asc(progressUpdates.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async deadlineChanges(chunk: Chunk) {
      return db
        .select({
          id: deadlineChanges.id,
          pledgeId: deadlineChanges.pledgeId,
          oldDueOn: deadlineChanges.oldDueOn,
          newDueOn: deadlineChanges.newDueOn,
          reason: deadlineChanges.reason,
          createdAt: deadlineChanges.createdAt,
        })
        .from(deadlineChanges)
        .where(ofPublishedPledge(deadlineChanges.pledgeId, chunk.campaignId))
        .orderBy(asc(deadlineChanges.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    async amendments(chunk: Chunk) {
      return db
        .select({
          id: pledgeAmendments.id,
          pledgeId: pledgeAmendments.pledgeId,
          field: pledgeAmendments.field,
          oldValue: pledgeAmendments.oldValue,
          newValue: pledgeAmendments.newValue,
          reason: pledgeAmendments.reason,
          createdAt: pledgeAmendments.createdAt,
        })
        .from(pledgeAmendments)
        .where(ofPublishedPledge(pledgeAmendments.pledgeId, chunk.campaignId))
        .orderBy(asc(pledgeAmendments.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    /** Published press notices (all public) with their pledge ids in print order. */
    async notices(chunk: Chunk) {
      return db
        .select({
          id: publications.id,
          campaignId: publications.campaignId,
          outlet: outlets.name,
          kind: publications.kind,
          noticeNo: publications.noticeNo,
          edition: publications.edition,
          publishedOn: publications.publishedOn,
          title: publications.title,
          language: publications.language,
          rowCount: publications.rowCount,
          correctsId: publications.correctsId,
          chainHead: publications.chainHead,
          pledgeIds: sql<string>`(SELECT group_concat(pledge_id, ' ') FROM (SELECT ${publicationPledges.pledgeId} AS pledge_id FROM ${publicationPledges} WHERE ${publicationPledges.publicationId} = ${publications.id} ORDER BY ${publicationPledges.position}))`,
        })
        .from(publications)
        .innerJoin(outlets, eq(outlets.id, publications.outletId))
        .where(chunk.campaignId === undefined ? undefined : eq(publications.campaignId, chunk.campaignId))
        .orderBy(asc(publications.id))
        .limit(chunk.limit)
        .offset(chunk.offset)
        .all();
    },

    /** Campaigns that have at least one published pledge, for per-campaign bundles. */
    async campaignsWithPledges() {
      return db
        .select({ id: campaigns.id, name: campaigns.name, startsOn: campaigns.startsOn })
        .from(campaigns)
        .where(sql`EXISTS (SELECT 1 FROM ${pledges} WHERE ${pledges.campaignId} = ${campaigns.id} AND ${isPublishedSql})`)
        .orderBy(sql`${campaigns.startsOn} DESC`, asc(campaigns.id))
        .all();
    },
  };
}
export type ExportRepository = ReturnType<typeof createExportRepository>;
