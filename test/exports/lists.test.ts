import t from 'tap';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { build, seed, type Fixtures } from '../helpers.ts';
import { makePledge, addDays } from '../public/fixtures.ts';
import { csvCell, neutralise } from '../../src/exports/csv.ts';

const FORMULAS = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR', '=HYPERLINK("http://evil.example","点我")'];

/** Thirty published pledges (more than one page of the list), a few with formula-looking titles, and a draft. */
function record(app: FastifyInstance, fx: Fixtures) {
  const ids: number[] = [];
  for (let i = 0; i < 30; i++) {
    ids.push(makePledge(app, fx, { title: i < FORMULAS.length ? FORMULAS[i] : `事项 ${i}，含“引号”和逗号,`, dueOn: addDays(fx.today, 10 + i), progress: i, categoryId: i % 2 ? fx.categoryId : null }));
  }
  makePledge(app, fx, { title: '草稿不导出', status: 'draft' });
  return ids;
}

async function xlsxRows(buffer: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

t.test('neutralising: formula-looking text gets an apostrophe, numbers and ordinary text do not', async (t) => {
  for (const f of FORMULAS) t.equal(neutralise(f), `'${f}`);
  t.equal(neutralise('普通文字'), '普通文字');
  t.equal(csvCell(-5), '-5', 'a negative number is a value');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"'), '"say ""hi"""');
  t.equal(csvCell('line\nbreak'), '"line\nbreak"');
  t.equal(csvCell(null), '');
});

t.test('the pledge list as CSV: UTF-8 with BOM, CRLF, every matching row (not one page), equal to the API’s rows', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  const res = await app.inject('/pledges?format=csv&sort=progress_desc&utm_source=newsletter');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.match(res.headers['content-disposition'], /attachment; filename="pledges-\d{4}-\d{2}-\d{2}\.csv"/);
  t.ok(res.body.startsWith('\uFEFF'), 'byte order mark');
  t.match(res.body, /\r\n/);
  t.notMatch(res.body.replace(/"[^"]*"/g, ''), /[^\r]\n/, 'every record ends in CRLF');
  const rows: string[][] = parse(res.body, { bom: true });
  const [header, ...data] = rows;
  t.equal(header[0], '编号');
  t.equal(data.length, 30, 'all 30, not the page’s 25');
  t.notOk(res.body.includes('草稿不导出'), 'no draft');

  const api = (await app.inject('/api/v1/pledges?sort=progress_desc&limit=500')).json().data as { id: number; title: string; progress: number; dueOn: string; leadUnit: { name: string } }[];
  t.same(
    data.map((r) => [Number(r[0]), r[1].replace(/^'(?=[=+\-@\t\r])/, ''), Number(r[6]), r[7], r[12]]),
    api.map((p) => [p.id, p.title, p.progress, p.leadUnit.name, p.dueOn]),
    'same rows, same order, same values as the API',
  );
  for (const f of FORMULAS) t.ok(data.some((r) => r[1] === `'${f}`), `${JSON.stringify(f)} neutralised`);
  t.ok(data.some((r) => r[1] === '事项 20，含“引号”和逗号,'), 'commas and quotes survive the quoting');
});

t.test('the CSV keeps the page’s filters', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  const rows: string[][] = parse((await app.inject('/pledges?format=csv&category=water')).body, { bom: true });
  t.equal(rows.length - 1, 15);
  t.ok(rows.slice(1).every((r) => r[9] === '供水供气供暖'));
  const en: string[][] = parse((await app.inject('/pledges?format=csv&category=water&lang=en')).body, { bom: true });
  t.equal(en[0][0], 'No.');
  t.equal(en[1][9], 'Water, gas and heating');
});

t.test('the pledge list as XLSX reads back, with exceljs, equal to the source rows; formula-looking titles stay plain text', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  const res = await app.inject('/pledges?format=xlsx');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'spreadsheetml');
  const [header, ...data] = await xlsxRows(res.rawPayload);
  t.equal(header[0], '编号');
  t.equal(data.length, 30);
  const api = (await app.inject('/api/v1/pledges?limit=500')).json().data as { id: number; title: string; progress: number }[];
  t.same(
    data.map((r) => [r[0], r[1], r[6]]),
    api.map((p) => [p.id, p.title.replace(/\r\n?/g, '\n'), p.progress]),
    'ids and progress are numbers, titles exact (line breaks as Excel writes them)',
  );
  for (const f of FORMULAS) t.ok(data.some((r) => r[1] === f.replace(/\r/g, '\n')), `${JSON.stringify(f)} is a string cell, not a formula`);
});

t.test('the units table downloads as CSV and XLSX with its figures', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'completed', completedOn: fx.today, dueOn: addDays(fx.today, 5), progress: 100 });
  const rows: string[][] = parse((await app.inject('/units?format=csv&sort=pledges')).body, { bom: true });
  t.same(rows[0].slice(0, 5), ['单位', '标识', '类型', '上级单位', '承诺事项']);
  t.same(rows.slice(1).map((r) => [r[1], Number(r[4]), r[9]]), [
    [fx.unitA.slug, 30, ''],
    [fx.unitB.slug, 1, '100'],
  ]);
  const x = await xlsxRows((await app.inject('/units?format=xlsx&sort=pledges')).rawPayload);
  t.same(x.slice(1).map((r) => [r[1], r[4]]), [
    [fx.unitA.slug, 30],
    [fx.unitB.slug, 1],
  ]);
});

t.test('an unknown format is a clear 400, and the list pages offer the downloads with their filters', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  const bad = await app.inject('/pledges?format=pdf');
  t.equal(bad.statusCode, 400);
  t.match(bad.body, 'pdf');
  t.equal((await app.inject('/units?format=exe')).statusCode, 400);
  const page = await app.inject('/pledges?category=water&page=2');
  t.match(page.body, 'href="/pledges?category=water&amp;format=csv"');
  t.match(page.body, 'href="/pledges?category=water&amp;format=xlsx"');
  t.match((await app.inject('/units')).body, 'href="/units?format=xlsx"');
});
