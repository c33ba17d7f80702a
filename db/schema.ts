// The record. camelCase properties over snake_case columns; dates that are calendar days
// (due dates, start dates, completion days) are ISO 'YYYY-MM-DD' text in the campaign's
// time zone; instants are ISO-8601 UTC text.
import { sqliteTable, integer, text, blob, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const UNIT_KINDS = [
  'city_department',
  'enterprise',
  'institution',
  'county',
  'district',
  'township',
  'street',
  'village',
  'community',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** Units of these kinds are "districts" for a pledge's district field. */
export const DISTRICT_KINDS: readonly UnitKind[] = ['county', 'district'];

export const ROLES = ['admin', 'press', 'unit'] as const;
export type Role = (typeof ROLES)[number];

export const PLEDGE_TIERS = ['major', 'unit'] as const;
export type PledgeTier = (typeof PLEDGE_TIERS)[number];

/** Stored statuses. "overdue" is never stored: it is derived from the due date. */
export const PLEDGE_STATUSES = ['draft', 'pledged', 'in_progress', 'delayed', 'completed', 'cancelled'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];
export const PUBLISHED_STATUSES = ['pledged', 'in_progress', 'delayed', 'completed', 'cancelled'] as const;
export type PublishedStatus = (typeof PUBLISHED_STATUSES)[number];

export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  issuingOffice: text('issuing_office').notNull().default(''),
  startsOn: text('starts_on').notNull(),
  endsOn: text('ends_on').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
});

export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull(),
    parentId: integer('parent_id').references((): any => units.id),
    isServiceWindow: integer('is_service_window', { mode: 'boolean' }).notNull().default(false),
    contactPhone: text('contact_phone').notNull().default(''),
    contactAddress: text('contact_address').notNull().default(''),
    contactEmail: text('contact_email').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('units_parent_idx').on(t.parentId), index('units_kind_idx').on(t.kind)],
);

/** Old slugs keep redirecting after the office renames a unit's slug. */
export const unitSlugHistory = sqliteTable('unit_slug_history', {
  slug: text('slug').primaryKey(),
  unitId: integer('unit_id')
    .notNull()
    .references(() => units.id),
  retiredAt: text('retired_at').notNull().default(now),
});

export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
});

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull().default(''),
  role: text('role', { enum: ROLES }).notNull(),
  unitId: integer('unit_id').references(() => units.id),
  passwordHash: text('password_hash').notNull(),
  disabledAt: text('disabled_at'),
  passwordChangedAt: text('password_changed_at').notNull().default(now),
  createdAt: text('created_at').notNull().default(now),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database does not hand out live sessions. */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
    createdAt: text('created_at').notNull().default(now),
    lastSeenAt: text('last_seen_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Every sign-in attempt: shown to the user as "recent sign-ins" and used to throttle guessing. */
export const signIns = sqliteTable(
  'sign_ins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').references(() => users.id),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    userAgent: text('user_agent').notNull().default(''),
    success: integer('success', { mode: 'boolean' }).notNull(),
    at: text('at').notNull().default(now),
  },
  (t) => [index('sign_ins_username_at_idx').on(t.username, t.at), index('sign_ins_ip_at_idx').on(t.ip, t.at)],
);

export const pledges = sqliteTable(
  'pledges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    leadUnitId: integer('lead_unit_id')
      .notNull()
      .references(() => units.id),
    tier: text('tier', { enum: PLEDGE_TIERS }).notNull().default('unit'),
    title: text('title').notNull(),
    /** What the unit promises to do. */
    commitment: text('commitment').notNull().default(''),
    /** What "done" means, measurably. */
    standard: text('standard').notNull().default(''),
    leadOfficial: text('lead_official').notNull().default(''),
    responsiblePerson: text('responsible_person').notNull().default(''),
    categoryId: integer('category_id').references(() => categories.id),
    districtUnitId: integer('district_unit_id').references(() => units.id),
    startOn: text('start_on').notNull(),
    dueOn: text('due_on').notNull(),
    status: text('status', { enum: PLEDGE_STATUSES }).notNull().default('draft'),
    /** Why the pledge is delayed or cancelled; empty otherwise. */
    statusReason: text('status_reason').notNull().default(''),
    progress: integer('progress').notNull().default(0),
    completedOn: text('completed_on'),
    parentId: integer('parent_id').references((): any => pledges.id),
    publishedAt: text('published_at'),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('pledges_campaign_status_idx').on(t.campaignId, t.status),
    index('pledges_lead_unit_idx').on(t.leadUnitId),
    index('pledges_category_idx').on(t.categoryId),
    index('pledges_district_idx').on(t.districtUnitId),
    index('pledges_due_idx').on(t.dueOn),
    index('pledges_parent_idx').on(t.parentId),
  ],
);

