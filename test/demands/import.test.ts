import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { build, seed, login, type Agent } from '../helpers.ts';
import { demands, importBatches } from '../../db/schema.ts';
import type { FastifyInstance } from 'fastify';
import { multipart, HEADER_ZH, csvText, hotlineRows, utf8, utf8Bom, gbk, xlsx } from './upload.ts';

async function upload(app: FastifyInstance, agent: Agent, filename: string, content: Buffer, opts: { csrf?: string | null; header?: boolean } = {}) {
  const fields: [string, string][] = opts.csrf === null ? [] : [['_csrf', opts.csrf ?? agent.csrf]];
  const body = multipart(fields, { filename, content });
  return app.inject({ method: 'POST', url: '/admin/demands/import', headers: { ...body.headers, cookie: agent.cookie, ...(opts.header ? { 'x-csrf-token': agent.csrf } : {}) }, payload: body.payload });
}

function batchIdFrom(location: unknown): number {
  const m = /^\/admin\/demands\/import\/(\d+)$/.exec(String(location));
  if (!m) throw new Error(`not a result page: ${location}`);
  return Number(m[1]);
}

const count = (app: FastifyInstance) => app.db.select().from(demands).all().length;

async function setup(t: Parameters<typeof build>[0]) {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  return { app, f, admin };
}

t.test('UTF-8 with and without BOM and GBK files import alike, Chinese intact', async (t) => {
  const { app, admin, f } = await setup(t);
  for (const [name, content, from] of [
    ['bom.csv', utf8Bom(csvText([HEADER_ZH, ...hotlineRows(3, { from: 1 })])), 1],
    ['plain.csv', utf8(csvText([HEADER_ZH, ...hotlineRows(3, { from: 10 })])), 10],
    ['gbk.csv', gbk(csvText([HEADER_ZH, ...hotlineRows(3, { from: 20 })])), 20],
  ] as const) {
    const res = await upload(app, admin, name, content);
    t.equal(res.statusCode, 303, name);
    const batch = app.db.select().from(importBatches).all().at(-1)!;
    t.equal(batch.storedCount, 3, `${name}: stored`);
    t.equal(batch.encoding, name === 'gbk.csv' ? 'GBK' : name === 'bom.csv' ? 'UTF-8 (BOM)' : 'UTF-8');
    const stored = app.db.select().from(demands).all().find((d) => d.externalRef === `RX2025${String(from).padStart(6, '0')}`)!;
    t.match(stored.text, '小区供水水压不足', `${name}: text decoded`);
    t.equal(stored.districtUnitId, f.districtId, `${name}: district by name`);
    t.equal(stored.categoryId, f.categoryId, `${name}: 供水 is part of 供水供气供暖`);
    t.equal(stored.channel, 'hotline_12345');
    t.equal(stored.reporterName, `市民${from}`);
    t.equal(stored.reportedAt.slice(0, 10), '2025-03-01'.slice(0, 8) + String((from % 28) + 1).padStart(2, '0'));
  }
  const page = await admin.request({ url: '/admin/demands/import/1' });
  t.equal(page.statusCode, 200);
  t.match(page.body, '第 1 批导入结果');
});

t.test('re-importing the same or an overlapping file adds nothing twice', async (t) => {
  const { app, admin } = await setup(t);
  const first = utf8(csvText([HEADER_ZH, ...hotlineRows(5)]));
  t.equal((await upload(app, admin, 'a.csv', first)).statusCode, 303);
  t.equal(count(app), 5);
  const res = await upload(app, admin, 'a.csv', first);
  const again = app.db.select().from(importBatches).all().at(-1)!;
  t.equal(res.statusCode, 303);
  t.equal(again.storedCount, 0);
  t.equal(again.skippedCount, 5);
  t.equal(count(app), 5);
  const overlap = gbk(csvText([HEADER_ZH, ...hotlineRows(5, { from: 3 })]));
  await upload(app, admin, 'b.csv', overlap);
  const third = app.db.select().from(importBatches).all().at(-1)!;
  t.equal(third.storedCount, 2);
  t.equal(third.skippedCount, 3);
  t.equal(count(app), 7);
  const result = await admin.request({ url: `/admin/demands/import/${third.id}` });
  t.match(result.body, '已存在，跳过');
});

