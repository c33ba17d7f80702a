import { desc, eq, and, lte, gte, sql } from 'drizzle-orm';
import { campaigns } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type Campaign = typeof campaigns.$inferSelect;
export type CampaignInput = Omit<typeof campaigns.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function createCampaignRepository(db: Db) {
  let demoCache: { at: number; value: boolean } | undefined;
  // Nearly every public page asks for the campaigns: built once, not per request.
  const newestFirst = [desc(campaigns.startsOn), desc(campaigns.id)];
  const all = preparedOnce(() => db.select().from(campaigns).orderBy(...newestFirst).prepare());
  const running = preparedOnce(() =>
    db
      .select()
      .from(campaigns)
      .where(and(lte(campaigns.startsOn, sql.placeholder('today')), gte(campaigns.endsOn, sql.placeholder('today'))))
      .orderBy(...newestFirst)
      .prepare(),
  );
  const byId = preparedOnce(() => db.select().from(campaigns).where(eq(campaigns.id, sql.placeholder('id'))).prepare());
  return {
    async list(): Promise<Campaign[]> {
      return all().all();
    },
    async get(id: number): Promise<Campaign | undefined> {
      return byId().get({ id });
    },
    async bySlug(slug: string): Promise<Campaign | undefined> {
      return db.select().from(campaigns).where(eq(campaigns.slug, slug)).get();
    },
    /** The campaign the home page shows: the running one that started last, else the latest. */
    async current(today = new Date().toISOString().slice(0, 10)): Promise<Campaign | undefined> {
      // .get() stops at the first row, so no LIMIT (a bound LIMIT would be re-planned per run).
      return running().get({ today }) ?? all().get();
    },
    async count(): Promise<number> {
      return db.$count(campaigns);
    },
    /** Whether any demo campaign exists (cached briefly: the layout asks on every page). */
    hasDemoSync(): boolean {
      if (demoCache && Date.now() - demoCache.at < 5000) return demoCache.value;
      const value = !!db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.isDemo, true)).get();
      demoCache = { at: Date.now(), value };
      return value;
    },
    async create(actor: Actor, input: CampaignInput): Promise<Campaign> {
      return db.transaction((tx) => {
        const row = tx.insert(campaigns).values(input).returning().get();
        appendAudit(tx, actor, { action: 'campaign.create', entity: 'campaign', entityId: row.id, after: row });
        return row;
      });
    },
    async update(actor: Actor, id: number, input: Partial<CampaignInput>): Promise<Campaign | undefined> {
      return db.transaction((tx) => {
        const before = tx.select().from(campaigns).where(eq(campaigns.id, id)).get();
        if (!before) return undefined;
        const after = tx
          .update(campaigns)
          .set({ ...input, updatedAt: new Date().toISOString() })
          .where(eq(campaigns.id, id))
          .returning()
          .get();
        appendAudit(tx, actor, { action: 'campaign.update', entity: 'campaign', entityId: id, before, after });
        return after;
      });
    },
  };
}
export type CampaignRepository = ReturnType<typeof createCampaignRepository>;