export const pledgeCoUnits = sqliteTable(
  'pledge_co_units',
  {
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.pledgeId, t.unitId] }), index('pledge_co_units_unit_idx').on(t.unitId)],
);

/** A deadline is never moved silently: every move is a row here. */
export const deadlineChanges = sqliteTable(
  'deadline_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    oldDueOn: text('old_due_on').notNull(),
    newDueOn: text('new_due_on').notNull(),
    reason: text('reason').notNull(),
    requestedBy: integer('requested_by').references(() => users.id),
    approvedBy: integer('approved_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('deadline_changes_pledge_idx').on(t.pledgeId)],
);

/** Changes to a published pledge's commitment text or standard, each with its reason. */
export const pledgeAmendments = sqliteTable(
  'pledge_amendments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    field: text('field', { enum: ['title', 'commitment', 'standard'] }).notNull(),
    oldValue: text('old_value').notNull(),
    newValue: text('new_value').notNull(),
    reason: text('reason').notNull(),
    userId: integer('user_id').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('pledge_amendments_pledge_idx').on(t.pledgeId)],
);

export const progressUpdates = sqliteTable(
  'progress_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    /** The unit that posted it: the lead unit or a co-unit. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    authorId: integer('author_id').references(() => users.id),
    happenedOn: text('happened_on').notNull(),
    body: text('body').notNull(),
    progress: integer('progress'),
    /** The status this update set, when it changed the status. */
    status: text('status', { enum: PLEDGE_STATUSES }),
    reason: text('reason').notNull().default(''),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('progress_updates_pledge_idx').on(t.pledgeId, t.happenedOn), index('progress_updates_created_idx').on(t.createdAt)],
);

/** Append-only (triggers refuse UPDATE and DELETE). Each entry carries the hash of the one before it. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: integer('user_id'),
    username: text('username').notNull().default(''),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull().default(''),
    before: text('before'),
    after: text('after'),
    ip: text('ip').notNull().default(''),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_entity_idx').on(t.entity, t.entityId), uniqueIndex('audit_hash_idx').on(t.hash)],
);

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

// ——— Public supervision (issue 5): ratings, completion checks, suggestions, evidence,
// deadline requests, the working-day calendar, service windows. ———

export const RATING_VALUES = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type RatingValue = (typeof RATING_VALUES)[number];
/** A public comment's moderation state; 'none' when the voter left no comment. */
export const COMMENT_STATES = ['none', 'pending', 'published', 'rejected'] as const;
export type CommentState = (typeof COMMENT_STATES)[number];

/**
 * Bursts of votes from one address that look like stuffing. The office decides: 'accepted'
 * counts the held votes, 'discounted' leaves them out for good; while 'open' they are held
 * out of the published figures and shown to the office as held.
 */
