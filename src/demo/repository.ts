// Bulk writes of the demo campaign: one synchronous transaction, so a failure leaves the
// database as it was and a second process starting at the same time cannot load it twice.
import { sql } from 'drizzle-orm';
import {
  campaigns,
  categories,
  units,
  users,
  pledges,
  pledgeCoUnits,
  progressUpdates,
  deadlineChanges,
  pledgeAmendments,
} from '../../db/schema.ts';
import type { Db, Tx } from '../plugins/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { reindexAllPledges } from '../search/repository.ts';
import { searchTokensOf } from '../demands/repository.ts';
import { prepareDemandIndexing } from '../demands/search-index.ts';
import { newTrackingNo, redactText, streetLevel } from '../demands/redact.ts';
import type { DemoPlan } from './plan.ts';

export interface DemoSummary {
  campaignId: number;
  units: number;
  pledges: number;
  updates: number;
  deadlineChanges: number;
  amendments: number;
  demands: number;
  /** Demo accounts created (a username already taken is left alone). */
  accounts: string[];
}

// Rows per multi-row INSERT: well under SQLite's bound-parameter limit.
const CHUNK = 100;

function insertChunked<T>(rows: T[], insert: (chunk: T[]) => void): void {
  for (let i = 0; i < rows.length; i += CHUNK) insert(rows.slice(i, i + CHUNK));
}

/**
 * The demo goes only into a database with no campaign, and brings its own units and
 * categories, so it also stays out of one where the office has already set those up.
 */
function hasOwnContent(db: Db | Tx): boolean {
  const row = db.get<{ taken: number }>(
    sql`SELECT EXISTS(SELECT 1 FROM ${campaigns}) OR EXISTS(SELECT 1 FROM ${units}) OR EXISTS(SELECT 1 FROM ${categories}) AS taken`,
  );
  return !!row?.taken;
}

/**
 * The demo's demands, redacted and indexed as real ones are, with their claims: prepared
 * statements on the connection, so call it inside the load's transaction.
 */
