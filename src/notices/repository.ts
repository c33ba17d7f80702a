// Public reads of published notices: the list, one notice with its snapshot, its files (bytes
// exactly as stored), the notices a pledge appeared in, and an outlet's previous notice.
import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { outlets, publicationFiles, publicationPledges, publications, type PublicationFormat } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import type { NoticeDocument } from '../press/render/types.ts';

const listColumns = {
  id: publications.id,
  campaignId: publications.campaignId,
  kind: publications.kind,
  noticeNo: publications.noticeNo,
  edition: publications.edition,
  publishedOn: publications.publishedOn,
  title: publications.title,
  language: publications.language,
  rowCount: publications.rowCount,
  correctsId: publications.correctsId,
  chainHead: publications.chainHead,
  createdAt: publications.createdAt,
  outlet: { id: outlets.id, name: outlets.name, kind: outlets.kind },
};

export interface NoticeFileInfo {
  format: PublicationFormat;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
}

export function createNoticeRepository(db: Db) {
  // Read by every view of a public pledge page: built once.
  const noticesOfPledge = preparedOnce(() =>
    db
      .select({ id: publications.id, noticeNo: publications.noticeNo, publishedOn: publications.publishedOn, title: publications.title, outletName: outlets.name, kind: publications.kind, position: publicationPledges.position })
      .from(publicationPledges)
      .innerJoin(publications, eq(publications.id, publicationPledges.publicationId))
      .innerJoin(outlets, eq(outlets.id, publications.outletId))
      .where(eq(publicationPledges.pledgeId, sql.placeholder('pledgeId')))
      .orderBy(desc(publications.publishedOn), desc(publications.id))
      .prepare(),
  );

  function filesOf(ids: number[]): Map<number, NoticeFileInfo[]> {
    const out = new Map<number, NoticeFileInfo[]>();
    if (!ids.length) return out;
    const rows = db
      .select({ publicationId: publicationFiles.publicationId, format: publicationFiles.format, fileName: publicationFiles.fileName, mime: publicationFiles.mime, size: publicationFiles.size, sha256: publicationFiles.sha256 })
      .from(publicationFiles)
      .where(inArray(publicationFiles.publicationId, ids))
      .orderBy(asc(publicationFiles.id))
      .all();
    for (const { publicationId, ...f } of rows) out.set(publicationId, [...(out.get(publicationId) ?? []), f]);
    return out;
  }

  function correctionsOf(ids: number[]): Map<number, { id: number; noticeNo: string }[]> {
    const out = new Map<number, { id: number; noticeNo: string }[]>();
    if (!ids.length) return out;
    for (const r of db
      .select({ id: publications.id, noticeNo: publications.noticeNo, correctsId: publications.correctsId })
      .from(publications)
      .where(inArray(publications.correctsId, ids))
      .orderBy(asc(publications.id))
      .all()) {
      out.set(r.correctsId!, [...(out.get(r.correctsId!) ?? []), { id: r.id, noticeNo: r.noticeNo }]);
    }
    return out;
  }

  function withLinks<T extends { id: number; correctsId: number | null }>(rows: T[]) {
    const ids = rows.map((r) => r.id);
    const files = filesOf(ids);
    const correctedBy = correctionsOf(ids);
    const correctsIds = rows.map((r) => r.correctsId).filter((x): x is number => x !== null);
    const corrected = new Map(
      correctsIds.length
        ? db.select({ id: publications.id, noticeNo: publications.noticeNo }).from(publications).where(inArray(publications.id, correctsIds)).all().map((r) => [r.id, r] as const)
        : [],
    );
    return rows.map((r) => ({
      ...r,
      files: files.get(r.id) ?? [],
      corrects: r.correctsId ? (corrected.get(r.correctsId) ?? null) : null,
      correctedBy: correctedBy.get(r.id) ?? [],
    }));
  }

  return {
    /** Published notices, the latest first. */
    async list(opts: { limit: number; offset: number }) {
      const total = db.select({ n: count() }).from(publications).get()?.n ?? 0;
      const rows = db
        .select(listColumns)
        .from(publications)
        .innerJoin(outlets, eq(outlets.id, publications.outletId))
        .orderBy(desc(publications.publishedOn), desc(publications.id))
        .limit(opts.limit)
        .offset(opts.offset)
        .all();
      return { total, rows: withLinks(rows) };
    },

    /** Latest published first by when they were stored: what the feed shows. */
    async recent(limit: number) {
      const rows = db.select(listColumns).from(publications).innerJoin(outlets, eq(outlets.id, publications.outletId)).orderBy(desc(publications.id)).limit(limit).all();
      return withLinks(rows);
    },

    async get(id: number) {
      const row = db
        .select({ ...listColumns, snapshot: publications.snapshot })
        .from(publications)
        .innerJoin(outlets, eq(outlets.id, publications.outletId))
        .where(eq(publications.id, id))
        .get();
      if (!row) return undefined;
      const { snapshot, ...rest } = row;
      return { ...withLinks([rest])[0], document: JSON.parse(snapshot) as NoticeDocument };
    },

    /** One stored file, bytes as published. */
    async file(id: number, format: PublicationFormat) {
      return db
        .select({ fileName: publicationFiles.fileName, mime: publicationFiles.mime, bytes: publicationFiles.bytes, size: publicationFiles.size, sha256: publicationFiles.sha256 })
        .from(publicationFiles)
        .where(and(eq(publicationFiles.publicationId, id), eq(publicationFiles.format, format)))
        .get();
    },

    /** The same outlet's notice before this one (the digest's default comparison). */
    async previous(pub: { id: number; outlet: { id: number } }) {
      return db
        .select({ id: publications.id })
        .from(publications)
        .where(and(eq(publications.outletId, pub.outlet.id), lt(publications.id, pub.id)))
        .orderBy(desc(publications.id))
        .limit(1)
        .get()?.id;
    },

    /** The notices a pledge appeared in, the latest first. */
    async forPledge(pledgeId: number) {
      return noticesOfPledge().all({ pledgeId });
    },

    /** When the latest notice was stored (for Last-Modified); null when there is none. */
    async lastCreatedAt(): Promise<string | null> {
      return db.select({ at: publications.createdAt }).from(publications).orderBy(desc(publications.id)).limit(1).get()?.at ?? null;
    },
  };
}
export type NoticeRepository = ReturnType<typeof createNoticeRepository>;
