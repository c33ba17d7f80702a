// Pieces shared by the demand repositories (queries.ts reads, repository.ts writes): types,
// table aliases, SQL fragments, the filter builder and the search index upkeep.
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  demands,
  pledgeDemands,
  units,
  type DemandChannel,
  type DemandStatus,
  type PledgeStatus,
} from '../../db/schema.ts';
import type { DbLike } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { matchExpression, type QueryTerm } from '../search/tokens.ts';
import { termsProbeSql } from './board-search.ts';
import { reindexDemandSearch, searchTokensOf } from './search-index.ts';
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

export const claimUnits = alias(units, 'claim_units');
export const districtUnits = alias(units, 'district_units');
export const suggestedUnits = alias(units, 'suggested_units');
export const declinedUnits = alias(units, 'declined_units');

export const reportCountSql = sql<number>`(1 + (SELECT count(*) FROM demands AS dup WHERE dup.duplicate_of_id = ${demands.id}))`;

/** What the audit log may hold about a demand: nothing personal. */
export function publicFacts(d: Demand) {
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

export function prepared(input: NewDemand) {
  const known = [input.reporterName, input.reporterPhone, input.reporterContact];
  const location = streetLevel(input.address);
  return { ...input, trackingNo: newTrackingNo(), publicText: redactText(input.text, known), location };
}

export { searchTokensOf };

/** Brings one report's search indexes (full text and terms) up to date with its stored text. */
export function reindexDemand(db: DbLike, id: number): void {
  const row = db.select({ publicText: demands.publicText, location: demands.location }).from(demands).where(eq(demands.id, id)).get();
  reindexDemandSearch(db, id, row);
}

export function byIds(tx: DbLike, ids: number[]): Demand[] {
  return ids.length ? tx.select().from(demands).where(inArray(demands.id, ids)).all() : [];
}

export function nowIso(): string {
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

export type WhereOpts = {
  publicOnly?: boolean;
  /**
   * Search by walking the board's order and seeking these terms in demand_terms for each report
   * (src/demands/board-search.ts) instead of the full-text match set. The category, district and
   * channel tests then keep the planner off their own indexes (a unary +), which would make it
   * sort every report of that category first; status stays indexed: its index is in the order.
   */
  probeTerms?: readonly QueryTerm[];
};

/**
 * How a filter's value enters its condition. By default as a bound value of a query built for
 * this request; the public board passes a binder that puts a named placeholder in its place
 * and records the value, so the query can be prepared once per filter shape (the names bound,
 * in order, are the shape: each name always stands for the same condition).
 */
export type Binder = (name: string, value: string | number) => unknown;
const inline: Binder = (_name, value) => value;

export function filterSql(f: DemandFilter, opts: WhereOpts = {}, bind: Binder = inline): SQL[] {
  const where: SQL[] = [];
  const walk = opts.probeTerms ? sql`+` : sql``;
  if (f.channel) where.push(sql`${walk}${demands.channel} = ${bind('channel', f.channel)}`);
  if (f.categoryId) where.push(sql`${walk}${demands.categoryId} = ${bind('categoryId', f.categoryId)}`);
  if (f.districtUnitId) where.push(sql`${walk}${demands.districtUnitId} = ${bind('districtUnitId', f.districtUnitId)}`);
  if (f.status) where.push(sql`${demands.status} = ${bind('status', f.status)}`);
  if (f.from) where.push(sql`${demands.reportedAt} >= ${bind('from', f.from)}`);
  if (f.to) where.push(sql`${demands.reportedAt} < ${bind('to', f.to)}`);
  if (f.suggestedUnitId) where.push(sql`${demands.suggestedUnitId} = ${bind('suggestedUnitId', f.suggestedUnitId)}`);
  if (f.importBatchId) where.push(sql`${demands.importBatchId} = ${bind('importBatchId', f.importBatchId)}`);
  if (f.pledgeId) where.push(sql`${demands.id} IN (SELECT demand_id FROM pledge_demands WHERE pledge_id = ${bind('pledgeId', f.pledgeId)})`);
  if (f.ref) {
    const raw = f.ref.trim().replace(/^#/, '');
    const matches: SQL[] = [sql`${demands.externalRef} = ${bind('refExternal', raw)}`];
    const trackingNo = normalizeTrackingNo(raw);
    if (trackingNo) matches.push(sql`${demands.trackingNo} = ${bind('refTracking', trackingNo)}`);
    if (/^\d{1,10}$/.test(raw)) matches.push(sql`${demands.id} = ${bind('refId', Number(raw))}`);
    where.push(or(...matches)!);
  }
  if (f.q && opts.probeTerms) {
    // Hidden first: it needs only the row already read, the seeks come after.
    if (opts.publicOnly) where.push(sql`${demands.textHidden} = 0`);
    where.push(...termsProbeSql(opts.probeTerms, bind));
  } else if (f.q) {
    const match = matchExpression(f.q);
    // Nothing searchable in the query (only punctuation): nothing matches.
    if (!match) where.push(sql`${bind('nothingMatches', 0)}`);
    else {
      where.push(sql`${demands.id} IN (SELECT rowid FROM demand_search WHERE demand_search MATCH ${bind('match', match)})`);
      // A hidden text is not searchable by the public: a match would tell what it says.
      if (opts.publicOnly) where.push(sql`${demands.textHidden} = 0`);
    }
  }
  return where;
}

export function paging(total: number, page: number | undefined, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { pages, page: Math.min(Math.max(1, page ?? 1), pages) };
}
