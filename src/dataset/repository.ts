// Bulk writes for the dataset generator: prepared statements over the app's own tables (the
// database was opened and migrated by openDatabase, so the schema is exactly the app's). Plain
// prepared INSERTs inside one transaction are what makes a million rows take seconds.
import type { Db } from '../plugins/db.ts';
import { storedTerms } from '../search/fold.ts';
import { prepareDemandIndexing } from '../demands/search-index.ts';

export interface DatasetWriter {
  campaign(row: { slug: string; name: string; issuingOffice: string; description: string; startsOn: string; endsOn: string; timeZone: string }): number;
  category(row: { slug: string; nameZh: string; nameEn: string; sortOrder: number }): number;
  unit(row: { slug: string; name: string; kind: string; parentId: number | null; isServiceWindow: boolean; contactPhone: string }): number;
  pledge(row: {
    campaignId: number; leadUnitId: number; tier: string; title: string; commitment: string; standard: string; leadOfficial: string; responsiblePerson: string;
    categoryId: number; districtUnitId: number | null; startOn: string; dueOn: string; status: string; statusReason: string; progress: number; completedOn: string | null;
    publishedAt: string | null; createdAt: string;
  }): number;
  coUnit(pledgeId: number, unitId: number): void;
  update(row: { pledgeId: number; unitId: number; happenedOn: string; body: string; progress: number | null; status: string | null; reason: string; createdAt: string }): void;
  deadlineChange(row: { pledgeId: number; oldDueOn: string; newDueOn: string; reason: string; createdAt: string }): void;
  pledgeTokens(pledgeId: number, tokens: string): void;
  demand(row: {
    trackingNo: string; channel: string; externalRef: string | null; campaignId: number; categoryId: number; districtUnitId: number | null; text: string; publicText: string;
    location: string; reportedAt: string; status: string; duplicateOfId: number | null; closedAt: string | null; createdAt: string;
  }): number;
  demandTokens(demandId: number, tokens: string): void;
  claim(demandId: number, pledgeId: number, unitId: number, claimedAt: string): void;
  rating(row: { targetKey: string; pledgeId: number | null; unitId: number | null; voterId: string; addressKey: string; value: string; createdAt: string }): void;
  check(row: { pledgeId: number; voterId: string; addressKey: string; verdict: string; createdAt: string }): void;
  suggestion(row: {
    campaignId: number; targetKind: string; pledgeId: number | null; unitId: number | null; authorName: string; body: string; status: string; rejectReason: string;
    reply: string; replyUnitId: number | null; repliedAt: string | null; moderatedAt: string | null; createdAt: string;
  }): void;
  /** Runs fn in one transaction with durability relaxed for the bulk load, then restores it. */
  inBulk(fn: () => void): void;
}

