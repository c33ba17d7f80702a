// Demands (民情诉求): every write to the reports the public made, from intake through triage and
// claiming to resolution, plus the erasure of reporters' contact details. Reads are in queries.ts
// (board-queries.ts, work-queries.ts) and come along in this repository's object, so callers use
// one repository.
//
// Privacy: the reporter's name, phone, contact, full address and the unredacted text leave
// these files only through staffView()/contactFor() (office and claiming unit) and never go into
// the audit log, which is append-only and so could never be erased; audit entries carry the
// public facts of a demand only.
import { and, eq, sql } from 'drizzle-orm';
import {
  demands,
  importBatches,
  pledgeDemands,
  pledges,
  type DemandChannel,
} from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { createDemandQueries } from './queries.ts';
import { prepareDemandIndexing } from './search-index.ts';
import {
  type Demand,
  type NewDemand,
  type DemandFilter,
  CLAIMABLE_PLEDGE_STATUSES,
  publicFacts,
  prepared,
  searchTokensOf,
  reindexDemand,
  byIds,
  nowIso,
  syncDemandsWithPledge,
} from './sql.ts';

export function createDemandRepository(db: Db) {
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
    const index = prepareDemandIndexing(db.$client);
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
      index(id, searchTokensOf(p.publicText, p.location));
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
    ...createDemandQueries(db),
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
export { reindexDemand, searchTokensOf, syncDemandsWithPledge, CLAIMABLE_PLEDGE_STATUSES };
export type { Demand, NewDemand, DemandFilter };
