// The open-data bundle: every public table as CSV and as JSON, with a README of the columns in
// both languages, in one ZIP. Tables are declared once below (name, how to read it, columns);
// adding a table to the bundle is adding one declaration. Values in JSON are exact; CSV text
// cells that look like formulas are neutralised (see csv.ts).
import { Zip, ZipDeflate } from 'fflate';
import { dictionaries } from '../i18n/index.ts';
import { isCompletedLate, isOverdue, todayIn } from '../pledges/status.ts';
import type { ExportRepository, Chunk } from './repository.ts';
import { BOM, csvLine, type Cell } from './csv.ts';

/** Rows read per query while building the bundle. */
export const BUNDLE_CHUNK = 2000;

export interface BundleContext {
  publicUrl: string;
  now: Date;
}

interface BundleColumn<R> {
  name: string;
  value(row: R, ctx: BundleContext): Cell;
}

export interface BundleTable<R = any> {
  name: string;
  read(repo: ExportRepository, chunk: Chunk): Promise<R[]>;
  columns: BundleColumn<R>[];
}

function table<R>(t: BundleTable<R>): BundleTable<R> {
  return t;
}

/** A column straight from the row: the row key in camelCase, the column in snake_case. */
function col<R>(key: keyof R & string): BundleColumn<R> {
  return { name: key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value: (row) => row[key] as Cell };
}

type TableReader = Exclude<keyof ExportRepository, 'pledgeExtras' | 'campaignsWithPledges'>;
type Rows<K extends TableReader> = Awaited<ReturnType<ExportRepository[K]>>[number];

export const BUNDLE_TABLES: BundleTable[] = [
  table<Rows<'campaigns'>>({
    name: 'campaigns',
    read: (repo, chunk) => repo.campaigns(chunk),
    columns: [col('id'), col('slug'), col('name'), col('description'), col('issuingOffice'), col('startsOn'), col('endsOn'), col('timeZone')],
  }),
  table<Rows<'units'>>({
    name: 'units',
    read: (repo, chunk) => repo.units(chunk),
    columns: [
      col('id'),
      col('slug'),
      col('name'),
      col('kind'),
      col('parentId'),
      col('isServiceWindow'),
      col('contactPhone'),
      col('contactAddress'),
      col('contactEmail'),
      col('active'),
      { name: 'url', value: (u, ctx) => `${ctx.publicUrl}/units/${u.slug}` },
    ],
  }),
  table<Rows<'categories'>>({
    name: 'categories',
    read: (repo, chunk) => repo.categories(chunk),
    columns: [col('id'), col('slug'), col('nameZh'), col('nameEn'), col('sortOrder')],
  }),
  table<Rows<'pledges'>>({
    name: 'pledges',
    read: (repo, chunk) => repo.pledges(chunk),
    columns: [
      col('id'),
      col('campaignId'),
      col('leadUnitId'),
      col('tier'),
      col('title'),
      col('commitment'),
      col('standard'),
      col('leadOfficial'),
      col('responsiblePerson'),
      col('categorySlug'),
      col('districtUnitId'),
      col('startOn'),
      col('dueOn'),
      col('status'),
      col('statusReason'),
      { name: 'overdue', value: (p, ctx) => isOverdue(p, todayIn(p.timeZone, ctx.now)) },
      { name: 'completed_late', value: (p) => isCompletedLate(p) },
      col('progress'),
      col('completedOn'),
      col('parentId'),
      col('publishedAt'),
      col('updatedAt'),
      { name: 'url', value: (p, ctx) => `${ctx.publicUrl}/pledges/${p.id}` },
    ],
  }),
  table<Rows<'coUnits'>>({
    name: 'pledge_co_units',
    read: (repo, chunk) => repo.coUnits(chunk),
    columns: [col('pledgeId'), col('unitId')],
  }),
  table<Rows<'progressUpdates'>>({
    name: 'progress_updates',
    read: (repo, chunk) => repo.progressUpdates(chunk),
    columns: [col('id'), col('pledgeId'), col('unitId'), col('happenedOn'), col('body'), col('progress'), col('status'), col('reason'), col('createdAt')],
  }),
  table<Rows<'deadlineChanges'>>({
    name: 'deadline_changes',
    read: (repo, chunk) => repo.deadlineChanges(chunk),
    columns: [col('id'), col('pledgeId'), col('oldDueOn'), col('newDueOn'), col('reason'), col('createdAt')],
  }),
  table<Rows<'amendments'>>({
    name: 'pledge_amendments',
    read: (repo, chunk) => repo.amendments(chunk),
    columns: [col('id'), col('pledgeId'), col('field'), col('oldValue'), col('newValue'), col('reason'), col('createdAt')],
  }),
  table<Rows<'notices'>>({
    name: 'notices',
    read: (repo, chunk) => repo.notices(chunk),
    columns: [
      col('id'),
      col('campaignId'),
      col('outlet'),
      col('kind'),
      col('noticeNo'),
      col('edition'),
      col('publishedOn'),
      col('title'),
      col('language'),
      col('rowCount'),
      col('correctsId'),
      col('chainHead'),
      col('pledgeIds'),
      { name: 'url', value: (n, ctx) => `${ctx.publicUrl}/notices/${n.id}` },
    ],
  }),
];

