// Demands (民情诉求): every write and read of the reports the public made, from intake through
// triage and claiming to resolution, plus the erasure of reporters' contact details.
//
// Privacy: the reporter's name, phone, contact, full address and the unredacted text leave
// this file only through staffView()/contactFor() (office and claiming unit) and never go into
// the audit log, which is append-only and so could never be erased; audit entries carry the
// public facts of a demand only.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  categories,
  demands,
  importBatches,
  pledgeDemands,
  pledges,
  units,
  type DemandChannel,
  type DemandStatus,
  type PledgeStatus,
} from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { indexTokens, matchExpression } from '../search/tokens.ts';
import { newTrackingNo, normalizeTrackingNo, redactText, streetLevel } from './redact.ts';

export type Demand = typeof demands.$inferSelect;

export interface NewDemand {
  channel: DemandChannel;
  source: string;
  externalRef: string | null;
  campaignId: number | null;
  categoryId: number | null;
  districtUnitId: number | null;
  text: string;
  address: string;
  reportedAt: string;
  reporterName: string;
  reporterPhone: string;
  reporterContact: string;
  /** Staff of a unit recording a report they received suggest it to their own unit. */
  suggestedUnitId?: number | null;
}

export interface DemandFilter {
  channel?: DemandChannel;
  categoryId?: number;
  districtUnitId?: number;
  status?: DemandStatus;
  /** Reported at or after this instant. */
  from?: string;
  /** Reported before this instant. */
  to?: string;
  q?: string;
  suggestedUnitId?: number;
  /** A tracking number or hotline ticket number: the office looks reports up by them. */
  ref?: string;
  importBatchId?: number;
  /** Reports claimed into this pledge. */
  pledgeId?: number;
}

/** Pledge statuses a demand can still be claimed into. */
export const CLAIMABLE_PLEDGE_STATUSES: PledgeStatus[] = ['draft', 'pledged', 'in_progress', 'delayed'];

const claimUnits = alias(units, 'claim_units');
const districtUnits = alias(units, 'district_units');
const suggestedUnits = alias(units, 'suggested_units');
const declinedUnits = alias(units, 'declined_units');

const reportCountSql = sql<number>`(1 + (SELECT count(*) FROM demands AS dup WHERE dup.duplicate_of_id = ${demands.id}))`;

/** What the audit log may hold about a demand: nothing personal. */
function publicFacts(d: Demand) {
  return {
    trackingNo: d.trackingNo,
    channel: d.channel,
    source: d.source,
    externalRef: d.externalRef,
    categoryId: d.categoryId,
    districtUnitId: d.districtUnitId,
    status: d.status,
    duplicateOfId: d.duplicateOfId,
    suggestedUnitId: d.suggestedUnitId,
    declineReason: d.declineReason,
    declinedByUnitId: d.declinedByUnitId,
    textHidden: d.textHidden,
  };
}

function prepared(input: NewDemand) {
  const known = [input.reporterName, input.reporterPhone, input.reporterContact];
  const location = streetLevel(input.address);
  return { ...input, trackingNo: newTrackingNo(), publicText: redactText(input.text, known), location };
}

export function searchTokensOf(publicText: string, location: string): string {
  return indexTokens(publicText, location);
}

function reindexDemand(db: DbLike, id: number): void {
  db.run(sql`DELETE FROM demand_search WHERE rowid = ${id}`);
  const row = db.select({ publicText: demands.publicText, location: demands.location }).from(demands).where(eq(demands.id, id)).get();
  if (row) db.run(sql`INSERT INTO demand_search(rowid, tokens) VALUES (${id}, ${searchTokensOf(row.publicText, row.location)})`);
}

function byIds(tx: DbLike, ids: number[]): Demand[] {
  return ids.length ? tx.select().from(demands).where(inArray(demands.id, ids)).all() : [];
}

function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Keeps the claimed demands in step with their pledge: resolved when it is completed, claimed
 * again if it is reopened. Called inside the transaction that changed the pledge's status.
 */
export function syncDemandsWithPledge(tx: DbLike, actor: Actor, pledgeId: number, status: PledgeStatus): void {
  const claimed = sql`${demands.id} IN (SELECT ${pledgeDemands.demandId} FROM ${pledgeDemands} WHERE ${pledgeDemands.pledgeId} = ${pledgeId})`;
  const at = nowIso();
  const changed =
    status === 'completed'
      ? tx.update(demands).set({ status: 'resolved', closedAt: at, updatedAt: at }).where(and(eq(demands.status, 'claimed'), claimed)).returning({ id: demands.id }).all()
      : tx.update(demands).set({ status: 'claimed', closedAt: null, updatedAt: at }).where(and(eq(demands.status, 'resolved'), claimed)).returning({ id: demands.id }).all();
  if (changed.length) {
    appendAudit(tx, actor, {
      action: status === 'completed' ? 'demand.resolve' : 'demand.unresolve',
      entity: 'pledge',
      entityId: pledgeId,
      after: { demandIds: changed.map((r) => r.id) },
    });
  }
}

