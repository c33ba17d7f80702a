// Public supervision: ratings, completion checks, rating codes and vote flags, suggestions,
// evidence, deadline requests, the working-day calendar, service windows.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, blob, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { now } from './columns.ts';
import { campaigns, units, users, pledges, progressUpdates, deadlineChanges } from './record.ts';

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
    // The burst check counts one address's recent votes on one target.
    index('ratings_burst_idx').on(t.targetKey, t.addressKey, t.createdAt),
    // A flag's votes (counted on every vote of a burst, listed for the office): flags are rare, so the index is small.
    index('ratings_flag_idx').on(t.flagId).where(sql`flag_id IS NOT NULL`),
    // A pledge's or window's figures are read from this index alone, already in group order:
    // a popular target has thousands of votes, and reading each row cost a page a millisecond.
    index('ratings_target_tally_idx').on(t.targetKey, t.flagId, t.verified, t.value),
    // A target's published comments, newest first, without reading its plain votes (most votes
    // carry no comment, and only published ones are shown).
    index('ratings_published_comment_idx').on(t.targetKey, t.updatedAt).where(sql`comment_status = 'published'`),
  ],
);

/**
 * The ratings counted per (target, flag, method, answer), kept exact by triggers on `ratings`
 * (migration 0011) inside whichever transaction writes a vote, so no public read counts a
 * million votes after each write. Whether a flag's votes count is asked at read time (vote_flags
 * is tiny), so deciding a flag changes no tally. A group whose count reaches 0 is deleted: the
 * table holds exactly what `SELECT … count(*) FROM ratings GROUP BY …` would.
 */
export const ratingTallies = sqliteTable(
  'rating_tallies',
  {
    targetKey: text('target_key').notNull(),
    /** The votes' flag id, or 0 for votes in no flag: NULL cannot take part in an UPSERT's key. Read it as nullif(flag_key, 0). */
    flagKey: integer('flag_key').notNull(),
    verified: integer('verified', { mode: 'boolean' }).notNull(),
    value: text('value', { enum: RATING_VALUES }).notNull(),
    /** The target's pledge or unit, copied from its ratings (the same for every vote on a target). */
    pledgeId: integer('pledge_id'),
    unitId: integer('unit_id'),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.targetKey, t.flagKey, t.verified, t.value] })],
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
    index('completion_checks_flag_idx').on(t.flagId).where(sql`flag_id IS NOT NULL`),
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
    // The unit workspace reads (unit, status); a unit's public page also needs the target kind
    // (most suggestions addressed to a unit are about its pledges) and the newest first.
    index('suggestions_unit_idx').on(t.unitId, t.status, t.targetKind, t.createdAt),
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
  (t) => [
    index('evidence_update_idx').on(t.progressUpdateId, t.position),
    // Covers the timeline's read: the columns stored after `bytes` would otherwise make SQLite
    // walk every file's overflow pages on each view of a pledge page.
    index('evidence_pledge_items_idx').on(t.pledgeId, t.progressUpdateId, t.position, t.id, t.kind, t.mime, t.originalName, t.size, t.width, t.height),
  ],
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
