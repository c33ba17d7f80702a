// Progress updates: the dated timeline of a published pledge, and the only way its status
// changes after publishing, so every change of status is explained by an entry.
import { desc, eq } from 'drizzle-orm';
import { pledges, progressUpdates, units, users, type PublishedStatus } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { syncDemandsWithPledge } from '../demands/repository.ts';
import { STATUSES_NEEDING_REASON, completionUnsupported } from './schemas.ts';
import { evidenceByUpdate, insertEvidence } from '../evidence/repository.ts';
import type { PreparedFile } from '../evidence/files.ts';
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
  /** Photos and PDFs backing the update, already checked and cleaned (src/evidence/files.ts). */
  evidence?: PreparedFile[];
}

export type PostResult = { ok: true; update: ProgressUpdate; evidenceIds: number[] } | { ok: false; reason: 'not_found' | 'draft' | 'completion_unsupported' };

/**
 * Posts one update inside the caller's transaction (the hand-typed form and the bulk upload
 * both come through here, so a spreadsheet row obeys exactly the same rules and leaves the
 * same timeline entry and audit record as a typed update).
 */
export function postProgress(tx: DbLike, actor: Actor, input: PostInput): PostResult {
  const before = tx.select().from(pledges).where(eq(pledges.id, input.pledgeId)).get();
  if (!before) return { ok: false, reason: 'not_found' } as const;
  if (before.status === 'draft') return { ok: false, reason: 'draft' } as const;
  // The forms check this too, with a message by the field; this is the rule's last word.
  if (completionUnsupported(input, before.status, input.evidence?.length ?? 0)) return { ok: false, reason: 'completion_unsupported' } as const;

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
  const evidenceIds = input.evidence?.length ? insertEvidence(tx, { progressUpdateId: update.id, pledgeId: before.id, uploadedBy: actor.userId }, input.evidence) : [];
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
    after: { ...facts(after), update, ...(evidenceIds.length ? { evidence: evidenceIds } : {}) },
  });
  return { ok: true, update, evidenceIds } as const;
}

export function createProgressRepository(db: Db) {
  return {
    async post(actor: Actor, input: PostInput): Promise<PostResult> {
      return db.transaction((tx) => postProgress(tx, actor, input));
    },

    /** The pledge's timeline, latest first, with who posted each entry, for which unit, and its evidence. */
    async listForPledge(pledgeId: number, opts: { limit?: number } = {}) {
      const evidence = evidenceByUpdate(db, pledgeId);
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
        .all()
        .map((u) => ({ ...u, evidence: evidence[u.id] ?? [] }));
    },
  };
}
export type ProgressRepository = ReturnType<typeof createProgressRepository>;
