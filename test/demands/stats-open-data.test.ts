// Public demand statistics as open data: GET /api/v1/demands/stats and /demands?format=csv|xlsx
// carry the board's counts (checked against the rows in the database) and nothing private.
import t from 'tap';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build, seed, type Fixtures } from '../helpers.ts';
import { demands } from '../../db/schema.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { demandStatsResponse } from '../../src/demands/stats-api.ts';
import { ADMIN, makeDemand } from './fixtures.ts';

const PRIVATE = ['测哨兵名', '19912345678', 'qxsent@example.net', 'QXHIDDENTEXT', '8单元901室'];

/** Four reports: resolved, declined, merged into the first, still new; two months, three channels. */
async function record(app: FastifyInstance, fx: Fixtures) {
  const priv = { reporterName: '测哨兵名', reporterPhone: '19912345678', reporterContact: 'qxsent@example.net', text: 'QXHIDDENTEXT 水压不足', address: '历下区某路8单元901室' };
  const a = await makeDemand(app, fx, { ...priv, channel: 'web', reportedAt: '2025-03-15T04:00:00.000Z' });
  const b = await makeDemand(app, fx, { ...priv, channel: 'hotline_12345', externalRef: 'T-1', categoryId: null, reportedAt: '2025-04-10T04:00:00.000Z' });
  const c = await makeDemand(app, fx, { ...priv, channel: 'survey', districtUnitId: null, reportedAt: '2025-04-11T04:00:00.000Z' });
  await makeDemand(app, fx, { ...priv, channel: 'web', reportedAt: '2025-04-12T04:00:00.000Z' });
  const repo = createDemandRepository(app.db);
  app.db.update(demands).set({ status: 'resolved' }).where(eq(demands.id, a.id)).run();
  if (!(await repo.decline(ADMIN(fx), [b.id], '不属于本次承诺范围', null)).ok) throw new Error('decline failed');
  if (!(await repo.merge(ADMIN(fx), [c.id], a.id)).ok) throw new Error('merge failed');
}

/** The expected figures, counted in JavaScript from the stored rows. */
function expected(app: FastifyInstance) {
  const rows = app.db.select().from(demands).all();
  const tally = (key: (r: (typeof rows)[number]) => string | null) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      const k = key(r);
      if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const canonical = (r: (typeof rows)[number]) => rows.find((x) => x.id === (r.duplicateOfId ?? r.id))!.status;
  return {
    totals: {
      reports: rows.length,
      claimed: rows.filter((r) => ['claimed', 'resolved'].includes(canonical(r))).length,
      resolved: rows.filter((r) => canonical(r) === 'resolved').length,
      declined: rows.filter((r) => canonical(r) === 'declined').length,
    },
    channel: tally((r) => r.channel),
    status: tally((r) => r.status),
    category: tally((r) => (r.categoryId === null ? null : 'water')),
    district: tally((r) => (r.districtUnitId === null ? null : 'lixia')),
    month: tally((r) => r.reportedAt.slice(0, 7)),
  };
}

const asMap = (rows: { key: string; count: number }[]) => new Map(rows.map((r) => [r.key, r.count]));

