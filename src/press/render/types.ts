// What every press output is rendered from: one notice, already read from the record and
// translated, so renderers never touch the database or a request (and a publication's files can
// be rebuilt from its stored snapshot alone).
import type { OutletKind } from '../../../db/schema.ts';

export interface NoticeRow {
  pledgeId: number;
  title: string;
  commitment: string;
  standard: string;
  tier: 'major' | 'unit';
  /** ISO day. */
  dueOn: string;
  startOn: string;
  /** Stored status; 'overdue' and 'completed late' are in the flags below. */
  status: 'pledged' | 'in_progress' | 'delayed' | 'completed' | 'cancelled';
  overdue: boolean;
  completedLate: boolean;
  completedOn: string | null;
  progress: number;
  leadUnitName: string;
  coUnitNames: string[];
  categoryName: string;
  districtName: string;
  leadOfficial: string;
  responsiblePerson: string;
  /** The pledge's live public page, built from PUBLIC_URL (never a request's Host): the QR target. */
  url: string;
  /** The status label in the notice's language, e.g. 推进中 / In progress / 已完成（逾期） */
  statusLabel: string;
}

export interface NoticeGroup {
  unitName: string;
  rows: NoticeRow[];
}

export interface NoticeDocument {
  language: 'zh-CN' | 'en';
  outletName: string;
  outletKind: OutletKind;
  campaignName: string;
  issuingOffice: string;
  /** e.g. 第3号 / No. 3 as entered by the desk. */
  noticeNo: string;
  edition: string;
  /** ISO day. */
  publishedOn: string;
  /** The day formatted for the notice's language (e.g. 2026年11月26日 / 26 November 2026). */
  publishedOnLabel: string;
  title: string;
  /** When this notice corrects an earlier one: that notice's number and date, ready to print. */
  corrects: string | null;
  /** Pledges grouped by lead unit, in print order. */
  groups: NoticeGroup[];
  total: number;
  /** Every heading and label a renderer prints, in the notice's language (keys in src/press/render/labels.ts). */
  labels: Record<string, string>;
  /** The site's address, for the footer ("follow every pledge at …"). */
  publicUrl: string;
}
