// One NoticeDocument from the live record: rows grouped by lead unit in print order, statuses in
// the outlet's language, dates written out, QR targets from PUBLIC_URL. The document is also the
// publication's snapshot, so every file can be rebuilt from it and a digest compares two of them.
import { createHash } from 'node:crypto';
import type { OutletKind } from '../../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { displayStatus, todayIn } from '../pledges/status.ts';
import { noticeLabels } from './render/labels.ts';
import type { NoticeDocument, NoticeGroup, NoticeRow } from './render/types.ts';
import { noticeDay } from './outputs/dates.ts';
import type { PressRow } from './repository.ts';

export interface DocumentMeta {
  outlet: { name: string; kind: OutletKind; language: 'zh-CN' | 'en' };
  campaign: { name: string; issuingOffice: string; timeZone: string };
  noticeNo: string;
  edition: string;
  publishedOn: string;
  /** Empty: the default title for the language. */
  title: string;
  corrects: { outletName: string; noticeNo: string; publishedOn: string } | null;
  publicUrl: string;
  now?: Date;
}

export function statusLabel(language: 'zh-CN' | 'en', row: { status: string; overdue: boolean; completedLate: boolean }): string {
  const t = translator(language);
  if (row.status === 'completed') return t(row.completedLate ? 'status.completed_late' : 'status.completed');
  const base = t(`status.${row.status}`);
  if (!row.overdue) return base;
  return language === 'en' ? `${base} (${t('status.overdue').toLowerCase()})` : `${base}（${t('status.overdue')}）`;
}

export function defaultTitle(language: 'zh-CN' | 'en', campaignName: string): string {
  return language === 'en' ? `${noticeLabels('en').noticeTitle}: ${campaignName}` : `${campaignName}${noticeLabels('zh-CN').noticeTitle}`;
}

/** Print order: by lead unit (in the order units were set up, which follows the office's list), major items first, then by deadline. */
function printOrder(a: PressRow, b: PressRow): number {
  return a.leadUnitId - b.leadUnitId || (a.tier === b.tier ? 0 : a.tier === 'major' ? -1 : 1) || a.dueOn.localeCompare(b.dueOn) || a.id - b.id;
}

export function buildNoticeDocument(rows: PressRow[], meta: DocumentMeta): NoticeDocument {
  const language = meta.outlet.language;
  const today = todayIn(meta.campaign.timeZone, meta.now);
  const labels = noticeLabels(language);
  const groups: NoticeGroup[] = [];
  let current: NoticeGroup | undefined;
  let currentUnit = -1;
  for (const r of [...rows].sort(printOrder)) {
    const display = displayStatus(r, today);
    const row: NoticeRow = {
      pledgeId: r.id,
      title: r.title,
      commitment: r.commitment,
      standard: r.standard,
      tier: r.tier,
      dueOn: r.dueOn,
      startOn: r.startOn,
      status: r.status as NoticeRow['status'],
      overdue: display.overdue,
      completedLate: display.completedLate,
      completedOn: r.completedOn,
      progress: r.progress,
      leadUnitName: r.leadUnitName,
      coUnitNames: r.coUnitNames,
      categoryName: (language === 'en' ? r.categoryEn : r.categoryZh) ?? '',
      districtName: r.districtName ?? '',
      leadOfficial: r.leadOfficial,
      responsiblePerson: r.responsiblePerson,
      url: `${meta.publicUrl}/pledges/${r.id}`,
      statusLabel: statusLabel(language, display),
    };
    if (!current || currentUnit !== r.leadUnitId) {
      groups.push((current = { unitName: r.leadUnitName, rows: [] }));
      currentUnit = r.leadUnitId;
    }
    current.rows.push(row);
  }
  let corrects: string | null = null;
  if (meta.corrects) {
    const c = meta.corrects;
    const day = noticeDay(c.publishedOn, language);
    corrects = language === 'en' ? `${labels.correctsNotice} ${c.outletName} ${c.noticeNo} (${day}).` : `${labels.correctsNotice}${c.outletName}${c.noticeNo}（${day}）。`;
  }
  return {
    language,
    outletName: meta.outlet.name,
    outletKind: meta.outlet.kind,
    campaignName: meta.campaign.name,
    issuingOffice: meta.campaign.issuingOffice,
    noticeNo: meta.noticeNo,
    edition: meta.edition,
    publishedOn: meta.publishedOn,
    publishedOnLabel: noticeDay(meta.publishedOn, language),
    title: meta.title || defaultTitle(language, meta.campaign.name),
    corrects,
    groups,
    total: rows.length,
    labels,
    publicUrl: meta.publicUrl,
  };
}

/** The pledges of a document in print order. */
export function documentRows(doc: NoticeDocument): NoticeRow[] {
  return doc.groups.flatMap((g) => g.rows);
}

/** A fingerprint of what a preview showed: publishing refuses if the record changed since. */
export function rowsFingerprint(doc: NoticeDocument): string {
  return createHash('sha256').update(JSON.stringify(doc.groups)).digest('hex').slice(0, 32);
}