t.test('an XLSX export imports, date cells and formula cells included; legacy .xls is refused', async (t) => {
  const { app, admin } = await setup(t);
  const file = await xlsx([
    ['Ticket No.', 'Received at', 'Content', 'District', 'Category', 'Phone', 'Caller', 'Address'],
    ['X-1', new Date(Date.UTC(2025, 2, 5, 14, 23)), '夜间施工噪音扰民', '历下区', 'water', '13700000001', '张三', '经十路1号'],
    ['X-2', '2025/3/6 8:00', { formula: 'HYPERLINK("http://evil.example","点这里")', result: '点这里' }, '历下', '', '', '', ''],
    ['X-3', 45722.25, '=HYPERLINK("http://evil.example")', '', '', '', '', ''],
  ]);
  const res = await upload(app, admin, 'export.xlsx', file);
  t.equal(res.statusCode, 303);
  const rows = app.db.select().from(demands).all();
  t.equal(rows.length, 3);
  const x1 = rows.find((r) => r.externalRef === 'X-1')!;
  t.equal(x1.reportedAt, '2025-03-05T06:23:00.000Z', 'a date cell is a wall-clock time in the campaign zone');
  t.equal(rows.find((r) => r.externalRef === 'X-2')!.text, '点这里', 'a formula cell counts by what it showed');
  t.equal(rows.find((r) => r.externalRef === 'X-3')!.text, '=HYPERLINK("http://evil.example")', 'formula-looking text is stored as text');
  const board = await app.inject({ url: '/demands' });
  t.notMatch(board.body, '<a href="http://evil.example"', 'and shown as text');

  const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
  const refused = await upload(app, admin, 'old.xls', xls);
  t.equal(refused.statusCode, 400);
  t.match(refused.body, '另存为 .xlsx 或 CSV');
  const damaged = await upload(app, admin, 'cut.xlsx', file.subarray(0, Math.floor(file.length / 2)));
  t.equal(damaged.statusCode, 400);
  t.match(damaged.body, '可能已损坏或不完整');
  t.equal(count(app), 3);
});

t.test('broken files get a clear message and change nothing', async (t) => {
  const { app, admin } = await setup(t);
  await upload(app, admin, 'ok.csv', utf8(csvText([HEADER_ZH, ...hotlineRows(2)])));
  const before = count(app);
  const cases: [string, Buffer, string][] = [
    ['empty.csv', Buffer.alloc(0), '文件是空的'],
    ['header.csv', utf8Bom(csvText([HEADER_ZH])), '只有表头'],
    ['truncated.csv', utf8(csvText([HEADER_ZH, ...hotlineRows(2, { from: 5 })]) + 'RX9,2025-03-01 09:00,"截断的内容'), '引号没有闭合'],
    ['binary.csv', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10]), '不是 CSV 或 XLSX'],
  ];
  for (const [name, content, message] of cases) {
    const res = await upload(app, admin, name, content);
    t.equal(res.statusCode, 400, name);
    t.match(res.body, message, name);
  }
  const onlyToken = multipart([['_csrf', admin.csrf]]);
  const noFile = await app.inject({ method: 'POST', url: '/admin/demands/import', headers: { ...onlyToken.headers, cookie: admin.cookie }, payload: onlyToken.payload });
  t.equal(noFile.statusCode, 400);
  t.equal(count(app), before);
  t.equal(app.db.select().from(importBatches).all().length, 1, 'no batch for a file that could not be read');
});

