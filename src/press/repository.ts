// What the press desk reads to build a notice (whole rows of a selection, the last notice of an
// outlet) and the one write it makes: a publication with its rows and files, in one transaction.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  campaigns,
  categories,
  pledgeCoUnits,
  pledges,
  publicationFiles,
  publicationPledges,
  publications,
  units,
  type OutletKind,
  type PublicationFormat,
} from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, currentChainHead, type Actor } from '../audit/repository.ts';
import { isPublishedSql } from '../pledges/conditions.ts';

const districtUnits = alias(units, 'district_units');

/** Rows loaded per query: keeps the IN list well under SQLite's parameter limit. */
const CHUNK = 500;

export interface PressRow {
  id: number;
  campaignId: number;
  title: string;
  commitment: string;
  standard: string;
  tier: 'major' | 'unit';
  startOn: string;
  dueOn: string;
  status: 'draft' | 'pledged' | 'in_progress' | 'delayed' | 'completed' | 'cancelled';
  completedOn: string | null;
  progress: number;
  leadOfficial: string;
  responsiblePerson: string;
  leadUnitId: number;
  leadUnitName: string;
  categoryZh: string | null;
  categoryEn: string | null;
  districtName: string | null;
  coUnitNames: string[];
}

export interface GeneratedFile {
  format: PublicationFormat;
  mime: string;
  ext: string;
  bytes: Buffer;
}

export interface PublishInput {
  campaignId: number;
  outletId: number;
  kind: OutletKind;
  language: 'zh-CN' | 'en';
  noticeNo: string;
  edition: string;
  publishedOn: string;
  title: string;
  correctsId: number | null;
  selection: unknown;
  snapshot: unknown;
  pledgeIds: number[];
  files: GeneratedFile[];
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The server's own file name for a publication's file: no user text ever reaches it. */
export function publicationFileName(publicationId: number, format: PublicationFormat, ext: string): string {
  return `notice-${publicationId}-${format.replace(/_/g, '-')}.${ext}`;
}

export function createPressRepository(db: Db) {
  return {
    /** Whole published rows for these ids (any order; the document decides the print order). */
    async rows(ids: number[]): Promise<PressRow[]> {
      const out: PressRow[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = db
          .select({
            id: pledges.id,
            campaignId: pledges.campaignId,
            title: pledges.title,
            commitment: pledges.commitment,
            standard: pledges.standard,
            tier: pledges.tier,
            startOn: pledges.startOn,
            dueOn: pledges.dueOn,
            status: pledges.status,
            completedOn: pledges.completedOn,
            progress: pledges.progress,
            leadOfficial: pledges.leadOfficial,
            responsiblePerson: pledges.responsiblePerson,
            leadUnitId: pledges.leadUnitId,
            leadUnitName: units.name,
            categoryZh: categories.nameZh,
            categoryEn: categories.nameEn,
            districtName: districtUnits.name,
          })
          .from(pledges)
          .innerJoin(units, eq(units.id, pledges.leadUnitId))
          .leftJoin(categories, eq(categories.id, pledges.categoryId))
          .leftJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
          .where(and(inArray(pledges.id, chunk), isPublishedSql))
          .all();
        const co = new Map<number, string[]>();
        for (const c of db
          .select({ pledgeId: pledgeCoUnits.pledgeId, name: units.name })
          .from(pledgeCoUnits)
          .innerJoin(units, eq(units.id, pledgeCoUnits.unitId))
          .where(inArray(pledgeCoUnits.pledgeId, chunk))
          .orderBy(asc(units.id))
          .all()) {
          co.set(c.pledgeId, [...(co.get(c.pledgeId) ?? []), c.name]);
        }
        for (const r of rows) out.push({ ...r, coUnitNames: co.get(r.id) ?? [] });
      }
      return out;
    },

    /** The outlet's latest publication in a campaign (the reference point of the "since the last notice" sets). */
    async lastPublication(outletId: number, campaignId: number) {
      return db
        .select({ id: publications.id, noticeNo: publications.noticeNo, publishedOn: publications.publishedOn, createdAt: publications.createdAt, snapshot: publications.snapshot })
        .from(publications)
        .where(and(eq(publications.outletId, outletId), eq(publications.campaignId, campaignId)))
        .orderBy(desc(publications.id))
        .limit(1)
        .get();
    },

    /** An outlet's earlier notices, the latest first: what a correction may name. */
    async outletPublications(outletId: number) {
      return db
        .select({ id: publications.id, noticeNo: publications.noticeNo, publishedOn: publications.publishedOn, title: publications.title })
        .from(publications)
        .where(eq(publications.outletId, outletId))
        .orderBy(desc(publications.id))
        .all();
    },

    async publication(id: number) {
      return db.select({ id: publications.id, outletId: publications.outletId, noticeNo: publications.noticeNo, publishedOn: publications.publishedOn }).from(publications).where(eq(publications.id, id)).get();
    },

    async campaign(id: number) {
      return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
    },

    /**
     * Stores the publication, its pledges and every file, with the audit entry, all or nothing.
     * The files are rendered before this is called: nothing slow runs inside the transaction.
     */
    async publish(actor: Actor, input: PublishInput): Promise<{ id: number }> {
      return db.transaction((tx) => {
        const head = currentChainHead(tx);
        const pub = tx
          .insert(publications)
          .values({
            campaignId: input.campaignId,
            outletId: input.outletId,
            kind: input.kind,
            noticeNo: input.noticeNo,
            edition: input.edition,
            publishedOn: input.publishedOn,
            title: input.title,
            language: input.language,
            selection: JSON.stringify(input.selection),
            snapshot: JSON.stringify(input.snapshot),
            rowCount: input.pledgeIds.length,
            correctsId: input.correctsId,
            chainHead: head?.hash ?? '',
            createdBy: actor.userId,
          })
          .returning({ id: publications.id })
          .get();
        for (let i = 0; i < input.pledgeIds.length; i += CHUNK) {
          tx.insert(publicationPledges)
            .values(input.pledgeIds.slice(i, i + CHUNK).map((pledgeId, j) => ({ publicationId: pub.id, pledgeId, position: i + j + 1 })))
            .run();
        }
        const files = input.files.map((f) => ({
          publicationId: pub.id,
          format: f.format,
          fileName: publicationFileName(pub.id, f.format, f.ext),
          mime: f.mime,
          bytes: f.bytes,
          size: f.bytes.length,
          sha256: sha256(f.bytes),
        }));
        for (const f of files) tx.insert(publicationFiles).values(f).run();
        appendAudit(tx, actor, {
          action: 'publish',
          entity: 'publication',
          entityId: pub.id,
          after: {
            outletId: input.outletId,
            noticeNo: input.noticeNo,
            edition: input.edition,
            publishedOn: input.publishedOn,
            correctsId: input.correctsId,
            rowCount: input.pledgeIds.length,
            chainHead: head?.hash ?? '',
            files: files.map((f) => ({ format: f.format, fileName: f.fileName, size: f.size, sha256: f.sha256 })),
          },
        });
        return pub;
      });
    },
  };
}
export type PressRepository = ReturnType<typeof createPressRepository>;