async function xlsxRows(buffer: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The API's figures as (dimension, key, count) rows, the shape of the spreadsheet. */
function apiRows(data: any): [string, string, number][] {
  return [
    ...Object.entries(data.totals).map(([k, n]) => ['total', k, n as number] as [string, string, number]),
    ...(['channel', 'status', 'category', 'district', 'month'] as const).flatMap((dim) => {
      const list = data[`by${dim[0].toUpperCase()}${dim.slice(1)}`] as { key: string; count: number }[];
      return list.map((r) => [dim, r.key, r.count] as [string, string, number]);
    }),
  ];
}

t.test('the API answer matches its schema and the counts in the database', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  await record(app, fx);
  const res = await app.inject('/api/v1/demands/stats');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  t.equal(res.headers['access-control-allow-origin'], '*');
  const body = res.json();
  const parsed = demandStatsResponse.safeParse(body);
  t.ok(parsed.success, parsed.success ? 'matches its schema' : parsed.error.message);

  const want = expected(app);
  const d = body.data;
  t.same(d.totals, want.totals);
  t.same(d.totals, { reports: 4, claimed: 2, resolved: 2, declined: 1 }, 'the merged report follows the resolved one');
  t.same(asMap(d.byChannel), want.channel);
  t.same(asMap(d.byStatus), want.status);
  t.same(asMap(d.byStatus), new Map([['resolved', 1], ['declined', 1], ['duplicate', 1], ['new', 1]]));
  t.same(asMap(d.byCategory), want.category);
  t.same(asMap(d.byDistrict), want.district);
  t.same(asMap(d.byMonth), want.month);
  t.same(d.byMonth.map((r: { key: string }) => r.key), ['2025-03', '2025-04'], 'months in order');
  t.same(d.byCategory[0], { key: 'water', nameZh: d.byCategory[0].nameZh, nameEn: d.byCategory[0].nameEn, count: 3 });
  for (const s of PRIVATE) t.notOk(res.body.includes(s), `no ${s} in the API`);

  const again = await app.inject({ url: '/api/v1/demands/stats', headers: { 'if-none-match': res.headers.etag as string } });
  t.equal(again.statusCode, 304, 'conditional requests work');
  t.equal((await app.inject('/api/v1/demands/stats?x=1')).statusCode, 400, 'unknown parameter is a 400');
});

t.test('CSV and XLSX from the board read back equal to the API, with nothing private', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  await record(app, fx);
  const api = apiRows((await app.inject('/api/v1/demands/stats')).json().data);
  t.equal(api.length, 4 + 3 + 4 + 1 + 1 + 2);

  const csv = await app.inject('/demands?format=csv');
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  t.match(csv.headers['content-disposition'], /attachment; filename="demand-stats-\d{4}-\d{2}-\d{2}\.csv"/);
  t.ok(csv.body.startsWith('\uFEFF'), 'UTF-8 with BOM');
  const [header, ...rows]: string[][] = parse(csv.body, { bom: true });
  t.same(header, ['维度', '代码', '名称', '反映人次']);
  t.same(rows.map((r) => [r[0], r[1], Number(r[3])]), api);
  t.same(rows.find((r) => r[0] === 'channel' && r[1] === 'hotline_12345')?.[2], '12345热线', 'labels in the reader’s language');
  t.same(rows.find((r) => r[0] === 'total' && r[1] === 'reports')?.[2], '收集群众诉求（人次）');

  const en: string[][] = parse((await app.inject('/demands?format=csv&lang=en')).body, { bom: true });
  t.same(en[0], ['Dimension', 'Key', 'Label', 'Reports']);
  t.same(en.find((r) => r[0] === 'status' && r[1] === 'duplicate')?.[2], 'Merged');

  const xlsx = await app.inject('/demands?format=xlsx');
  t.equal(xlsx.statusCode, 200);
  t.match(xlsx.headers['content-type'], /spreadsheetml/);
  const [xHeader, ...xRows] = await xlsxRows(xlsx.rawPayload);
  t.same(xHeader, ['维度', '代码', '名称', '反映人次']);
  t.same(xRows.map((r) => [r[0], r[1], r[3]]), api, 'counts are numbers in the workbook');

  const everything = csv.body + en.flat().join('\n') + xRows.flat().join('\n');
  for (const s of PRIVATE) t.notOk(everything.includes(s), `no ${s} in the spreadsheets`);

  t.equal((await app.inject('/demands?format=pdf')).statusCode, 400, 'an unknown format is a 400');
});

t.test('the board links the downloads and the API next to its figures', async (t) => {
  const app = await build(t);
  await seed(app);
  const page = await app.inject('/demands');
  t.equal(page.statusCode, 200);
  t.match(page.body, 'href="/demands?format=csv"');
  t.match(page.body, 'href="/demands?format=xlsx"');
  t.match(page.body, 'href="/api/v1/demands/stats"');
  const empty = (await app.inject('/api/v1/demands/stats')).json().data;
  t.same(empty.totals, { reports: 0, claimed: 0, resolved: 0, declined: 0 });
  t.same(empty.byChannel, []);
});