t.test('invalid rows are listed with row number and reason and can be downloaded; the valid ones are stored', async (t) => {
  const { app, admin } = await setup(t);
  const rows = hotlineRows(4);
  rows[1][0] = rows[0][0]; // a ticket repeated inside the file
  rows[2][1] = '昨天下午'; // a time nobody can read
  rows[3][2] = '=cmd|" /C calc"!A0\u0007 控制\u0000字符'; // formula-looking, with control characters
  const bad = [...hotlineRows(1, { from: 50 })[0]];
  bad[5] = 'call me maybe';
  const short = ['RX-SHORT', '2025-03-01 10:00'];
  const res = await upload(app, admin, 'mixed.csv', utf8(csvText([HEADER_ZH, ...rows, bad, short])));
  t.equal(res.statusCode, 303);
  const id = batchIdFrom(res.headers.location);
  const batch = app.db.select().from(importBatches).all()[0];
  t.equal(batch.storedCount, 2);
  t.equal(batch.refusedCount, 4);
  const stored = app.db.select().from(demands).all();
  const formula = stored.find((d) => d.externalRef === rows[3][0])!;
  t.equal(formula.text, '=cmd|" /C calc"!A0 控制字符', 'control characters stripped, the rest kept as text');

  const page = await admin.request({ url: `/admin/demands/import/${id}` });
  t.match(page.body, '与第 2 行重复');
  t.match(page.body, '来电时间“昨天下午”无法识别');
  t.match(page.body, '联系电话只能包含数字');
  t.match(page.body, '本行只有 2 格');
  const csv = await admin.request({ url: `/admin/demands/import/${id}/errors.csv` });
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], 'text/csv');
  t.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'a BOM so Excel reads UTF-8');
  t.match(csv.body, '行号,原因,工单编号');
  t.match(csv.body, /\r\n3,/);
  const en = await admin.request({ url: `/admin/demands/import/${id}/errors.csv?lang=en` });
  t.match(en.body, 'Row,Reason');
  const press = await login(app, 'press');
  t.equal((await press.request({ url: `/admin/demands/import/${id}/errors.csv` })).statusCode, 403);
});

t.test('the error file neutralises formula-looking cells', async (t) => {
  const { app, admin } = await setup(t);
  const row = hotlineRows(1)[0];
  row[1] = '';
  row[2] = '=HYPERLINK("http://evil.example","click")';
  const res = await upload(app, admin, 'f.csv', utf8(csvText([HEADER_ZH, row])));
  const csv = await admin.request({ url: `/admin/demands/import/${batchIdFrom(res.headers.location)}/errors.csv` });
  t.match(csv.body, `"'=HYPERLINK(""http://evil.example"",""click"")"`);
});

t.test('unknown headers go through the mapping screen, bound to the session that uploaded', async (t) => {
  const { app, admin } = await setup(t);
  const header = ['流水号', '受理时间', '具体诉求', '备注'];
  const content = utf8(csvText([header, ['Q-1', '2025-03-01 10:00', '公交站台无遮雨棚', '无'], ['Q-2', '2025-03-02 10:00', '公园厕所脏乱', '']]));
  const res = await upload(app, admin, 'odd.csv', content);
  t.equal(res.statusCode, 200);
  t.match(res.body, '指定各列内容');
  t.match(res.body, '公交站台无遮雨棚', 'sample values help');
  t.match(res.body, /<option value="reportedAt" selected>/, 'known headers are pre-selected');
  const key = /action="\/admin\/demands\/import\/mapping\/([^"]+)"/.exec(res.body)![1];
  t.equal(count(app), 0);

  const missing = await admin.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: '', col_1: 'reportedAt', col_2: 'text', col_3: '' } });
  t.equal(missing.statusCode, 400);
  t.match(missing.body, '工单编号');
  const twice = await admin.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: 'externalRef', col_1: 'reportedAt', col_2: 'text', col_3: 'text' } });
  t.equal(twice.statusCode, 400);
  t.equal((await admin.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: 'password' } })).statusCode, 400);

  const other = await login(app, 'admin');
  const stolen = await other.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: 'externalRef', col_1: 'reportedAt', col_2: 'text', col_3: '' } });
  t.equal(stolen.statusCode, 404, 'another session cannot use the file');

  const ok = await admin.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: 'externalRef', col_1: 'reportedAt', col_2: 'text', col_3: '' } });
  t.equal(ok.statusCode, 303);
  t.equal(count(app), 2);
  const reuse = await admin.request({ method: 'POST', url: `/admin/demands/import/mapping/${key}`, form: { col_0: 'externalRef', col_1: 'reportedAt', col_2: 'text', col_3: '' } });
  t.equal(reuse.statusCode, 404, 'used once');
});

