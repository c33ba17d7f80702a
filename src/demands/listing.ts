// The report list every demands query starts from: its public columns and its joins. Shared by
// the public board (board-queries.ts) and the working views (work-queries.ts), so both read alike.
import { eq } from 'drizzle-orm';
import { categories, demands, pledgeDemands, pledges } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { claimUnits, districtUnits, suggestedUnits, declinedUnits, reportCountSql } from './sql.ts';

/** Columns every list shows; the private ones are not among them. */
export const listColumns = {
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

/** Reports with every join a list may select from (category, district, claim, pledge, units). */
export function listQuery(db: Db, columns: Record<string, any>) {
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