export const voteFlags = sqliteTable(
  'vote_flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'p:<pledgeId>' or 'u:<unitId>' — the rated target. */
    targetKey: text('target_key').notNull(),
    addressKey: text('address_key').notNull(),
    firstAt: text('first_at').notNull(),
    lastAt: text('last_at').notNull(),
    voteCount: integer('vote_count').notNull().default(0),
    status: text('status', { enum: ['open', 'accepted', 'discounted'] }).notNull().default('open'),
    note: text('note').notNull().default(''),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: text('decided_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('vote_flags_status_idx').on(t.status, t.createdAt), index('vote_flags_target_address_idx').on(t.targetKey, t.addressKey)],
);

/** One-time rating codes printed on a service window's receipts: a vote cast with one is verified. */
export const ratingCodes = sqliteTable(
  'rating_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** sha256 of the printed code: the database alone does not hand out usable codes. */
    codeHash: text('code_hash').notNull(),
    /** Codes printed together (one sheet / one day at the window). */
    batch: text('batch').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [uniqueIndex('rating_codes_hash_idx').on(t.codeHash), index('rating_codes_unit_idx').on(t.unitId, t.createdAt)],
);

/** Satisfaction (满意度): one standing vote per voter per target, changeable, never doubled. */
export const ratings = sqliteTable(
  'ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'p:<pledgeId>' or 'u:<unitId>': the uniqueness key with voter_id. */
    targetKey: text('target_key').notNull(),
    pledgeId: integer('pledge_id').references(() => pledges.id),
    unitId: integer('unit_id').references(() => units.id),
    /** The signed voter cookie's id, or 'code:<ratingCodeId>' for a verified vote. */
    voterId: text('voter_id').notNull(),
    addressKey: text('address_key').notNull().default(''),
    value: text('value', { enum: RATING_VALUES }).notNull(),
    comment: text('comment').notNull().default(''),
    commentStatus: text('comment_status', { enum: COMMENT_STATES }).notNull().default('none'),
    verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
    ratingCodeId: integer('rating_code_id').references(() => ratingCodes.id),
    /** Set while the vote belongs to a stuffing flag; see vote_flags. */
    flagId: integer('flag_id').references(() => voteFlags.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('ratings_target_voter_idx').on(t.targetKey, t.voterId),
    index('ratings_pledge_idx').on(t.pledgeId),
    index('ratings_unit_idx').on(t.unitId),
    index('ratings_address_idx').on(t.addressKey, t.createdAt),
    index('ratings_comment_idx').on(t.commentStatus, t.createdAt),
    // The open-data endpoints' Last-Modified reads max(updated_at).
    index('ratings_updated_idx').on(t.updatedAt),
  ],
);

export const COMPLETION_VERDICTS = ['confirm', 'dispute'] as const;
export type CompletionVerdict = (typeof COMPLETION_VERDICTS)[number];

/** After a pledge is completed, the public says whether it really is done. One per voter. */
export const completionChecks = sqliteTable(
  'completion_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    voterId: text('voter_id').notNull(),
    addressKey: text('address_key').notNull().default(''),
    verdict: text('verdict', { enum: COMPLETION_VERDICTS }).notNull(),
    comment: text('comment').notNull().default(''),
    commentStatus: text('comment_status', { enum: COMMENT_STATES }).notNull().default('none'),
    flagId: integer('flag_id').references(() => voteFlags.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('completion_checks_pledge_voter_idx').on(t.pledgeId, t.voterId),
    index('completion_checks_address_idx').on(t.addressKey, t.createdAt),
    index('completion_checks_updated_idx').on(t.updatedAt),
  ],
);

export const SUGGESTION_TARGETS = ['pledge', 'unit', 'campaign'] as const;
export type SuggestionTarget = (typeof SUGGESTION_TARGETS)[number];
export const SUGGESTION_STATUSES = ['pending', 'published', 'rejected'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Suggestions (建言献策). The text as sent is never changed or deleted; moderation only decides visibility. */
export const suggestions = sqliteTable(
  'suggestions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    targetKind: text('target_kind', { enum: SUGGESTION_TARGETS }).notNull(),
    pledgeId: integer('pledge_id').references(() => pledges.id),
    /** The unit addressed (for a pledge: its lead unit, so the unit's queue finds it). */
    unitId: integer('unit_id').references(() => units.id),
    /** Shown publicly when given (a nickname); may be empty. */
    authorName: text('author_name').notNull().default(''),
    /** Private: never on a public page, feed, export or API. */
    authorContact: text('author_contact').notNull().default(''),
    body: text('body').notNull(),
    status: text('status', { enum: SUGGESTION_STATUSES }).notNull().default('pending'),
    rejectReason: text('reject_reason').notNull().default(''),
    moderatedBy: integer('moderated_by').references(() => users.id),
    moderatedAt: text('moderated_at'),
    reply: text('reply').notNull().default(''),
    replyUnitId: integer('reply_unit_id').references(() => units.id),
    repliedBy: integer('replied_by').references(() => users.id),
    repliedAt: text('replied_at'),
    addressKey: text('address_key').notNull().default(''),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('suggestions_status_idx').on(t.status, t.createdAt),
    index('suggestions_pledge_idx').on(t.pledgeId, t.status),
    index('suggestions_unit_idx').on(t.unitId, t.status),
    index('suggestions_campaign_idx').on(t.campaignId, t.targetKind, t.status),
    index('suggestions_address_idx').on(t.addressKey, t.createdAt),
  ],
);

/** Photos and PDFs backing a progress update or completion claim. Bytes live in the database: one backup holds everything. */
export const evidence = sqliteTable(
  'evidence',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    progressUpdateId: integer('progress_update_id')
      .notNull()
      .references(() => progressUpdates.id),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    kind: text('kind', { enum: ['image', 'pdf'] }).notNull(),
    /** Detected from the content, never from the name. */
    mime: text('mime').notNull(),
    /** The name as uploaded, for display only; never part of a path or a header unescaped. */
    originalName: text('original_name').notNull().default(''),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    position: integer('position').notNull().default(0),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('evidence_update_idx').on(t.progressUpdateId, t.position), index('evidence_pledge_idx').on(t.pledgeId)],
);

export const DEADLINE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type DeadlineRequestStatus = (typeof DEADLINE_REQUEST_STATUSES)[number];

