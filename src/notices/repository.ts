// Public reads of published notices: the list, one notice with its snapshot, its files (bytes
// exactly as stored), the notices a pledge appeared in, and an outlet's previous notice.
import { and, asc, count, desc, eq, lt, sql } from 'drizzle-orm';
import { outlets, publicationFiles, publicationPledges, publications, type PublicationFormat } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';
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

/** A JSON array of ids bound as one value: one kept statement whatever the number of ids. */
const idsIn = (name: string) => sql`(SELECT value FROM json_each(${sql.placeholder(name)}))`;

export function createNoticeRepository(db: Db) {
  // Every public read is built once (preparedOnce): drizzle building the SQL of the notices
  // join cost more than SQLite running it, on every home page and feed.
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
  const noticeCount = preparedOnce(() => db.select({ n: count() }).from(publications).prepare());
  const listPage = preparedOnce(() =>
    db
      .select(listColumns)
      .from(publications)
      .innerJoin(outlets, eq(outlets.id, publications.outletId))
      .orderBy(desc(publications.publishedOn), desc(publications.id))
      .limit(boundLimit('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(),
  );
  const latestStored = preparedOnce(() =>
    db.select(listColumns).from(publications).innerJoin(outlets, eq(outlets.id, publications.outletId)).orderBy(desc(publications.id)).limit(boundLimit('limit')).prepare(),
  );
  const oneNotice = preparedOnce(() =>
    db
      .select({ ...listColumns, snapshot: publications.snapshot })
      .from(publications)
      .innerJoin(outlets, eq(outlets.id, publications.outletId))
      .where(eq(publications.id, sql.placeholder('id')))
      .prepare(),
  );
  const oneFile = preparedOnce(() =>
    db
      .select({ fileName: publicationFiles.fileName, mime: publicationFiles.mime, bytes: publicationFiles.bytes, size: publicationFiles.size, sha256: publicationFiles.sha256 })
      .from(publicationFiles)
      .where(and(eq(publicationFiles.publicationId, sql.placeholder('id')), eq(publicationFiles.format, sql.placeholder('format'))))
      .prepare(),
  );
  // .get() stops at the first row: no LIMIT (a bound one would be planned again on every run).
  const previousOfOutlet = preparedOnce(() =>
    db
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.outletId, sql.placeholder('outletId')), lt(publications.id, sql.placeholder('id'))))
      .orderBy(desc(publications.id))
      .prepare(),
  );
  const latestCreatedAt = preparedOnce(() => db.select({ at: publications.createdAt }).from(publications).orderBy(desc(publications.id)).prepare());
  const filesOfNotices = preparedOnce(() =>
    db
      .select({ publicationId: publicationFiles.publicationId, format: publicationFiles.format, fileName: publicationFiles.fileName, mime: publicationFiles.mime, size: publicationFiles.size, sha256: publicationFiles.sha256 })
      .from(publicationFiles)
      .where(sql`${publicationFiles.publicationId} IN ${idsIn('ids')}`)
      .orderBy(asc(publicationFiles.id))
      .prepare(),
  );
  const correctionsOfNotices = preparedOnce(() =>
    db
      .select({ id: publications.id, noticeNo: publications.noticeNo, correctsId: publications.correctsId })
      .from(publications)
      .where(sql`${publications.correctsId} IN ${idsIn('ids')}`)
      .orderBy(asc(publications.id))
      .prepare(),
  );
  const noticeNumbers = preparedOnce(() =>
    db
      .select({ id: publications.id, noticeNo: publications.noticeNo })
      .from(publications)
      .where(sql`${publications.id} IN ${idsIn('ids')}`)
      .prepare(),
  );

  function filesOf(ids: number[]): Map<number, NoticeFileInfo[]> {
    const out = new Map<number, NoticeFileInfo[]>();
    if (!ids.length) return out;
    for (const { publicationId, ...f } of filesOfNotices().all({ ids: JSON.stringify(ids) })) out.set(publicationId, [...(out.get(publicationId) ?? []), f]);
    return out;
  }

  function correctionsOf(ids: number[]): Map<number, { id: number; noticeNo: string }[]> {
    const out = new Map<number, { id: number; noticeNo: string }[]>();
    if (!ids.length) return out;
    for (const r of correctionsOfNotices().all({ ids: JSON.stringify(ids) })) {
      out.set(r.correctsId!, [...(out.get(r.correctsId!) ?? []), { id: r.id, noticeNo: r.noticeNo }]);
    }
    return out;
  }

  function withLinks<T extends { id: number; correctsId: number | null }>(rows: T[]) {
    const ids = rows.map((r) => r.id);
    const files = filesOf(ids);
    const correctedBy = correctionsOf(ids);
    const correctsIds = rows.map((r) => r.correctsId).filter((x): x is number => x !== null);
    const corrected = new Map(correctsIds.length ? noticeNumbers().all({ ids: JSON.stringify(correctsIds) }).map((r) => [r.id, r] as const) : []);
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
      const total = noticeCount().get()?.n ?? 0;
      const rows = listPage().all({ limit: opts.limit, offset: opts.offset });
      return { total, rows: withLinks(rows) };
    },

    /** Latest published first by when they were stored: what the feed shows. */
    async recent(limit: number) {
      return withLinks(latestStored().all({ limit }));
    },

    async get(id: number) {
      const row = oneNotice().get({ id });
      if (!row) return undefined;
      const { snapshot, ...rest } = row;
      return { ...withLinks([rest])[0], document: JSON.parse(snapshot) as NoticeDocument };
    },

    /** One stored file, bytes as published. */
    async file(id: number, format: PublicationFormat) {
      return oneFile().get({ id, format });
    },

    /** The same outlet's notice before this one (the digest's default comparison). */
    async previous(pub: { id: number; outlet: { id: number } }) {
      return previousOfOutlet().get({ outletId: pub.outlet.id, id: pub.id })?.id;
    },

    /** The notices a pledge appeared in, the latest first. */
    async forPledge(pledgeId: number) {
      return noticesOfPledge().all({ pledgeId });
    },

    /** When the latest notice was stored (for Last-Modified); null when there is none. */
    async lastCreatedAt(): Promise<string | null> {
      return latestCreatedAt().get()?.at ?? null;
    },
  };
}
export type NoticeRepository = ReturnType<typeof createNoticeRepository>;
