// SQL fragments shared by the pledge repositories (list, stats, units), so that "overdue"
// and "completed on time" mean exactly what src/pledges/status.ts says everywhere.
import { sql, type SQL } from 'drizzle-orm';
import { pledges } from '../../db/schema.ts';
import { todayIn } from './status.ts';

export interface CampaignZone {
  id: number;
  timeZone: string;
}

/** today's date per campaign, as an SQL expression over pledges.campaign_id. */
export function todaySql(campaigns: CampaignZone[], now: Date = new Date(), fallbackZone = 'Asia/Shanghai'): SQL {
  const fallback = todayIn(fallbackZone, now);
  if (campaigns.length === 0) return sql`${fallback}`;
  const whens = campaigns.map((c) => sql`WHEN ${c.id} THEN ${todayIn(c.timeZone, now)}`);
  return sql`(CASE ${pledges.campaignId} ${sql.join(whens, sql` `)} ELSE ${fallback} END)`;
}

/**
 * The same "today per campaign" for a prepared query: the CASE has one WHEN per campaign, so a
 * query built once serves every request for as long as the number of campaigns stays the same
 * (callers key their prepared variants on that number). The ids and days are placeholders
 * filled from todayPlaceholderValues.
 */
export function todayPlaceholderSql(campaignCount: number): SQL {
  const fallback = sql.placeholder('todayFallback');
  if (campaignCount === 0) return sql`${fallback}`;
  const whens = Array.from({ length: campaignCount }, (_, i) => sql`WHEN ${sql.placeholder(`todayCampaign${i}`)} THEN ${sql.placeholder(`todayDay${i}`)}`);
  return sql`(CASE ${pledges.campaignId} ${sql.join(whens, sql` `)} ELSE ${fallback} END)`;
}

/** The placeholder values for todayPlaceholderSql(campaigns.length). */
export function todayPlaceholderValues(campaigns: CampaignZone[], now: Date = new Date(), fallbackZone = 'Asia/Shanghai'): Record<string, string | number> {
  const values: Record<string, string | number> = { todayFallback: todayIn(fallbackZone, now) };
  campaigns.forEach((c, i) => {
    values[`todayCampaign${i}`] = c.id;
    values[`todayDay${i}`] = todayIn(c.timeZone, now);
  });
  return values;
}

export const isPublishedSql = sql`${pledges.status} <> 'draft'`;

export function overdueSql(today: SQL): SQL {
  return sql`(${pledges.status} IN ('pledged','in_progress','delayed') AND ${pledges.dueOn} < ${today})`;
}

export const completedOnTimeSql = sql`(${pledges.status} = 'completed' AND ${pledges.completedOn} <= ${pledges.dueOn})`;

/** The denominator of the on-time rate: completed, or past due and not cancelled. */
export function dueOrCompletedSql(today: SQL): SQL {
  return sql`(${pledges.status} = 'completed' OR (${pledges.status} IN ('pledged','in_progress','delayed') AND ${pledges.dueOn} < ${today}))`;
}