/** A unit asks to move a published deadline; the office decides. Until approved the old date stands. */
export const deadlineRequests = sqliteTable(
  'deadline_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    oldDueOn: text('old_due_on').notNull(),
    requestedDueOn: text('requested_due_on').notNull(),
    reason: text('reason').notNull(),
    requestedBy: integer('requested_by').references(() => users.id),
    requestedAt: text('requested_at').notNull().default(now),
    status: text('status', { enum: DEADLINE_REQUEST_STATUSES }).notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: text('decided_at'),
    /** The office's public reason for its decision. */
    decisionNote: text('decision_note').notNull().default(''),
    /** The deadline_changes row an approval wrote. */
    deadlineChangeId: integer('deadline_change_id').references(() => deadlineChanges.id),
  },
  (t) => [index('deadline_requests_pledge_idx').on(t.pledgeId, t.requestedAt), index('deadline_requests_status_idx').on(t.status, t.requestedAt)],
);

/** Exceptions to the Monday–Friday week: public holidays and make-up working days (调休). */
export const calendarDays = sqliteTable('calendar_days', {
  day: text('day').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name').notNull().default(''),
  createdAt: text('created_at').notNull().default(now),
});

/** A service window's published service items (四推一诺): standard and time limit in working days. */
export const serviceCommitments = sqliteTable(
  'service_commitments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    item: text('item').notNull(),
    standard: text('standard').notNull().default(''),
    timeLimitWorkingDays: integer('time_limit_working_days').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('service_commitments_unit_idx').on(t.unitId, t.sortOrder)],
);

/** Staff post cards (亮牌上岗). Names are public by design; nothing else about staff is. */
export const staffCards = sqliteTable(
  'staff_cards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    name: text('name').notNull(),
    post: text('post').notNull(),
    duties: text('duties').notNull().default(''),
    promise: text('promise').notNull().default(''),
    photo: blob('photo', { mode: 'buffer' }),
    photoMime: text('photo_mime'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('staff_cards_unit_idx').on(t.unitId, t.sortOrder)],
);

// ——— Press desk (issue 4): outlets and permanent publications. ———

export const OUTLET_KINDS = ['newspaper', 'tv', 'radio'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];

/** Newspapers, TV and radio stations the office publishes to. */
export const outlets = sqliteTable('outlets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: OUTLET_KINDS }).notNull(),
  /** The language of the outlet's headings and labels. */
  language: text('language', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
});

/** A published press notice: never edited (triggers refuse it); a correction is a later row naming this one. */
export const publications = sqliteTable(
  'publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    outletId: integer('outlet_id')
      .notNull()
      .references(() => outlets.id),
    kind: text('kind', { enum: OUTLET_KINDS }).notNull(),
    noticeNo: text('notice_no').notNull(),
    edition: text('edition').notNull().default(''),
    publishedOn: text('published_on').notNull(),
    title: text('title').notNull(),
    language: text('language', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    /** The builder's choice (filters or ready-made set) as JSON, for the record. */
    selection: text('selection').notNull(),
    /** The exact rows as published, JSON. */
    snapshot: text('snapshot').notNull(),
    rowCount: integer('row_count').notNull(),
    correctsId: integer('corrects_id').references((): any => publications.id),
    /** The audit chain's head when published: ties the notice to the record it was read from. */
    chainHead: text('chain_head').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('publications_outlet_idx').on(t.outletId, t.publishedOn),
    index('publications_campaign_idx').on(t.campaignId, t.publishedOn),
    // Two desks (or a double click during a long render) must not publish the same number twice.
    uniqueIndex('publications_outlet_notice_no_idx').on(t.outletId, t.noticeNo),
  ],
);

export const PUBLICATION_FORMATS = ['pdf_a4', 'pdf_half', 'html', 'docx', 'crawl', 'cards', 'radio', 'csv'] as const;
export type PublicationFormat = (typeof PUBLICATION_FORMATS)[number];

/** Every generated file of a publication, byte for byte. */
export const publicationFiles = sqliteTable(
  'publication_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicationId: integer('publication_id')
      .notNull()
      .references(() => publications.id),
    format: text('format', { enum: PUBLICATION_FORMATS }).notNull(),
    /** Generated by the server; no user text. */
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
  },
  (t) => [uniqueIndex('publication_files_format_idx').on(t.publicationId, t.format)],
);

/** Which pledges a publication carried, in order: each pledge page lists its notices. */
export const publicationPledges = sqliteTable(
  'publication_pledges',
  {
    publicationId: integer('publication_id')
      .notNull()
      .references(() => publications.id),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.pledgeId] }), index('publication_pledges_pledge_idx').on(t.pledgeId)],
);
