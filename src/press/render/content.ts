// What a notice says, decided once for every output format: the heading lines and, for each
// pledge, its labelled fields in print order. Renderers only decide how it looks.
import { label, type NoticeLabelKey } from './labels.ts';
import type { NoticeDocument, NoticeRow } from './types.ts';
import { noticeDay } from '../outputs/dates.ts';

export type L = (key: NoticeLabelKey, vars?: Record<string, string | number>) => string;

export function labeller(doc: NoticeDocument): L {
  return (key, vars) => label(doc.labels, doc.language, key, vars);
}

/** An ISO day for print (shared with the crawl and radio script, so every output writes it alike). */
export function formatDay(iso: string | null | undefined, language: NoticeDocument['language']): string {
  return iso ? noticeDay(iso, language) : '';
}

/** Joins a list the way each language does: 市财政局、市住建局 / Finance Bureau, Housing Bureau. */
export function joinList(items: string[], language: NoticeDocument['language']): string {
  return items.join(language === 'zh-CN' ? '、' : ', ');
}

/** The label–value separator: full-width colon in Chinese. */
export function colon(language: NoticeDocument['language']): string {
  return language === 'zh-CN' ? '：' : ': ';
}

export interface Field {
  key: NoticeLabelKey;
  label: string;
  value: string;
}

export function responsibleText(row: NoticeRow, doc: NoticeDocument, l: L): string {
  const lead = row.leadUnitName;
  if (!row.coUnitNames.length) return lead;
  const sep = doc.language === 'zh-CN' ? '；' : '; ';
  return `${lead}${sep}${l('coUnits')}${colon(doc.language)}${joinList(row.coUnitNames, doc.language)}`;
}

export function statusText(row: NoticeRow, doc: NoticeDocument, l: L): string {
  const sep = doc.language === 'zh-CN' ? '，' : ', ';
  const parts = [row.statusLabel];
  if (row.status !== 'completed' && row.status !== 'cancelled') parts.push(`${l('progress')} ${Math.round(row.progress)}%`);
  if (row.completedOn) parts.push(`${l('completedOn')} ${formatDay(row.completedOn, doc.language)}`);
  return parts.join(sep);
}

/** The labelled fields of one pledge, in print order (empty ones left out). */
export function rowFields(row: NoticeRow, doc: NoticeDocument, l: L): Field[] {
  const fields: Field[] = [
    { key: 'commitment', label: l('commitment'), value: row.commitment },
    { key: 'standard', label: l('standard'), value: row.standard },
    { key: 'deadline', label: l('deadline'), value: formatDay(row.dueOn, doc.language) },
    { key: 'responsibleUnit', label: l('responsibleUnit'), value: responsibleText(row, doc, l) },
    { key: 'status', label: l('status'), value: statusText(row, doc, l) },
  ];
  return fields.filter((f) => f.value.trim() !== '');
}

/** The line under the title: issuing office · date · notice no. · edition · outlet. */
export function metaParts(doc: NoticeDocument, l: L): Field[] {
  const parts: Field[] = [
    { key: 'issuingOffice', label: l('issuingOffice'), value: doc.issuingOffice },
    { key: 'date', label: l('date'), value: doc.publishedOnLabel || formatDay(doc.publishedOn, doc.language) },
    { key: 'noticeNo', label: l('noticeNo'), value: doc.noticeNo },
    { key: 'edition', label: l('edition'), value: doc.edition },
    { key: 'outlet', label: l('outlet'), value: doc.outletName },
  ];
  return parts.filter((p) => p.value && p.value.trim() !== '');
}

export function metaLine(doc: NoticeDocument, l: L): string {
  const c = colon(doc.language);
  return metaParts(doc, l).map((p) => `${p.label}${c}${p.value}`).join('　');
}

export function correctsLine(doc: NoticeDocument, l: L): string | null {
  if (!doc.corrects) return null;
  return `${l('correctsNotice')}${colon(doc.language)}${doc.corrects}`;
}

/** "共1529项承诺 · 42个单位" */
export function summaryLine(doc: NoticeDocument, l: L): string {
  return `${l('pledgeCount', { n: doc.total })} · ${l('unitCount', { n: doc.groups.length })}`;
}

/** The main title: the campaign's name and the notice's own title, without repeating one in the other. */
export function headline(doc: NoticeDocument, l: L): { kicker: string; title: string } {
  const title = doc.title?.trim() || l('noticeTitle');
  const kicker = doc.campaignName && !title.includes(doc.campaignName) ? doc.campaignName : '';
  return { kicker, title };
}

export function footerLine(doc: NoticeDocument, l: L): string {
  return `${l('followAll')} ${doc.publicUrl}`;
}

/** Sequential item numbers across groups (1-based), the same in every output. */
export function* numberedRows(doc: NoticeDocument): Generator<{ group: number; row: NoticeRow; n: number }> {
  let n = 0;
  for (let g = 0; g < doc.groups.length; g++) {
    for (const row of doc.groups[g]!.rows) yield { group: g, row, n: ++n };
  }
}
