// What the public reported (民情诉求): import batches, demands, claims into pledges, intake tokens.
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { now } from './columns.ts';
import { campaigns, units, categories, users, pledges } from './record.ts';

/** Where a demand (民情诉求) came from. */
export const DEMAND_CHANNELS = ['web', 'hotline_12345', 'survey', 'reception', 'diary', 'letter', 'other'] as const;
export type DemandChannel = (typeof DEMAND_CHANNELS)[number];
/** Channels recorded by staff through the one staff-entry form (web and hotline have their own paths). */
export const STAFF_CHANNELS = ['survey', 'reception', 'diary', 'letter', 'other'] as const;
export const DEMAND_STATUSES = ['new', 'claimed', 'resolved', 'declined', 'duplicate'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

/** One batch of hotline rows imported from a file: who, when, what came of it. */
export const importBatches = sqliteTable('import_batches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').references(() => users.id),
  fileName: text('file_name').notNull(),
  format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
  encoding: text('encoding').notNull().default(''),
  totalRows: integer('total_rows').notNull().default(0),
  storedCount: integer('stored_count').notNull().default(0),
  skippedCount: integer('skipped_count').notNull().default(0),
  refusedCount: integer('refused_count').notNull().default(0),
  /**
   * Refused rows as JSON (row number, reasons, the cells as sent) for the error file. They may
   * hold callers' phone numbers, so the daily erasure empties this after a short while.
   */
  refusedRows: text('refused_rows').notNull().default('[]'),
  refusedErasedAt: text('refused_erased_at'),
  createdAt: text('created_at').notNull().default(now),
});

/**
 * What the public reported. Each row is one incoming report; a duplicate keeps its row and
 * points at its canonical demand (chains are flattened on merge), so report counts and
 * per-channel counts are GROUP BYs over coalesce(duplicate_of_id, id) and nothing is deleted.
 * Private: text (as reported), address, reporter_* — never on a public page, feed, export or API.
 */
export const demands = sqliteTable(
  'demands',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Public, random, unguessable: the reporter's handle on the tracking page. */
    trackingNo: text('tracking_no').notNull(),
    channel: text('channel', { enum: DEMAND_CHANNELS }).notNull(),
    /** Which reception day, survey, diary or letter batch it came from. */
    source: text('source').notNull().default(''),
    /** The hotline ticket number (or the sending system's id); unique per channel. */
    externalRef: text('external_ref'),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    categoryId: integer('category_id').references(() => categories.id),
    districtUnitId: integer('district_unit_id').references(() => units.id),
    /** As reported. Private: may hold names, numbers, house numbers. */
    text: text('text').notNull(),
    /** Automatically redacted; the only text the public ever sees. */
    publicText: text('public_text').notNull(),
    /** The office hid the text from the public altogether. */
    textHidden: integer('text_hidden', { mode: 'boolean' }).notNull().default(false),
    /** Full address as reported. Private. */
    address: text('address').notNull().default(''),
    /** The address cut to street level: what the public sees. */
    location: text('location').notNull().default(''),
    reportedAt: text('reported_at').notNull(),
    reporterName: text('reporter_name').notNull().default(''),
    reporterPhone: text('reporter_phone').notNull().default(''),
    reporterContact: text('reporter_contact').notNull().default(''),
    contactErasedAt: text('contact_erased_at'),
    status: text('status', { enum: DEMAND_STATUSES }).notNull().default('new'),
    duplicateOfId: integer('duplicate_of_id').references((): any => demands.id),
    suggestedUnitId: integer('suggested_unit_id').references(() => units.id),
    /** Public reason when declined (by a unit or the office). */
    declineReason: text('decline_reason').notNull().default(''),
    declinedByUnitId: integer('declined_by_unit_id').references(() => units.id),
    /** When it became resolved or declined: the retention clock for contact details starts here. */
    closedAt: text('closed_at'),
    importBatchId: integer('import_batch_id').references(() => importBatches.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('demands_tracking_no_idx').on(t.trackingNo),
    uniqueIndex('demands_channel_external_ref_idx').on(t.channel, t.externalRef).where(sql`external_ref IS NOT NULL`),
    index('demands_status_idx').on(t.status, t.reportedAt),
    index('demands_reported_idx').on(t.reportedAt),
    index('demands_category_idx').on(t.categoryId),
    index('demands_district_idx').on(t.districtUnitId),
    index('demands_suggested_unit_idx').on(t.suggestedUnitId),
    index('demands_duplicate_of_idx').on(t.duplicateOfId),
    index('demands_closed_idx').on(t.closedAt),
  ],
);

/** The claim (认领): which demands a pledge answers. A demand is claimed into one pledge. */
export const pledgeDemands = sqliteTable(
  'pledge_demands',
  {
    demandId: integer('demand_id')
      .primaryKey()
      .references(() => demands.id),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    /** The claiming unit: it (and the office) may see the reporter's contact. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    claimedBy: integer('claimed_by').references(() => users.id),
    claimedAt: text('claimed_at').notNull().default(now),
  },
  (t) => [index('pledge_demands_pledge_idx').on(t.pledgeId), index('pledge_demands_unit_idx').on(t.unitId)],
);

/** Tokens for the intake API (the hotline system). Only the sha256 is kept; the token is shown once. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    revokedAt: text('revoked_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash)],
);
