// The pledge board's core record: campaigns, units, categories, accounts and sessions, pledges
// and their history (co-units, deadline changes, amendments, progress), and the audit log.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { now } from './columns.ts';

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
    // Lists walk an index in the page's order instead of sorting every match (issue 7):
    // a unit's pledges by due date, a status by progress, the tier filter, the other sorts.
    index('pledges_lead_unit_due_idx').on(t.leadUnitId, t.dueOn),
    index('pledges_status_progress_idx').on(t.status, sql`${t.progress} DESC`, t.dueOn),
    index('pledges_tier_due_idx').on(t.tier, t.dueOn),
    index('pledges_progress_idx').on(t.progress, t.dueOn),
    index('pledges_progress_desc_idx').on(sql`${t.progress} DESC`, t.dueOn),
    index('pledges_title_idx').on(t.title),
    // Also max(updated_at) for Last-Modified in O(log n).
    index('pledges_updated_idx').on(t.updatedAt),
    // The new-pledges feed walks pledges in publication order and stops after its page.
    index('pledges_published_idx').on(t.publishedAt),
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
  (t) => [
    index('progress_updates_pledge_idx').on(t.pledgeId, t.happenedOn),
    index('progress_updates_created_idx').on(t.createdAt),
    // A unit's feed: the updates it posted (co-units post on pledges they do not lead).
    index('progress_updates_unit_idx').on(t.unitId, t.createdAt),
  ],
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