/** Every row of a table, chunk by chunk, giving the event loop a turn between chunks. */
async function* chunksOf(repo: ExportRepository, t: BundleTable, campaignId: number | undefined): AsyncIterable<unknown[]> {
  for (let offset = 0; ; offset += BUNDLE_CHUNK) {
    const rows = await t.read(repo, { campaignId, limit: BUNDLE_CHUNK, offset });
    if (rows.length) yield rows;
    if (rows.length < BUNDLE_CHUNK) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function* csvOf(repo: ExportRepository, t: BundleTable, campaignId: number | undefined, ctx: BundleContext) {
  yield BOM + csvLine(t.columns.map((c) => c.name));
  for await (const rows of chunksOf(repo, t, campaignId)) yield rows.map((row) => csvLine(t.columns.map((c) => c.value(row, ctx)))).join('');
}

async function* jsonOf(repo: ExportRepository, t: BundleTable, campaignId: number | undefined, ctx: BundleContext) {
  yield '[';
  let first = true;
  for await (const rows of chunksOf(repo, t, campaignId)) {
    const objects = rows.map((row) => JSON.stringify(Object.fromEntries(t.columns.map((c) => [c.name, c.value(row, ctx) ?? null]))));
    yield (first ? '\n' : ',\n') + objects.join(',\n');
    first = false;
  }
  yield '\n]\n';
}

/** README.md: what the bundle is and every column of every table, in Chinese and English. */
export function bundleReadme(ctx: BundleContext & { campaignName?: string }): string {
  const zh = dictionaries['zh-CN'];
  const en = dictionaries.en;
  const lines = [
    `# ${zh['exports.readme.title']} / ${en['exports.readme.title']}`,
    '',
    `${zh['exports.readme.generated']}: ${ctx.now.toISOString()} · ${ctx.publicUrl}`,
    ...(ctx.campaignName ? ['', `${zh['exports.readme.campaign']} / ${en['exports.readme.campaign']}: ${ctx.campaignName}`] : []),
    '',
    zh['exports.readme.about'],
    '',
    en['exports.readme.about'],
    '',
  ];
  for (const t of BUNDLE_TABLES) {
    lines.push(`## ${t.name}.csv · ${t.name}.json`, '', `${zh[`exports.bundle.${t.name}`]} / ${en[`exports.bundle.${t.name}`]}`, '', '| column | 说明 | description |', '| --- | --- | --- |');
    for (const c of t.columns) {
      const key = `exports.bundle.${t.name}.${c.name}`;
      lines.push(`| ${c.name} | ${zh[key] ?? ''} | ${en[key] ?? ''} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function addFile(zip: Zip, name: string, mtime: Date): ZipDeflate {
  const file = new ZipDeflate(name, { level: 6 });
  file.mtime = mtime;
  zip.add(file);
  return file;
}

/** Builds the whole bundle (all campaigns, or one) as a ZIP in memory. */
export async function buildBundle(repo: ExportRepository, opts: BundleContext & { campaignId?: number; campaignName?: string }): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let failed: Error | null = null;
  const done = new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, data, final) => {
      if (error) return reject((failed = error));
      chunks.push(data);
      if (final) resolve();
    });
    (async () => {
      const write = async (name: string, parts: AsyncIterable<string> | string[]) => {
        const file = addFile(zip, name, opts.now);
        for await (const part of parts) {
          if (failed) throw failed;
          file.push(Buffer.from(part, 'utf8'));
        }
        file.push(new Uint8Array(0), true);
      };
      await write('README.md', [bundleReadme(opts)]);
      for (const t of BUNDLE_TABLES) {
        await write(`${t.name}.csv`, csvOf(repo, t, opts.campaignId, opts));
        await write(`${t.name}.json`, jsonOf(repo, t, opts.campaignId, opts));
      }
      zip.end();
    })().catch(reject);
  });
  await done;
  return Buffer.concat(chunks);
}