t.test('an upload without the session token is refused before the file is read; the header works too', async (t) => {
  const { app, admin } = await setup(t);
  const content = utf8(csvText([HEADER_ZH, ...hotlineRows(1)]));
  t.equal((await upload(app, admin, 'a.csv', content, { csrf: null })).statusCode, 403);
  t.equal((await upload(app, admin, 'a.csv', content, { csrf: 'wrong' })).statusCode, 403);
  t.equal(count(app), 0);
  t.equal((await upload(app, admin, 'a.csv', content, { csrf: null, header: true })).statusCode, 303);
  const editor = await login(app, 'editor-a');
  t.equal((await upload(app, editor, 'a.csv', content)).statusCode, 403);
  const page = await admin.request({ url: '/admin/demands/import' });
  t.match(page.body, '不超过 20 MB', 'the size limit is stated on the form');
  t.ok(page.body.indexOf('name="_csrf"') < page.body.indexOf('type="file"'), 'the token comes before the file');
});

t.test('a 50 MB upload is refused with a clear message and nothing is stored', async (t) => {
  const { app, admin } = await setup(t);
  const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
  const res = await upload(app, admin, 'huge.csv', big);
  t.equal(res.statusCode, 413);
  t.match(res.body, '超过 20 MB 的上限');
  t.equal(count(app), 0);
});

t.test('20,000 rows import in one request', async (t) => {
  const { app, admin } = await setup(t);
  const content = utf8(csvText([HEADER_ZH, ...hotlineRows(20_000)]));
  const res = await upload(app, admin, 'big.csv', content);
  t.equal(res.statusCode, 303);
  const batch = app.db.select().from(importBatches).all()[0];
  t.equal(batch.storedCount, 20_000);
  t.equal(batch.refusedCount, 0);
  t.equal(count(app), 20_000);
  const search = await admin.request({ url: '/admin/demands?q=水压' });
  t.match(search.body, '共 20,000 条');
});

t.test('the sample hotline exports under data/samples import into the demo as the README says', async (t) => {
  const app = await build(t, { DEMO_DATA: '1', DEMO_PASSWORD: 'demo-password-1234' });
  const admin = await login(app, 'admin', 'demo-password-1234');
  const dir = path.resolve(import.meta.dirname, '../../data/samples');
  const first = await upload(app, admin, 'hotline-2025-03-gbk.csv', fs.readFileSync(path.join(dir, 'hotline-2025-03-gbk.csv')));
  t.equal(first.statusCode, 303);
  const gbkBatch = app.db.select().from(importBatches).all().at(-1)!;
  t.match(gbkBatch, { encoding: 'GBK', totalRows: 200, storedCount: 197, skippedCount: 0, refusedCount: 3 });
  const gaps = await admin.request({ url: `/admin/demands/import/${gbkBatch.id}` });
  t.notMatch(gaps.body, '未能识别', 'every category and district in the samples is recognised');
  const second = await upload(app, admin, 'hotline-2025-03-utf8.csv', fs.readFileSync(path.join(dir, 'hotline-2025-03-utf8.csv')));
  t.equal(second.statusCode, 303);
  t.match(app.db.select().from(importBatches).all().at(-1)!, { encoding: 'UTF-8 (BOM)', totalRows: 150, storedCount: 100, skippedCount: 50, refusedCount: 0 });
});