export function createDatasetWriter(db: Db): DatasetWriter {
  const c = db.$client;
  const prep = (sql: string) => c.prepare(sql);
  const q = {
    campaign: prep(`INSERT INTO campaigns (slug, name, issuing_office, description, starts_on, ends_on, time_zone) VALUES (@slug, @name, @issuingOffice, @description, @startsOn, @endsOn, @timeZone)`),
    category: prep(`INSERT INTO categories (slug, name_zh, name_en, sort_order) VALUES (@slug, @nameZh, @nameEn, @sortOrder)`),
    unit: prep(`INSERT INTO units (slug, name, kind, parent_id, is_service_window, contact_phone) VALUES (@slug, @name, @kind, @parentId, @isServiceWindow, @contactPhone)`),
    pledge: prep(`INSERT INTO pledges (campaign_id, lead_unit_id, tier, title, commitment, standard, lead_official, responsible_person, category_id, district_unit_id,
      start_on, due_on, status, status_reason, progress, completed_on, published_at, created_at, updated_at)
      VALUES (@campaignId, @leadUnitId, @tier, @title, @commitment, @standard, @leadOfficial, @responsiblePerson, @categoryId, @districtUnitId,
      @startOn, @dueOn, @status, @statusReason, @progress, @completedOn, @publishedAt, @createdAt, @createdAt)`),
    coUnit: prep(`INSERT OR IGNORE INTO pledge_co_units (pledge_id, unit_id) VALUES (?, ?)`),
    update: prep(`INSERT INTO progress_updates (pledge_id, unit_id, happened_on, body, progress, status, reason, created_at) VALUES (@pledgeId, @unitId, @happenedOn, @body, @progress, @status, @reason, @createdAt)`),
    deadline: prep(`INSERT INTO deadline_changes (pledge_id, old_due_on, new_due_on, reason, created_at) VALUES (@pledgeId, @oldDueOn, @newDueOn, @reason, @createdAt)`),
    pledgeTokens: prep(`INSERT INTO pledge_search (rowid, tokens) VALUES (?, ?)`),
    // pledge_terms holds the same tokens as pledge_search, as its tokenizer folds them (src/search/fold.ts).
    pledgeTerms: prep(`INSERT INTO pledge_terms (pledge_id, token) SELECT ?, value FROM json_each(?)`),
    demand: prep(`INSERT INTO demands (tracking_no, channel, external_ref, campaign_id, category_id, district_unit_id, text, public_text, location, reported_at, status, duplicate_of_id, closed_at, created_at, updated_at)
      VALUES (@trackingNo, @channel, @externalRef, @campaignId, @categoryId, @districtUnitId, @text, @publicText, @location, @reportedAt, @status, @duplicateOfId, @closedAt, @createdAt, @createdAt)`),
    claim: prep(`INSERT INTO pledge_demands (demand_id, pledge_id, unit_id, claimed_at) VALUES (?, ?, ?, ?)`),
    rating: prep(`INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, address_key, value, created_at, updated_at) VALUES (@targetKey, @pledgeId, @unitId, @voterId, @addressKey, @value, @createdAt, @createdAt)`),
    check: prep(`INSERT INTO completion_checks (pledge_id, voter_id, address_key, verdict, created_at, updated_at) VALUES (@pledgeId, @voterId, @addressKey, @verdict, @createdAt, @createdAt)`),
    suggestion: prep(`INSERT INTO suggestions (campaign_id, target_kind, pledge_id, unit_id, author_name, body, status, reject_reason, reply, reply_unit_id, replied_at, moderated_at, created_at)
      VALUES (@campaignId, @targetKind, @pledgeId, @unitId, @authorName, @body, @status, @rejectReason, @reply, @replyUnitId, @repliedAt, @moderatedAt, @createdAt)`),
  };
  const id = (r: { lastInsertRowid: number | bigint }) => Number(r.lastInsertRowid);
  return {
    campaign: (row) => id(q.campaign.run(row)),
    category: (row) => id(q.category.run(row)),
    unit: (row) => id(q.unit.run({ ...row, isServiceWindow: row.isServiceWindow ? 1 : 0 })),
    pledge: (row) => id(q.pledge.run(row)),
    coUnit: (pledgeId, unitId) => void q.coUnit.run(pledgeId, unitId),
    update: (row) => void q.update.run(row),
    deadlineChange: (row) => void q.deadline.run(row),
    pledgeTokens(pledgeId, tokens) {
      q.pledgeTokens.run(pledgeId, tokens);
      q.pledgeTerms.run(pledgeId, JSON.stringify(storedTerms(tokens)));
    },
    demand: (row) => id(q.demand.run(row)),
    // demand_search and demand_terms together, as the app writes them (src/demands/search-index.ts).
    demandTokens: prepareDemandIndexing(c),
    claim: (demandId, pledgeId, unitId, at) => void q.claim.run(demandId, pledgeId, unitId, at),
    rating: (row) => void q.rating.run(row),
    check: (row) => void q.check.run(row),
    suggestion: (row) => void q.suggestion.run(row),
    inBulk(fn) {
      // (openDatabase keeps temporary storage in memory: with a file, the rating_tallies trigger's
      // statement journal put ~27 µs of file writes on each of a million ratings.)
      c.pragma('synchronous = OFF');
      try {
        c.transaction(fn)();
      } finally {
        c.pragma('synchronous = FULL');
      }
      // Rows went into the full-text indexes one by one, leaving many small segments: merge them,
      // as a live site's index would be after its automatic merges (a common word's match set
      // is read several times faster from one segment).
      c.exec("INSERT INTO pledge_search(pledge_search) VALUES ('optimize'); INSERT INTO demand_search(demand_search) VALUES ('optimize');");
      c.pragma('optimize');
    },
  };
}