function insertDemands(
  client: Db['$client'],
  plan: DemoPlan,
  ids: { campaignId: number; categoryIds: Map<string, number>; unitIds: Map<string, number>; pledgeIds: number[]; userId: (u: string | null) => number | null },
): void {
  const insert = client.prepare(
    `INSERT INTO demands (tracking_no, channel, source, external_ref, campaign_id, category_id, district_unit_id, text, public_text, text_hidden,
       address, location, reported_at, reporter_name, reporter_phone, reporter_contact, status, duplicate_of_id, suggested_unit_id,
       decline_reason, declined_by_unit_id, closed_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Both search indexes (full text and demand_terms), as the app writes them.
  const index = prepareDemandIndexing(client);
  const claim = client.prepare('INSERT INTO pledge_demands (demand_id, pledge_id, unit_id, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?)');
  const demandIds: number[] = [];
  for (const d of plan.demands) {
    const publicText = redactText(d.text, [d.reporterName, d.reporterPhone, d.reporterContact]);
    const location = streetLevel(d.address);
    const unit = (slug: string | null) => (slug ? ids.unitIds.get(slug)! : null);
    const id = Number(
      insert.run(
        newTrackingNo(),
        d.channel,
        d.source,
        d.externalRef,
        ids.campaignId,
        ids.categoryIds.get(d.category)!,
        unit(d.district),
        d.text,
        publicText,
        d.textHidden ? 1 : 0,
        d.address,
        location,
        d.reportedAt,
        d.reporterName,
        d.reporterPhone,
        d.reporterContact,
        d.status,
        d.duplicateOf === null ? null : demandIds[d.duplicateOf],
        unit(d.suggestedUnit),
        d.declineReason,
        unit(d.declinedBy),
        d.closedAt,
        d.reportedAt,
        d.closedAt ?? d.claimedAt ?? d.reportedAt,
      ).lastInsertRowid,
    );
    demandIds.push(id);
    index(id, searchTokensOf(publicText, location));
    if (d.pledge !== null) {
      const p = plan.pledges[d.pledge];
      claim.run(id, ids.pledgeIds[d.pledge], ids.unitIds.get(p.leadUnit)!, ids.userId(d.claimedBy), d.claimedAt);
    }
  }
}

export function createDemoRepository(db: Db) {
  return {
    async hasContent(): Promise<boolean> {
      return hasOwnContent(db);
    },

    /** Writes the plan; null (and nothing written) when the database already has content. */
    async load(plan: DemoPlan, passwordHash: string): Promise<DemoSummary | null> {
      return db.transaction((tx) => {
        if (hasOwnContent(tx)) return null;

        const campaign = tx
          .insert(campaigns)
          .values({ ...plan.campaign, isDemo: true })
          .returning({ id: campaigns.id })
          .get();

        const categoryIds = new Map<string, number>();
        for (const c of plan.categories) categoryIds.set(c.slug, tx.insert(categories).values(c).returning({ id: categories.id }).get().id);

        const unitIds = new Map<string, number>();
        for (const u of plan.units) {
          const row = tx
            .insert(units)
            .values({ slug: u.slug, name: u.name, kind: u.kind, parentId: u.parent ? unitIds.get(u.parent)! : null, isServiceWindow: u.isServiceWindow, contactPhone: u.contactPhone })
            .returning({ id: units.id })
            .get();
          unitIds.set(u.slug, row.id);
        }

        const userIds = new Map<string, number>();
        for (const a of plan.accounts) {
          const row = tx
            .insert(users)
            .values({ username: a.username, role: a.role, unitId: a.unit ? unitIds.get(a.unit)! : null, displayName: a.displayName, passwordHash })
            .onConflictDoNothing({ target: users.username })
            .returning({ id: users.id })
            .get();
          if (row) userIds.set(a.username, row.id);
        }
        const userId = (username: string | null) => (username ? (userIds.get(username) ?? null) : null);

        const pledgeIds: number[] = [];
        for (const p of plan.pledges) {
          const row = tx
            .insert(pledges)
            .values({
              campaignId: campaign.id,
              leadUnitId: unitIds.get(p.leadUnit)!,
              tier: p.tier,
              title: p.title,
              commitment: p.commitment,
              standard: p.standard,
              leadOfficial: p.leadOfficial,
              responsiblePerson: p.responsiblePerson,
              categoryId: categoryIds.get(p.category)!,
              districtUnitId: p.district ? unitIds.get(p.district)! : null,
              startOn: p.startOn,
              dueOn: p.dueOn,
              status: p.status,
              statusReason: p.statusReason,
              progress: p.progress,
              completedOn: p.completedOn,
              parentId: p.parent === null ? null : pledgeIds[p.parent],
              publishedAt: p.publishedAt,
              createdBy: userId(p.createdBy),
              createdAt: p.createdAt,
              updatedAt: p.updates.at(-1)?.createdAt ?? p.createdAt,
            })
            .returning({ id: pledges.id })
            .get();
          pledgeIds.push(row.id);
        }

        const coUnitRows = plan.pledges.flatMap((p, i) => p.coUnits.map((slug) => ({ pledgeId: pledgeIds[i], unitId: unitIds.get(slug)! })));
        insertChunked(coUnitRows, (chunk) => tx.insert(pledgeCoUnits).values(chunk).run());

        const updateRows = plan.pledges.flatMap((p, i) =>
          p.updates.map((u) => ({
            pledgeId: pledgeIds[i],
            unitId: unitIds.get(u.unit)!,
            authorId: userId(u.author),
            happenedOn: u.happenedOn,
            body: u.body,
            progress: u.progress,
            status: u.status,
            reason: u.reason,
            createdAt: u.createdAt,
          })),
        );
        insertChunked(updateRows, (chunk) => tx.insert(progressUpdates).values(chunk).run());

        const changeRows = plan.pledges.flatMap((p, i) =>
          p.deadlineChanges.map((c) => ({
            pledgeId: pledgeIds[i],
            oldDueOn: c.oldDueOn,
            newDueOn: c.newDueOn,
            reason: c.reason,
            requestedBy: userId(c.requestedBy),
            approvedBy: userId(c.approvedBy),
            createdAt: c.createdAt,
          })),
        );
        insertChunked(changeRows, (chunk) => tx.insert(deadlineChanges).values(chunk).run());

        const amendmentRows = plan.pledges.flatMap((p, i) =>
          p.amendments.map((a) => ({
            pledgeId: pledgeIds[i],
            field: a.field,
            oldValue: a.oldValue,
            newValue: a.newValue,
            reason: a.reason,
            userId: userId(a.user),
            createdAt: a.createdAt,
          })),
        );
        insertChunked(amendmentRows, (chunk) => tx.insert(pledgeAmendments).values(chunk).run());

        reindexAllPledges(tx);
        insertDemands(db.$client, plan, { campaignId: campaign.id, categoryIds, unitIds, pledgeIds, userId });

        const summary: DemoSummary = {
          campaignId: campaign.id,
          units: plan.units.length,
          pledges: plan.pledges.length,
          updates: updateRows.length,
          deadlineChanges: changeRows.length,
          amendments: amendmentRows.length,
          demands: plan.demands.length,
          accounts: [...userIds.keys()],
        };
        appendAudit(tx, { userId: null, username: 'demo' }, { action: 'demo.load', entity: 'campaign', entityId: campaign.id, after: summary });
        return summary;
      });
    },
  };
}
export type DemoRepository = ReturnType<typeof createDemoRepository>;
