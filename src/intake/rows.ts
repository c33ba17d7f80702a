// Every row of a hotline file, validated with zod after its columns are mapped: what is
// stored, what is refused (with the row number and the reasons), and what is a second
// occurrence of a ticket number earlier in the same file.
import { z } from 'zod';
import type { NewDemand } from '../demands/repository.ts';
import { parseReportedAt } from '../demands/time.ts';
import type { Mapping } from './columns.ts';
import type { Table } from './decode.ts';

export const IMPORT_TEXT_MAX = 4000;

// Control characters (other than tab and newline in the long text) and bidirectional
// overrides, which can make a cell display as something other than what it holds.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_AND_BREAKS = /[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]+/g;

/** One-line text as stored: control characters and line breaks become spaces, runs of space one. */
export function cleanLine(v: string): string {
  return v.replace(CONTROL_AND_BREAKS, ' ').replace(/\s+/g, ' ').trim();
}

/** Multi-line text as stored: line breaks kept (as \n), other control characters dropped. */
export function cleanText(v: string): string {
  return v.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
}

const line = (max: number) => z.string().transform(cleanLine).pipe(z.string().max(max, `intake.row.too_long:${max}`));
const multiline = (max: number) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().min(1, 'intake.row.text_missing').max(max, `intake.row.too_long:${max}`));

export const importRow = z
  .object({
    externalRef: line(64).pipe(z.string().min(1, 'intake.row.ref_missing')),
    reportedAt: line(40).pipe(z.string().min(1, 'intake.row.time_missing')),
    text: multiline(IMPORT_TEXT_MAX),
    district: line(100),
    category: line(100),
    phone: line(40).pipe(z.string().regex(/^[0-9+()（）\-\s转#*xX]*$/, 'intake.row.phone')),
    name: line(50),
    address: line(200),
    contact: line(100),
    source: line(200),
  })
  .strict();

export interface Lookups {
  categories: { id: number; slug: string; nameZh: string; nameEn: string }[];
  districts: { id: number; slug: string; name: string }[];
  campaignId: number | null;
  timeZone: string;
}

export interface RefusedRow {
  row: number;
  reasons: { key: string; params?: Record<string, string | number> }[];
  cells: string[];
}

export interface ValidatedFile {
  valid: NewDemand[];
  refused: RefusedRow[];
}

/** Names without their administrative suffix, so 历下 finds 历下区 and 供水 finds 供水供气供暖. */
function bare(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '').replace(/(区|县|市|旗)$/, '');
}

export function matcher<T>(items: T[], keys: (item: T) => string[]) {
  const exact = new Map<string, T>();
  for (const item of items) for (const k of keys(item)) if (k) exact.set(bare(k), item);
  // A file repeats the same few category and district names thousands of times.
  const seen = new Map<string, T | undefined>();
  return (value: string): T | undefined => {
    if (!value) return undefined;
    if (seen.has(value)) return seen.get(value);
    const b = bare(value);
    let hit = exact.get(b);
    if (!hit) {
      // A hotline category is often a part of ours (供水 ⊂ 供水供气供暖) or the other way round.
      const partial = items.filter((item) => keys(item).some((k) => k && (bare(k).includes(b) || b.includes(bare(k)))));
      hit = partial.length === 1 ? partial[0] : undefined;
    }
    seen.set(value, hit);
    return hit;
  };
}

function reasonOf(message: string, field: string): { key: string; params?: Record<string, string | number> } {
  if (message.startsWith('intake.row.too_long:')) return { key: 'intake.row.too_long', params: { field, max: Number(message.split(':')[1]) } };
  if (message.startsWith('intake.row.')) return { key: message, params: { field } };
  return { key: 'intake.row.invalid', params: { field } };
}

export function validateRows(table: Table, mapping: Mapping, lookups: Lookups): ValidatedFile {
  const findCategory = matcher(lookups.categories, (c) => [c.slug, c.nameZh, c.nameEn]);
  const findDistrict = matcher(lookups.districts, (d) => [d.slug, d.name]);
  const firstRowOf = new Map<string, number>();
  const valid: NewDemand[] = [];
  const refused: RefusedRow[] = [];

  table.rows.forEach((cells, index) => {
    const rowNumber = index + 2;
    const record: Record<string, string> = { externalRef: '', reportedAt: '', text: '', district: '', category: '', phone: '', name: '', address: '', contact: '', source: '' };
    mapping.forEach((field, col) => {
      if (field) record[field] = cells[col] ?? '';
    });
    const reasons: RefusedRow['reasons'] = [];
    if (cells.length < table.headers.length && cells.length > 0 && mapping.slice(cells.length).some(Boolean)) {
      reasons.push({ key: 'intake.row.short', params: { cells: cells.length, headers: table.headers.length } });
    }
    // A ticket seen earlier in the file is refused even if the earlier row was itself refused:
    // which of the two is right is for the office to decide, not for the order of the rows.
    const ref = cleanLine(record.externalRef);
    const earlier = ref ? firstRowOf.get(ref) : undefined;
    if (earlier !== undefined) reasons.push({ key: 'intake.row.ref_repeated', params: { ref: ref.slice(0, 64), row: earlier } });
    else if (ref) firstRowOf.set(ref, rowNumber);
    const parsed = importRow.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) reasons.push(reasonOf(issue.message, String(issue.path[0] ?? '')));
      refused.push({ row: rowNumber, reasons, cells });
      return;
    }
    const r = parsed.data;
    const reportedAt = parseReportedAt(r.reportedAt, lookups.timeZone);
    if (!reportedAt) reasons.push({ key: 'intake.row.time_invalid', params: { value: r.reportedAt.slice(0, 40) } });
    if (reasons.length) {
      refused.push({ row: rowNumber, reasons, cells });
      return;
    }
    valid.push({
      channel: 'hotline_12345',
      source: r.source,
      externalRef: r.externalRef,
      campaignId: lookups.campaignId,
      // An unknown category or district is left for triage to set, not a reason to refuse the report.
      categoryId: findCategory(r.category)?.id ?? null,
      districtUnitId: findDistrict(r.district)?.id ?? null,
      text: r.text,
      address: r.address,
      reportedAt: reportedAt!,
      reporterName: r.name,
      reporterPhone: r.phone,
      reporterContact: r.contact,
    });
  });
  return { valid, refused };
}