type WhereOpts = { publicOnly?: boolean };

function filterSql(f: DemandFilter, opts: WhereOpts = {}): SQL[] {
  const where: SQL[] = [];
  if (f.channel) where.push(eq(demands.channel, f.channel));
  if (f.categoryId) where.push(eq(demands.categoryId, f.categoryId));
  if (f.districtUnitId) where.push(eq(demands.districtUnitId, f.districtUnitId));
  if (f.status) where.push(eq(demands.status, f.status));
  if (f.from) where.push(sql`${demands.reportedAt} >= ${f.from}`);
  if (f.to) where.push(sql`${demands.reportedAt} < ${f.to}`);
  if (f.suggestedUnitId) where.push(eq(demands.suggestedUnitId, f.suggestedUnitId));
  if (f.importBatchId) where.push(eq(demands.importBatchId, f.importBatchId));
  if (f.pledgeId) where.push(sql`${demands.id} IN (SELECT demand_id FROM pledge_demands WHERE pledge_id = ${f.pledgeId})`);
  if (f.ref) {
    const raw = f.ref.trim().replace(/^#/, '');
    const matches: SQL[] = [eq(demands.externalRef, raw)];
    const trackingNo = normalizeTrackingNo(raw);
    if (trackingNo) matches.push(eq(demands.trackingNo, trackingNo));
    if (/^\d{1,10}$/.test(raw)) matches.push(eq(demands.id, Number(raw)));
    where.push(or(...matches)!);
  }
  if (f.q) {
    const match = matchExpression(f.q);
    // Nothing searchable in the query (only punctuation): nothing matches.
    if (!match) where.push(sql`0`);
    else {
      where.push(sql`${demands.id} IN (SELECT rowid FROM demand_search WHERE demand_search MATCH ${match})`);
      // A hidden text is not searchable by the public: a match would tell what it says.
      if (opts.publicOnly) where.push(eq(demands.textHidden, false));
    }
  }
  return where;
}

function paging(total: number, page: number | undefined, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { pages, page: Math.min(Math.max(1, page ?? 1), pages) };
}

export function createDemandRepository(db: Db) {
  /** Columns every list shows; the private ones are not among them. */
  const listColumns = {
    id: demands.id,
    channel: demands.channel,
    source: demands.source,
    status: demands.status,
    reportedAt: demands.reportedAt,
    location: demands.location,
    publicText: demands.publicText,
    textHidden: demands.textHidden,
    declineReason: demands.declineReason,
    duplicateOfId: demands.duplicateOfId,
    categoryId: demands.categoryId,
    categoryZh: categories.nameZh,
    categoryEn: categories.nameEn,
    categorySlug: categories.slug,
    districtName: districtUnits.name,
    districtSlug: districtUnits.slug,
    reportCount: reportCountSql,
    claimUnitName: claimUnits.name,
    claimUnitSlug: claimUnits.slug,
    pledgeId: pledges.id,
    pledgeTitle: pledges.title,
    pledgeStatus: pledges.status,
    declinedByName: declinedUnits.name,
  };

  function listQuery(columns: Record<string, any>) {
    return db
      .select(columns)
      .from(demands)
      .leftJoin(categories, eq(categories.id, demands.categoryId))
      .leftJoin(districtUnits, eq(districtUnits.id, demands.districtUnitId))
      .leftJoin(pledgeDemands, eq(pledgeDemands.demandId, demands.id))
      .leftJoin(claimUnits, eq(claimUnits.id, pledgeDemands.unitId))
      .leftJoin(pledges, eq(pledges.id, pledgeDemands.pledgeId))
      .leftJoin(declinedUnits, eq(declinedUnits.id, demands.declinedByUnitId))
      .leftJoin(suggestedUnits, eq(suggestedUnits.id, demands.suggestedUnitId));
  }

  /** A list row as the public may see it: hidden texts are gone, a draft pledge is not named. */
  function publicRow(r: any) {
    const pledgePublic = r.pledgeId && r.pledgeStatus && r.pledgeStatus !== 'draft';
    return {
      id: r.id as number,
      channel: r.channel as DemandChannel,
      status: r.status as DemandStatus,
      reportedAt: r.reportedAt as string,
      location: r.location as string,
      text: r.textHidden ? null : (r.publicText as string),
      category: r.categoryId ? { slug: r.categorySlug as string, nameZh: r.categoryZh as string, nameEn: r.categoryEn as string } : null,
      district: r.districtName ? { name: r.districtName as string, slug: r.districtSlug as string } : null,
      reportCount: Number(r.reportCount),
      unit: r.claimUnitName ? { name: r.claimUnitName as string, slug: r.claimUnitSlug as string } : null,
      pledge: pledgePublic ? { id: r.pledgeId as number, title: r.pledgeTitle as string, status: r.pledgeStatus as PledgeStatus } : null,
      declineReason: r.status === 'declined' ? (r.declineReason as string) : '',
      declinedBy: r.status === 'declined' ? ((r.declinedByName as string | null) ?? null) : null,
    };
  }

  /**
   * Inserts rows with one prepared statement (fast enough for a 20,000-row file); a ticket
   * already stored is skipped. Call it inside a transaction: the statements share its connection.
   */
  function insertRows(rows: NewDemand[], extra: { importBatchId: number | null; createdBy: number | null }) {
    const insert = db.$client.prepare(
      `INSERT INTO demands (tracking_no, channel, source, external_ref, campaign_id, category_id, district_unit_id, text, public_text,
         address, location, reported_at, reporter_name, reporter_phone, reporter_contact, suggested_unit_id, import_batch_id, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, external_ref) WHERE external_ref IS NOT NULL DO NOTHING`,
    );
    const index = db.$client.prepare('INSERT INTO demand_search(rowid, tokens) VALUES (?, ?)');
    const at = nowIso();
    const out: ({ id: number; trackingNo: string } | null)[] = [];
    for (const input of rows) {
      const p = prepared(input);
      // run() and lastInsertRowid rather than RETURNING, which costs as much again per row.
      const result = insert.run(
        p.trackingNo,
        p.channel,
        p.source,
        p.externalRef,
        p.campaignId,
        p.categoryId,
        p.districtUnitId,
        p.text,
        p.publicText,
        p.address,
        p.location,
        p.reportedAt,
        p.reporterName,
        p.reporterPhone,
        p.reporterContact,
        p.suggestedUnitId ?? null,
        extra.importBatchId,
        extra.createdBy,
        at,
        at,
      );
      if (result.changes === 0) {
        out.push(null);
        continue;
      }
      const id = Number(result.lastInsertRowid);
      index.run(id, searchTokensOf(p.publicText, p.location));
      out.push({ id, trackingNo: p.trackingNo });
    }
    return out;
  }

  function existingByRef(tx: DbLike, channel: DemandChannel, ref: string) {
    return tx
      .select({ id: demands.id, trackingNo: demands.trackingNo })
      .from(demands)
      .where(and(eq(demands.channel, channel), eq(demands.externalRef, ref)))
      .get();
  }

  return {
    /** One report from the web form or a staff member; a known ticket number is not stored twice. */
    async create(actor: Actor, input: NewDemand): Promise<{ created: boolean; id: number; trackingNo: string }> {
      return db.transaction((tx) => {
        const [row] = insertRows([input], { importBatchId: null, createdBy: actor.userId });
        if (!row) {
          const existing = existingByRef(tx, input.channel, input.externalRef!)!;
          return { created: false, ...existing };
        }
        const after = tx.select().from(demands).where(eq(demands.id, row.id)).get()!;
        appendAudit(tx, actor, { action: 'demand.create', entity: 'demand', entityId: row.id, after: publicFacts(after) });
        return { created: true, ...row };
      });
    },

    /**
     * Many reports at once (the intake API): all stored in one transaction, each answered with
     * our id, or the id it already has when its ticket number is known.
     */
    async createMany(actor: Actor, inputs: NewDemand[]): Promise<{ created: boolean; id: number; trackingNo: string }[]> {
      return db.transaction((tx) => {
        const rows = insertRows(inputs, { importBatchId: null, createdBy: actor.userId });
        const results = rows.map((row, i) => (row ? { created: true, ...row } : { created: false, ...existingByRef(tx, inputs[i].channel, inputs[i].externalRef!)! }));
        const created = results.filter((r) => r.created).map((r) => r.id);
        if (created.length) {
          appendAudit(tx, actor, { action: 'demand.intake', entity: 'demand', entityId: created.length === 1 ? created[0] : '', after: { created, existing: results.length - created.length } });
        }
        return results;
      });
    },

    /**
     * A hotline file's valid rows, all or nothing, with the batch that records the import and
     * the refused rows. Rows whose ticket number is already stored are skipped, not changed.
     */
    async importBatch(
      actor: Actor,
      /** refusedRows: the refused rows as JSON (for the error file); refusedCount: how many there were. */
      batch: { fileName: string; format: 'csv' | 'xlsx'; encoding: string; totalRows: number; refusedRows: string; refusedCount: number },
      rows: NewDemand[],
    ): Promise<{ batchId: number; stored: number; skipped: number }> {
      return db.transaction((tx) => {
        const created = tx
          .insert(importBatches)
          .values({ userId: actor.userId, fileName: batch.fileName, format: batch.format, encoding: batch.encoding, totalRows: batch.totalRows })
          .returning({ id: importBatches.id })
          .get();
        const results = insertRows(rows, { importBatchId: created.id, createdBy: actor.userId });
        const stored = results.filter(Boolean).length;
        const skipped = results.length - stored;
        tx.update(importBatches)
          .set({ storedCount: stored, skippedCount: skipped, refusedCount: batch.refusedCount, refusedRows: batch.refusedRows })
          .where(eq(importBatches.id, created.id))
          .run();
        appendAudit(tx, actor, {
          action: 'demand.import',
          entity: 'import_batch',
          entityId: created.id,
          after: { fileName: batch.fileName, format: batch.format, encoding: batch.encoding, totalRows: batch.totalRows, stored, skipped, refused: batch.refusedCount },
        });
        return { batchId: created.id, stored, skipped };
      });
    },

    async batch(id: number) {
      return db.select().from(importBatches).where(eq(importBatches.id, id)).get();
    },

    /** What a batch left for triage: stored reports without a recognised category or district. */
    async batchGaps(batchId: number) {
      const row = db.get<{ stored: number; noCategory: number; noDistrict: number }>(sql`
        SELECT count(*) AS stored, coalesce(sum(category_id IS NULL), 0) AS noCategory, coalesce(sum(district_unit_id IS NULL), 0) AS noDistrict
        FROM demands WHERE import_batch_id = ${batchId}`);
      return { stored: Number(row?.stored ?? 0), noCategory: Number(row?.noCategory ?? 0), noDistrict: Number(row?.noDistrict ?? 0) };
    },

    async recentBatches(limit = 10) {
      return db.select().from(importBatches).orderBy(desc(importBatches.id)).limit(limit).all();
    },

    /**
     * The report the office names: #123 (its number in the list), its tracking number, or its
     * hotline ticket. Plain digits are a list number when one exists, else a ticket.
     */
    async resolveRef(input: string): Promise<number | undefined> {
      const raw = input.trim();
      const find = (where: SQL) => db.select({ id: demands.id }).from(demands).where(where).orderBy(asc(demands.id)).get()?.id;
      if (/^#\d{1,10}$/.test(raw)) return find(eq(demands.id, Number(raw.slice(1))));
      const trackingNo = normalizeTrackingNo(raw);
      if (trackingNo) {
        const found = find(eq(demands.trackingNo, trackingNo));
        if (found) return found;
      }
      if (/^\d{1,10}$/.test(raw)) {
        const found = find(eq(demands.id, Number(raw)));
        if (found) return found;
      }
      return raw ? find(eq(demands.externalRef, raw)) : undefined;
    },

    async get(id: number): Promise<Demand | undefined> {
      return db.select().from(demands).where(eq(demands.id, id)).get();
    },

    /** The tracking page: public facts of one report, and of the report it was merged into. */
    async tracking(trackingNo: string) {
      const own = db.select({ id: demands.id, duplicateOfId: demands.duplicateOfId, trackingNo: demands.trackingNo }).from(demands).where(eq(demands.trackingNo, trackingNo)).get();
      if (!own) return undefined;
      const rows = listQuery(listColumns)
        .where(inArray(demands.id, [own.id, ...(own.duplicateOfId ? [own.duplicateOfId] : [])]))
        .all();
      const self = publicRow(rows.find((r: any) => r.id === own.id));
      const canonical = own.duplicateOfId ? publicRow(rows.find((r: any) => r.id === own.duplicateOfId)) : null;
      return { trackingNo: own.trackingNo, self, canonical };
    },

    /** The public board: counts, and a page of redacted canonical reports. */
    async board(filter: DemandFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? 25;
      const where = and(sql`${demands.status} <> 'duplicate'`, ...filterSql(filter, { publicOnly: true }));
      const total = await db.$count(demands, where);
      const { page, pages } = paging(total, opts.page, pageSize);
      const rows = listQuery(listColumns)
        .where(where)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all()
        .map(publicRow);
      return { rows, total, page, pages };
    },

    /** How many reports came in (duplicates included: each was a report), by one dimension. */
    async countsBy(dimension: 'channel' | 'status' | 'category' | 'district' | 'month', opts: { monthOffset?: string } = {}) {
      switch (dimension) {
        case 'channel':
          return db.all<{ key: string; n: number }>(sql`SELECT channel AS key, count(*) AS n FROM demands GROUP BY channel ORDER BY n DESC`);
        case 'status':
          return db.all<{ key: string; n: number }>(sql`SELECT status AS key, count(*) AS n FROM demands GROUP BY status ORDER BY n DESC`);
        case 'category':
          return db.all<{ key: string; nameZh: string; nameEn: string; n: number }>(
            sql`SELECT c.slug AS key, c.name_zh AS nameZh, c.name_en AS nameEn, count(*) AS n FROM demands d JOIN categories c ON c.id = d.category_id GROUP BY c.id ORDER BY n DESC, c.sort_order`,
          );
        case 'district':
          return db.all<{ key: string; name: string; n: number }>(
            sql`SELECT u.slug AS key, u.name AS name, count(*) AS n FROM demands d JOIN units u ON u.id = d.district_unit_id GROUP BY u.id ORDER BY n DESC, u.name`,
          );
        case 'month':
          return db.all<{ key: string; n: number }>(
            sql`SELECT strftime('%Y-%m', reported_at, ${opts.monthOffset ?? '+0 minutes'}) AS key, count(*) AS n FROM demands GROUP BY key ORDER BY key`,
          );
      }
    },

    /** Totals for the board's headline: reports, and reports whose demand a unit took on. */
    async totals() {
      const row = db.get<{ reports: number; claimed: number; resolved: number; declined: number }>(sql`
        SELECT count(*) AS reports,
          coalesce(sum(c.status IN ('claimed','resolved')), 0) AS claimed,
          coalesce(sum(c.status = 'resolved'), 0) AS resolved,
          coalesce(sum(c.status = 'declined'), 0) AS declined
        FROM demands d JOIN demands c ON c.id = coalesce(d.duplicate_of_id, d.id)`);
      return { reports: Number(row?.reports ?? 0), claimed: Number(row?.claimed ?? 0), resolved: Number(row?.resolved ?? 0), declined: Number(row?.declined ?? 0) };
    },

    /** The office's triage list: every report, duplicates included, newest first. */
    async triage(filter: DemandFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? 50;
      const where = and(...filterSql(filter));
      const total = await db.$count(demands, where);
      const { page, pages } = paging(total, opts.page, pageSize);
      const rows = listQuery({
        ...listColumns,
        trackingNo: demands.trackingNo,
        externalRef: demands.externalRef,
        suggestedUnitName: suggestedUnits.name,
        pledgeStatus: pledges.status,
      })
        .where(where)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      return { rows: rows as any[], total, page, pages };
    },

    /**
     * Unclaimed reports a unit may take on. "relevant": suggested to it, in its district (it is
     * the district or belongs to one), or in a category it already leads pledges in; "all":
     * every unclaimed report not suggested to another unit; "claimed": what it claimed.
     */
    async forUnit(unit: { id: number; parentId: number | null }, scope: 'relevant' | 'all' | 'claimed', filter: DemandFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? 50;
      const where: SQL[] = filterSql(filter);
      if (scope === 'claimed') {
        where.push(sql`${demands.id} IN (SELECT demand_id FROM pledge_demands WHERE unit_id = ${unit.id})`);
      } else {
        where.push(eq(demands.status, 'new'));
        where.push(sql`(${demands.suggestedUnitId} IS NULL OR ${demands.suggestedUnitId} = ${unit.id})`);
        if (scope === 'relevant') {
          where.push(sql`(${demands.suggestedUnitId} = ${unit.id}
            OR ${demands.districtUnitId} IN (${unit.id}, ${unit.parentId ?? 0})
            OR ${demands.categoryId} IN (SELECT DISTINCT category_id FROM pledges WHERE lead_unit_id = ${unit.id} AND category_id IS NOT NULL))`);
        }
      }
      const condition = and(...where);
      const total = await db.$count(demands, condition);
      const { page, pages } = paging(total, opts.page, pageSize);
      const rows = listQuery({ ...listColumns, suggestedUnitId: demands.suggestedUnitId, pledgeStatus: pledges.status, districtUnitId: demands.districtUnitId })
        .where(condition)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      return { rows: rows as any[], total, page, pages };
    },

    /** One report for staff: every stored fact except the reporter's contact (see contactFor). */
    async staffView(id: number) {
      const row = listQuery({
        ...listColumns,
        trackingNo: demands.trackingNo,
        externalRef: demands.externalRef,
        text: demands.text,
        suggestedUnitId: demands.suggestedUnitId,
        suggestedUnitName: suggestedUnits.name,
        districtUnitId: demands.districtUnitId,
        claimUnitId: pledgeDemands.unitId,
        claimedAt: pledgeDemands.claimedAt,
        pledgeStatus: pledges.status,
        contactErasedAt: demands.contactErasedAt,
        closedAt: demands.closedAt,
        importBatchId: demands.importBatchId,
        createdAt: demands.createdAt,
        hasContact: sql<number>`(${demands.reporterName} <> '' OR ${demands.reporterPhone} <> '' OR ${demands.reporterContact} <> '' OR ${demands.address} <> '')`,
      })
        .where(eq(demands.id, id))
        .get() as any;
      if (!row) return undefined;
      const canonical = row.duplicateOfId
        ? (listQuery({ ...listColumns, trackingNo: demands.trackingNo, claimUnitId: pledgeDemands.unitId, pledgeStatus: pledges.status }).where(eq(demands.id, row.duplicateOfId)).get() as any)
        : null;
      const duplicates = db
        .select({ id: demands.id, channel: demands.channel, reportedAt: demands.reportedAt, trackingNo: demands.trackingNo })
        .from(demands)
        .where(eq(demands.duplicateOfId, id))
        .orderBy(asc(demands.reportedAt))
        .all();
      const byChannel = db.all<{ channel: DemandChannel; n: number }>(
        sql`SELECT channel, count(*) AS n FROM demands WHERE coalesce(duplicate_of_id, id) = ${row.duplicateOfId ?? id} GROUP BY channel ORDER BY n DESC, channel`,
      );
      return { ...row, hasContact: !!row.hasContact, canonical, duplicates, byChannel };
    },

    /** The unit whose claim lets it see this report's contact: the claim of the report or of the one it was merged into. */
    async claimingUnitOf(id: number): Promise<number | null> {
      const row = db.get<{ unitId: number | null }>(
        sql`SELECT pd.unit_id AS unitId FROM demands d JOIN pledge_demands pd ON pd.demand_id = coalesce(d.duplicate_of_id, d.id) WHERE d.id = ${id}`,
      );
      return row?.unitId ?? null;
    },

    /** The reporter's contact, with the view written to the audit log in the same transaction. */
    async contactFor(actor: Actor, id: number) {
      return db.transaction((tx) => {
        const row = tx
          .select({
            reporterName: demands.reporterName,
            reporterPhone: demands.reporterPhone,
            reporterContact: demands.reporterContact,
            address: demands.address,
            contactErasedAt: demands.contactErasedAt,
          })
          .from(demands)
          .where(eq(demands.id, id))
          .get();
        if (!row) return undefined;
        appendAudit(tx, actor, { action: 'demand.contact_view', entity: 'demand', entityId: id });
        return row;
      });
    },

    /**
     * Marks reports as duplicates of another. Counts add up because nothing is deleted: the
     * duplicates (and any merged into them before) now point at the target.
     */
    async merge(actor: Actor, sourceIds: number[], targetId: number): Promise<{ ok: true; merged: number } | { ok: false; reason: 'target' | 'source'; ids?: number[] }> {
      return db.transaction((tx) => {
        const target = tx.select().from(demands).where(eq(demands.id, targetId)).get();
        if (!target || target.status === 'duplicate') return { ok: false, reason: 'target' } as const;
        const ids = [...new Set(sourceIds)].filter((x) => x !== targetId);
        const sources = byIds(tx, ids);
        const bad = ids.filter((x) => {
          const s = sources.find((d) => d.id === x);
          return !s || !(s.status === 'new' || s.status === 'declined');
        });
        if (!ids.length || bad.length) return { ok: false, reason: 'source', ids: bad } as const;
        const at = nowIso();
        for (const source of sources) {
          const moved = tx.update(demands).set({ duplicateOfId: targetId, updatedAt: at }).where(eq(demands.duplicateOfId, source.id)).returning({ id: demands.id }).all();
          const after = tx
            .update(demands)
            .set({ status: 'duplicate', duplicateOfId: targetId, closedAt: null, updatedAt: at })
            .where(eq(demands.id, source.id))
            .returning()
            .get();
          appendAudit(tx, actor, {
            action: 'demand.merge',
            entity: 'demand',
            entityId: source.id,
            before: publicFacts(source),
            after: { ...publicFacts(after), movedDuplicates: moved.map((m) => m.id) },
          });
        }
        return { ok: true, merged: sources.length } as const;
      });
    },

    /** The office names the unit it thinks should take reports on (null clears it). */
    async suggest(actor: Actor, ids: number[], unitId: number | null): Promise<{ ok: true; changed: number } | { ok: false; ids: number[] }> {
      return db.transaction((tx) => {
        const rows = byIds(tx, ids);
        const bad = ids.filter((x) => rows.find((d) => d.id === x)?.status !== 'new');
        if (!rows.length || bad.length) return { ok: false, ids: bad } as const;
        const at = nowIso();
        for (const before of rows) {
          const after = tx.update(demands).set({ suggestedUnitId: unitId, updatedAt: at }).where(eq(demands.id, before.id)).returning().get();
          appendAudit(tx, actor, { action: 'demand.suggest', entity: 'demand', entityId: before.id, before: publicFacts(before), after: publicFacts(after) });
        }
        return { ok: true, changed: rows.length } as const;
      });
    },

    /**
     * Declines new reports with a reason the public reads. A unit (byUnit) may decline only what
     * was suggested to it or lies in its district; the office (null) any new report.
     */
    async decline(
      actor: Actor,
      ids: number[],
      reason: string,
      byUnit: { id: number; parentId: number | null } | null,
    ): Promise<{ ok: true; changed: number } | { ok: false; reason: 'unavailable' | 'forbidden'; ids: number[] }> {
      return db.transaction((tx) => {
        const rows = byIds(tx, ids);
        const unavailable = ids.filter((x) => rows.find((d) => d.id === x)?.status !== 'new');
        if (!rows.length || unavailable.length) return { ok: false, reason: 'unavailable', ids: unavailable } as const;
        if (byUnit) {
          const forbidden = rows
            .filter((d) => !(d.suggestedUnitId === byUnit.id || (d.suggestedUnitId === null && d.districtUnitId !== null && [byUnit.id, byUnit.parentId].includes(d.districtUnitId))))
            .map((d) => d.id);
          if (forbidden.length) return { ok: false, reason: 'forbidden', ids: forbidden } as const;
        }
        const at = nowIso();
        for (const before of rows) {
          const after = tx
            .update(demands)
            .set({ status: 'declined', declineReason: reason, declinedByUnitId: byUnit?.id ?? null, closedAt: at, updatedAt: at })
            .where(eq(demands.id, before.id))
            .returning()
            .get();
          appendAudit(tx, actor, { action: 'demand.decline', entity: 'demand', entityId: before.id, before: publicFacts(before), after: publicFacts(after) });
        }
        return { ok: true, changed: rows.length } as const;
      });
    },

    /** The office takes a declined report back into triage. */
    async reopen(actor: Actor, id: number): Promise<boolean> {
      return db.transaction((tx) => {
        const before = tx.select().from(demands).where(eq(demands.id, id)).get();
        if (!before || before.status !== 'declined') return false;
        const after = tx
          .update(demands)
          .set({ status: 'new', declineReason: '', declinedByUnitId: null, closedAt: null, updatedAt: nowIso() })
          .where(eq(demands.id, id))
          .returning()
          .get();
        appendAudit(tx, actor, { action: 'demand.reopen', entity: 'demand', entityId: id, before: publicFacts(before), after: publicFacts(after) });
        return true;
      });
    },

    /** The office hides a text from the public altogether (or shows it again). */
    async setHidden(actor: Actor, id: number, hidden: boolean): Promise<boolean> {
      return db.transaction((tx) => {
        const before = tx.select().from(demands).where(eq(demands.id, id)).get();
        if (!before) return false;
        const after = tx.update(demands).set({ textHidden: hidden, updatedAt: nowIso() }).where(eq(demands.id, id)).returning().get();
        appendAudit(tx, actor, { action: hidden ? 'demand.hide_text' : 'demand.show_text', entity: 'demand', entityId: id, before: publicFacts(before), after: publicFacts(after) });
        return true;
      });
    },

    /** The office corrects a report's category or district (hotline categories rarely match ours). */
    async classify(actor: Actor, id: number, input: { categoryId: number | null; districtUnitId: number | null }): Promise<boolean> {
      return db.transaction((tx) => {
        const before = tx.select().from(demands).where(eq(demands.id, id)).get();
        if (!before) return false;
        const after = tx.update(demands).set({ ...input, updatedAt: nowIso() }).where(eq(demands.id, id)).returning().get();
        appendAudit(tx, actor, { action: 'demand.classify', entity: 'demand', entityId: id, before: publicFacts(before), after: publicFacts(after) });
        reindexDemand(tx, id);
        return true;
      });
    },

    /**
     * A unit claims new reports into one of its pledges. All or nothing: if any report was
     * taken on, declined or merged meanwhile, or suggested to another unit, nothing changes.
     */
    async claim(
      actor: Actor,
      ids: number[],
      pledgeId: number,
      unitId: number,
    ): Promise<{ ok: true; claimed: number } | { ok: false; reason: 'pledge' | 'unavailable' | 'forbidden'; ids: number[] }> {
      return db.transaction((tx) => {
        const pledge = tx.select({ leadUnitId: pledges.leadUnitId, status: pledges.status }).from(pledges).where(eq(pledges.id, pledgeId)).get();
        if (!pledge || pledge.leadUnitId !== unitId) return { ok: false, reason: 'forbidden', ids: [] } as const;
        if (!CLAIMABLE_PLEDGE_STATUSES.includes(pledge.status)) return { ok: false, reason: 'pledge', ids: [] } as const;
        const unique = [...new Set(ids)];
        const rows = byIds(tx, unique);
        const unavailable = unique.filter((x) => rows.find((d) => d.id === x)?.status !== 'new');
        if (!unique.length || unavailable.length) return { ok: false, reason: 'unavailable', ids: unavailable } as const;
        const forbidden = rows.filter((d) => d.suggestedUnitId !== null && d.suggestedUnitId !== unitId).map((d) => d.id);
        if (forbidden.length) return { ok: false, reason: 'forbidden', ids: forbidden } as const;
        const at = nowIso();
        for (const before of rows) {
          tx.insert(pledgeDemands).values({ demandId: before.id, pledgeId, unitId, claimedBy: actor.userId, claimedAt: at }).run();
          const after = tx.update(demands).set({ status: 'claimed', updatedAt: at }).where(eq(demands.id, before.id)).returning().get();
          appendAudit(tx, actor, { action: 'demand.claim', entity: 'demand', entityId: before.id, before: publicFacts(before), after: { ...publicFacts(after), pledgeId, unitId } });
        }
        return { ok: true, claimed: rows.length } as const;
      });
    },

    /** The unit's pledges reports can be claimed into: not completed or cancelled; drafts included. */
    async claimablePledges(unitId: number) {
      return db
        .select({ id: pledges.id, title: pledges.title, status: pledges.status, dueOn: pledges.dueOn })
        .from(pledges)
        .where(and(eq(pledges.leadUnitId, unitId), inArray(pledges.status, CLAIMABLE_PLEDGE_STATUSES)))
        .orderBy(desc(pledges.id))
        .limit(500)
        .all();
    },

    /** Of these reports, the ones this unit cannot claim now (taken, declined, merged, suggested to another unit). */
    async notClaimable(ids: number[], unitId: number): Promise<number[]> {
      const rows = byIds(db, [...new Set(ids)]);
      return [...new Set(ids)].filter((x) => {
        const d = rows.find((r) => r.id === x);
        return !d || d.status !== 'new' || (d.suggestedUnitId !== null && d.suggestedUnitId !== unitId);
      });
    },

    /** Public facts of some reports (the claim-into-a-new-pledge form shows what is being claimed). */
    async publicRows(ids: number[]) {
      if (!ids.length) return [];
      return listQuery(listColumns).where(inArray(demands.id, ids)).orderBy(asc(demands.reportedAt)).all().map(publicRow);
    },

    /** "answers 17 reports — hotline 12, web 4, survey 1": the reports behind a pledge, duplicates included. */
    async answersFor(pledgeId: number): Promise<{ total: number; byChannel: { channel: DemandChannel; n: number }[] }> {
      const byChannel = db.all<{ channel: DemandChannel; n: number }>(sql`
        SELECT d.channel AS channel, count(*) AS n FROM demands d
        WHERE coalesce(d.duplicate_of_id, d.id) IN (SELECT demand_id FROM pledge_demands WHERE pledge_id = ${pledgeId})
        GROUP BY d.channel ORDER BY n DESC, d.channel`);
      return { total: byChannel.reduce((s, r) => s + Number(r.n), 0), byChannel: byChannel.map((r) => ({ channel: r.channel, n: Number(r.n) })) };
    },

    /** Reports claimed into a pledge (the pledge's workspace lists them). */
    async claimedInto(pledgeId: number) {
      return listQuery({ ...listColumns, trackingNo: demands.trackingNo })
        .where(eq(pledgeDemands.pledgeId, pledgeId))
        .orderBy(desc(demands.reportedAt))
        .all() as any[];
    },

    /**
     * Erases reporters' contact details (and the unredacted text and full address) once a report
     * has been resolved or declined for `days` days; a duplicate follows the report it was
     * merged into. The report itself, in its redacted form, stays.
     */
    async eraseExpiredContacts(actor: Actor, days: number, now = new Date()): Promise<{ demands: number; batches: number }> {
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      // Refused import rows (which may hold callers' numbers) are kept only long enough to fix the file.
      const batchCutoff = new Date(now.getTime() - Math.min(days, REFUSED_ROWS_DAYS) * 86_400_000).toISOString();
      const at = now.toISOString();
      return db.transaction((tx) => {
        const erased = tx.all<{ id: number }>(sql`
          UPDATE demands SET reporter_name = '', reporter_phone = '', reporter_contact = '', address = '', text = public_text,
            contact_erased_at = ${at}, updated_at = ${at}
          WHERE contact_erased_at IS NULL AND (
            (status IN ('resolved','declined') AND closed_at < ${cutoff})
            OR (status = 'duplicate' AND duplicate_of_id IN (SELECT id FROM demands WHERE status IN ('resolved','declined') AND closed_at < ${cutoff})))
          RETURNING id`);
        const batches = tx.all<{ id: number }>(sql`
          UPDATE import_batches SET refused_rows = '[]', refused_erased_at = ${at}
          WHERE refused_erased_at IS NULL AND created_at < ${batchCutoff} RETURNING id`);
        if (erased.length || batches.length) {
          appendAudit(tx, actor, {
            action: 'demand.erase_contacts',
            entity: 'demand',
            after: { demands: erased.length, importBatches: batches.length, retentionDays: days, cutoff },
          });
        }
        return { demands: erased.length, batches: batches.length };
      });
    },
  };
}

/** Days the refused rows of an import are kept for the error file. */
export const REFUSED_ROWS_DAYS = 30;

export type DemandRepository = ReturnType<typeof createDemandRepository>;
export type PublicDemandRow = Awaited<ReturnType<DemandRepository['board']>>['rows'][number];
export { reindexDemand };
