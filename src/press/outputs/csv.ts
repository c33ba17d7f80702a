// The notice's rows as CSV for the desk's own tools: UTF-8 with BOM, formula-looking cells
// neutralised — both by src/exports/csv.ts, the one CSV writer of the project.
import type { NoticeDocument } from '../render/types.ts';
import { BOM, csvLine, type Cell } from '../../exports/csv.ts';
import { outputWord } from './words.ts';

export function noticeCsvRows(doc: NoticeDocument): { header: string[]; rows: Cell[][] } {
  const L = doc.labels;
  const w = (k: Parameters<typeof outputWord>[1]) => outputWord(doc.language, k);
  const header = [
    w('position'),
    w('pledgeId'),
    w('unit'),
    w('title'),
    L.tier,
    L.commitment,
    L.standard,
    L.startOn,
    L.deadline,
    L.status,
    L.progress,
    L.completedOn,
    L.coUnits,
    L.category,
    L.district,
    L.leadOfficial,
    L.responsiblePerson,
    w('url'),
  ];
  const join = doc.language === 'en' ? '; ' : '、';
  const rows: Cell[][] = [];
  let n = 0;
  for (const g of doc.groups) {
    for (const r of g.rows) {
      rows.push([
        ++n,
        r.pledgeId,
        r.leadUnitName,
        r.title,
        r.tier === 'major' ? L.tierMajor : L.tierUnit,
        r.commitment,
        r.standard,
        r.startOn,
        r.dueOn,
        r.statusLabel,
        r.progress,
        r.completedOn ?? '',
        r.coUnitNames.join(join),
        r.categoryName,
        r.districtName,
        r.leadOfficial,
        r.responsiblePerson,
        r.url,
      ]);
    }
  }
  return { header, rows };
}

export function renderCsv(doc: NoticeDocument): string {
  const { header, rows } = noticeCsvRows(doc);
  return BOM + csvLine(header) + rows.map(csvLine).join('');
}
