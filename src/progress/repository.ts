// Progress updates: the dated timeline of a published pledge, and the only way its status
// changes after publishing, so every change of status is explained by an entry.
import { desc, eq } from 'drizzle-orm';
import { pledges, progressUpdates, units, users, type PublishedStatus } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { syncDemandsWithPledge } from '../demands/repository.ts';
import { STATUSES_NEEDING_REASON } from './schemas.ts';
import { publicUpdateColumns } from './columns.ts';

export type ProgressUpdate = typeof progressUpdates.$inferSelect;

export interface PostInput {
  pledgeId: number;
  /** The unit the update speaks for: the poster's own (a co-unit's updates are tagged with it). */
  unitId: number;
  happenedOn: string;
  body: string;
  /** Omitted: the pledge keeps its progress. */
  progress?: number;
  /** Omitted: the pledge keeps its status. */
  status?: PublishedStatus;
  reason: string;
}

export type PostResult = { ok: true; update: ProgressUpdate } | { ok: false; reason: 'not_found' | 'draft' };

/**
 * Posts one update inside the caller's transaction (the hand-typed form and the bulk upload
 * both come through here, so a spreadsheet row obeys exactly the same rules and leaves the
 * same timeline entry and audit record as a typed update).
 */
export function postProgress(tx: DbLike, actor: Actor, input: PostInput): PostResult {
  const before = tx.select().from(pledges).where(eq(pledges.id, input.pledgeId)).get();
  if (!before) return { ok: false, reason: 'not_found' } as const;
  if (before.status === 'draft') return { ok: false, reason: 'draft' } as const;

  const status = input.status ?? before.status;
  const progress = status === 'completed' ? 100 : (input.progress ?? before.progress);
  // The completion day is the day of the update that completed it; staying completed keeps it.
  const completedOn = status !== 'completed' ? null : before.status === 'completed' ? before.completedOn : input.happenedOn;
  const statusReason = input.status ? (STATUSES_NEEDING_REASON.includes(input.status) ? input.reason : '') : before.statusReason;

  const update = tx
    .insert(progressUpdates)
    .values({
      pledgeId: before.id,
      unitId: input.unitId,
      authorId: actor.userId,
      happenedOn: input.happenedOn,
      body: input.body,
      progress: input.progress !== undefined || input.status === 'completed' ? progress : null,
      status: input.status ?? null,
      reason: input.reason,
    })
    .returning()
    .get();
  const after = tx
    .update(pledges)
    .set({ status, progress, completedOn, statusReason, updatedAt: new Date().toISOString() })
    .where(eq(pledges.id, before.id))
    .returning()
    .get();
  if (after.status !== before.status) reindexPledge(tx, before.id);
  // Reports claimed into the pledge are resolved with it (and claimed again if it is reopened).
  if (after.status !== before.status) syncDemandsWithPledge(tx, actor, before.id, after.status);
  const facts = (p: typeof before) => ({ status: p.status, progress: p.progress, statusReason: p.statusReason, completedOn: p.completedOn });
  appendAudit(tx, actor, {
    action: 'progress.post',
    entity: 'pledge',
    entityId: before.id,
    before: facts(before),
    after: { ...facts(after), update },
  });
  return { ok: true, update } as const;
}

export function createProgressRepository(db: Db) {
  return {
    async post(actor: Actor, input: PostInput): Promise<PostResult> {
      return db.transaction((tx) => postProgress(tx, actor, input));
    },

    /** The pledge's timeline, latest first, with who posted each entry and for which unit. */
    async listForPledge(pledgeId: number, opts: { limit?: number } = {}) {
      return db
        .select({
          ...publicUpdateColumns,
          unitId: progressUpdates.unitId,
          unitName: units.name,
          author: users.username,
        })
        .from(progressUpdates)
        .innerJoin(units, eq(units.id, progressUpdates.unitId))
        .leftJoin(users, eq(users.id, progressUpdates.authorId))
        .where(eq(progressUpdates.pledgeId, pledgeId))
        .orderBy(desc(progressUpdates.happenedOn), desc(progressUpdates.id))
        .limit(opts.limit ?? 100)
        .all();
    },
  };
}
export type ProgressRepository = ReturnType<typeof createProgressRepository>;
