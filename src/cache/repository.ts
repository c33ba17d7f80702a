// The one query the page cache needs: which time zones the campaigns run in.
import { campaigns } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';

export function createCampaignZonesRepository(db: Db) {
  const zones = db.selectDistinct({ zone: campaigns.timeZone }).from(campaigns).prepare();
  return {
    /** Synchronous: called on the request path, where an await per request would cost more than the query. */
    zonesSync(): string[] {
      return zones.all().map((r) => r.zone);
    },
  };
}
