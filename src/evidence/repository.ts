// Evidence rows: the stored files of a progress update. Written only inside the update's own
// transaction (postProgress), read back for timelines and for serving the bytes.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { evidence, pledges } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import type { PreparedFile } from './files.ts';

/** What a timeline shows of one file (no bytes). */
export interface EvidenceItem {
  id: number;
  progressUpdateId: number;
  kind: 'image' | 'pdf';
  mime: string;
  originalName: string;
  size: number;
  width: number | null;
  height: number | null;
}

const itemColumns = {
  id: evidence.id,
  progressUpdateId: evidence.progressUpdateId,
  kind: evidence.kind,
  mime: evidence.mime,
  originalName: evidence.originalName,
  size: evidence.size,
  width: evidence.width,
  height: evidence.height,
};

/** Stores the files of one update, in the order they were sent. */
export function insertEvidence(tx: DbLike, opts: { progressUpdateId: number; pledgeId: number; uploadedBy: number | null }, files: PreparedFile[]): number[] {
  return files.map(
    (f, position) =>
      tx
        .insert(evidence)
        .values({
          progressUpdateId: opts.progressUpdateId,
          pledgeId: opts.pledgeId,
          kind: f.kind,
          mime: f.mime,
          originalName: f.originalName,
          bytes: f.bytes,
          size: f.size,
          sha256: f.sha256,
          width: f.width,
          height: f.height,
          position,
          uploadedBy: opts.uploadedBy,
        })
        .returning({ id: evidence.id })
        .get().id,
  );
}

function itemsOfPledgeQuery(db: DbLike) {
  return db
    .select(itemColumns)
    .from(evidence)
    .where(eq(evidence.pledgeId, sql.placeholder('pledgeId')))
    .orderBy(asc(evidence.progressUpdateId), asc(evidence.position))
    .prepare();
}

// Every view of a public pledge page reads its evidence (the timeline and the workspace call
// this with the app's connection): the prepared query is kept per connection handle.
const itemsOfPledgeFor = new WeakMap<DbLike, ReturnType<typeof itemsOfPledgeQuery>>();

/** Evidence of many updates, grouped by update id: one query for a whole timeline. */
export function evidenceByUpdate(db: DbLike, pledgeId: number): Record<number, EvidenceItem[]> {
  let itemsOfPledge = itemsOfPledgeFor.get(db);
  if (!itemsOfPledge) itemsOfPledgeFor.set(db, (itemsOfPledge = itemsOfPledgeQuery(db)));
  const rows = itemsOfPledge.all({ pledgeId });
  const out: Record<number, EvidenceItem[]> = {};
  for (const r of rows) (out[r.progressUpdateId] ??= []).push(r);
  return out;
}

export function createEvidenceRepository(db: Db) {
  return {
    /** The file with its bytes, only when its pledge is public (never a draft's). */
    async getPublic(id: number) {
      return db
        .select({ id: evidence.id, kind: evidence.kind, mime: evidence.mime, bytes: evidence.bytes, size: evidence.size, sha256: evidence.sha256, createdAt: evidence.createdAt })
        .from(evidence)
        .innerJoin(pledges, eq(pledges.id, evidence.pledgeId))
        .where(and(eq(evidence.id, id), ne(pledges.status, 'draft')))
        .get();
    },

    async byUpdate(pledgeId: number) {
      return evidenceByUpdate(db, pledgeId);
    },

    async forUpdates(updateIds: number[]): Promise<EvidenceItem[]> {
      if (!updateIds.length) return [];
      return db.select(itemColumns).from(evidence).where(inArray(evidence.progressUpdateId, updateIds)).orderBy(asc(evidence.position)).all();
    },
  };
}
export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
