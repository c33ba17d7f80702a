import t from 'tap';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { zipSync } from 'fflate';
import { eq } from 'drizzle-orm';
import { build, seed, login, type Agent, type Fixtures } from '../helpers.ts';
import { makeDraft, makePublished, pledgeRow, addDays } from '../manage/fixtures.ts';
import { auditLog, progressUpdates } from '../../db/schema.ts';
import { createProgressRepository } from '../../src/progress/repository.ts';

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

/** A multipart/form-data body, parts in the order given. */
function multipart(parts: Part[]) {
  const boundary = '----pledgeboard' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in p) chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`));
      chunks.push(p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(agent: Agent, content: Buffer, filename = 'progress.xlsx', extra: { csrf?: string | null; fileFirst?: boolean; headers?: Record<string, string> } = {}) {
  const token: Part[] = extra.csrf === null ? [] : [{ name: '_csrf', value: extra.csrf ?? agent.csrf }];
  const file: Part = { name: 'file', filename, content };
  const body = multipart(extra.fileFirst ? [file, ...token] : [...token, file]);
  return agent.request({ method: 'POST', url: '/manage/bulk/preview', payload: body.payload, headers: { ...body.headers, ...(extra.headers ?? {}) } });
}

async function download(agent: Agent, format: 'xlsx' | 'csv' = 'xlsx', query = '') {
  const res = await agent.request({ url: `/manage/bulk/pledges.${format}${query}` });
  return res;
}

async function readXlsx(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** Fills in the downloaded sheet: for each pledge id, the cells to write (by heading). */
async function fillIn(buffer: Buffer, changes: Record<number, Record<string, string | number>>): Promise<Buffer> {
  const wb = await readXlsx(buffer);
  const ws = wb.worksheets[0];
  const headings = (ws.getRow(1).values as string[]).slice(1);
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const change = changes[Number(row.getCell(1).value)];
    if (!change) return;
    for (const [heading, value] of Object.entries(change)) row.getCell(headings.indexOf(heading) + 1).value = value;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function previewOf(agent: Agent, res: { statusCode: number; headers: Record<string, unknown> }) {
  if (res.statusCode !== 303) throw new Error(`upload answered ${res.statusCode}`);
  const location = String(res.headers.location);
  return { location, page: await agent.request({ url: location }) };
}

async function setup(t: Parameters<typeof build>[0]) {
  const app = await build(t);
  const fx = await seed(app);
  const a1 = await makePublished(app, fx, { title: '一号事项' });
  const a2 = await makePublished(app, fx, { title: '二号事项' });
  const a3 = await makePublished(app, fx, { title: '三号事项' });
  const draft = await makeDraft(app, fx, { title: '草稿事项' });
  const b1 = await makePublished(app, fx, { title: '交警的事项', leadUnitId: fx.unitB.id });
  const editor = await login(app, 'editor-a');
  return { app, fx, a1: a1.id, a2: a2.id, a3: a3.id, draft: draft.id, b1: b1.id, editor };
}

function updatesOf(app: FastifyInstance, pledgeId: number) {
  return app.db.select().from(progressUpdates).where(eq(progressUpdates.pledgeId, pledgeId)).all();
}

function auditOf(app: FastifyInstance, pledgeId: number) {
  return app.db.select().from(auditLog).where(eq(auditLog.entityId, String(pledgeId))).all().filter((a) => a.entity === 'pledge' && a.action === 'progress.post');
}

t.test('an editor downloads their unit’s published pledges (no drafts, no other unit’s) with id and version', async (t) => {
  const { app, a1, a2, a3, draft, b1, editor } = await setup(t);
  const x = await download(editor);
  t.equal(x.statusCode, 200);
  t.match(x.headers['content-disposition'], /attachment; filename="progress-water-bureau-\d{4}-\d{2}-\d{2}\.xlsx"/);
  const ws = (await readXlsx(x.rawPayload)).worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  t.same(rows[0], ['编号', '版本', '事项（仅供参考）', '牵头单位（仅供参考）', '完成时限（仅供参考）', '状态', '进度（%）', '进展日期', '进展情况', '滞后或撤销原因']);
  t.same(rows.slice(1).map((r) => r[0]).sort(), [a1, a2, a3].sort());
  t.notOk(rows.some((r) => r[0] === draft || r[0] === b1));
  const p = pledgeRow(app, a1);
  t.equal(rows.find((r) => r[0] === a1)![1], p.version, 'version is the pledge’s revision (no updates yet)');
  t.equal(rows.find((r) => r[0] === a1)![5], '已承诺');
  const c = await download(editor, 'csv');
  const csv: string[][] = parse(c.body, { bom: true });
  t.ok(c.body.startsWith('\uFEFF'));
  t.equal(csv.length, 4);
  t.equal((await editor.request({ url: '/manage/bulk/pledges.pdf' })).statusCode, 404);
});

t.test('upload, preview row by row, apply: every change lands in the timeline and the audit log as a typed update would', async (t) => {
  const { app, fx, a1, a2, a3, editor } = await setup(t);
  // One update typed by hand, for comparison.
  await createProgressRepository(app.db).post({ userId: fx.users.editorA, username: 'editor-a' }, { pledgeId: a3, unitId: fx.unitA.id, happenedOn: fx.today, body: '手工填写', progress: 30, reason: '' });
  const sheet = await fillIn((await download(editor)).rawPayload, {
    [a1]: { '进度（%）': 40, 进展情况: '完成第一批', 进展日期: addDays(fx.today, -1) },
    [a2]: { 状态: '滞后', 进展情况: '材料未到', 滞后或撤销原因: '供货延误' },
  });
  const { location, page } = await previewOf(editor, await upload(editor, sheet));
  t.equal(page.statusCode, 200);
  t.match(page.body, '确认更新这 2 个事项');
  t.match(page.body, '无变化，跳过', 'the untouched row is skipped');
  t.match(page.body, '<strong>40%</strong>');
  t.match(page.body, '<strong>滞后</strong>');
  t.equal(updatesOf(app, a1).length, 0, 'nothing applied by the preview');

  const applied = await editor.request({ method: 'POST', url: `${location}/apply`, form: {} });
  t.equal(applied.statusCode, 303);
  t.equal(applied.headers.location, '/manage/bulk?applied=2');
  t.match((await editor.request({ url: applied.headers.location as string })).body, '已更新 2 个事项的进展');

  const p1 = pledgeRow(app, a1);
  t.same([p1.progress, p1.status], [40, 'pledged']);
  const p2 = pledgeRow(app, a2);
  t.same([p2.status, p2.statusReason], ['delayed', '供货延误']);
  const [u1] = updatesOf(app, a1);
  t.same([u1.body, u1.progress, u1.status, u1.unitId, u1.authorId, u1.happenedOn], ['完成第一批', 40, null, fx.unitA.id, fx.users.editorA, addDays(fx.today, -1)]);
  const [u2] = updatesOf(app, a2);
  t.same([u2.status, u2.reason, u2.progress], ['delayed', '供货延误', null]);

  const typed = auditOf(app, a3)[0];
  const bulk = auditOf(app, a1)[0];
  t.ok(bulk, 'an audit entry per pledge');
  t.same(Object.keys(JSON.parse(bulk.after!)).sort(), Object.keys(JSON.parse(typed.after!)).sort(), 'the same record a typed update leaves');
  t.same(Object.keys(JSON.parse(bulk.before!)).sort(), Object.keys(JSON.parse(typed.before!)).sort());
  t.equal(bulk.username, 'editor-a');
  const summary = app.db.select().from(auditLog).where(eq(auditLog.action, 'bulk.apply')).all();
  t.equal(summary.length, 1);
  t.same(JSON.parse(summary[0].after!).pledges.sort(), [a1, a2].sort());
  const publicPage = await app.inject(`/pledges/${a1}`);
  t.match(publicPage.body, '完成第一批', 'on the public timeline');

  const reused = await editor.request({ method: 'POST', url: `${location}/apply`, form: {} });
  t.equal(reused.statusCode, 404, 'a preview applies once');
  t.equal(updatesOf(app, a1).length, 1);
});

t.test('rows of another unit are refused, and while any row has a problem nothing is applied', async (t) => {
  const { app, fx, a1, b1, draft, editor } = await setup(t);
  const foreignDraft = await makeDraft(app, fx, { title: '交警的草稿', leadUnitId: fx.unitB.id });
  const good = await fillIn((await download(editor)).rawPayload, { [a1]: { '进度（%）': 50, 进展情况: '好的一行' } });
  const wb = await readXlsx(good);
  const ws = wb.worksheets[0];
  ws.addRow([b1, 1, '交警的事项', '', '', '推进中', 90, '', '想改别人的事项', '']);
  ws.addRow([draft, 1, '', '', '', '推进中', 10, '', '草稿', '']);
  ws.addRow([999999, 1, '', '', '', '推进中', 10, '', '不存在', '']);
  ws.addRow([foreignDraft.id, 1, '', '', '', '推进中', 10, '', '别人的草稿', '']);
  const { location, page } = await previewOf(editor, await upload(editor, Buffer.from(await wb.xlsx.writeBuffer())));
  t.match(page.body, '这不是本单位牵头的事项');
  t.match(page.body, '这个事项还是草稿');
  t.notMatch(page.body, '交警的草稿', 'another unit’s draft: not even its title is shown');
  t.match(page.body, '没有编号为 999999 的事项');
  t.match(page.body, '有 4 行存在问题');
  t.notMatch(page.body, `action="${location}/apply"`, 'no apply button');
  const forced = await editor.request({ method: 'POST', url: `${location}/apply`, form: {} });
  t.equal(forced.statusCode, 400);
  t.equal(updatesOf(app, a1).length, 0, 'the good row was not applied either');
  t.equal(updatesOf(app, b1).length, 0);
});

t.test('a row downloaded before someone else changed the pledge is refused as stale', async (t) => {
  const { app, fx, a1, a2, editor } = await setup(t);
  const downloaded = (await download(editor)).rawPayload;
  await createProgressRepository(app.db).post({ userId: fx.users.admin, username: 'admin' }, { pledgeId: a1, unitId: fx.unitA.id, happenedOn: fx.today, body: '办公室同时更新', reason: '' });
  const sheet = await fillIn(downloaded, { [a1]: { '进度（%）': 70, 进展情况: '过时的表格' }, [a2]: { '进度（%）': 10, 进展情况: '正常' } });
  const { page } = await previewOf(editor, await upload(editor, sheet));
  t.match(page.body, '下载后这个事项已被修改或更新');
  t.equal(pledgeRow(app, a1).progress, 0);
});

t.test('a pledge changed between preview and apply: nothing is applied', async (t) => {
  const { app, fx, a1, a2, editor } = await setup(t);
  const sheet = await fillIn((await download(editor)).rawPayload, { [a1]: { '进度（%）': 70, 进展情况: '甲' }, [a2]: { '进度（%）': 20, 进展情况: '乙' } });
  const { location } = await previewOf(editor, await upload(editor, sheet));
  await createProgressRepository(app.db).post({ userId: fx.users.admin, username: 'admin' }, { pledgeId: a2, unitId: fx.unitA.id, happenedOn: fx.today, body: '抢先一步', reason: '' });
  const res = await editor.request({ method: 'POST', url: `${location}/apply`, form: {} });
  t.equal(res.statusCode, 409);
  t.match(res.body, '在预览后已被他人修改或更新，未做任何更新');
  t.equal(updatesOf(app, a1).length, 0, 'the first row was rolled back with the second');
  t.equal(pledgeRow(app, a1).progress, 0);
});

t.test('each row obeys the typed form’s rules, with its reason in the preview', async (t) => {
  const { app, fx, a1, a2, a3, editor } = await setup(t);
  const extra = await makePublished(app, fx, { title: '四号事项' });
  const done = await makePublished(app, fx, { title: '五号事项' });
  await createProgressRepository(app.db).post({ userId: fx.users.admin, username: 'admin' }, { pledgeId: done.id, unitId: fx.unitA.id, happenedOn: fx.today, body: '完成', status: 'completed', reason: '验收完毕' });
  const sheet = await fillIn((await download(editor)).rawPayload, {
    [a1]: { 状态: '已撤销', 进展情况: '不做了' },
    [a2]: { 状态: '完工啦', 进展情况: 'x' },
    [a3]: { '进度（%）': 150, 进展情况: 'x' },
    [extra.id]: { '进度（%）': 10, 进展情况: '明天的事', 进展日期: addDays(fx.today, 2) },
    [done.id]: { '进度（%）': 80, 进展情况: '退回' },
  });
  const { page } = await previewOf(editor, await upload(editor, sheet));
  const body = page.body;
  t.match(body, '滞后或撤销原因：', 'a cancellation needs its reason');
  t.match(body, '状态“完工啦”不是可选的状态');
  t.match(body, '进度（%）：', 'progress out of range');
  t.match(body, '进展日期：', 'no future dates');
  t.match(body, '有 5 行存在问题');
  const missing = await fillIn((await download(editor)).rawPayload, { [a1]: { '进度（%）': 55 } });
  const second = await previewOf(editor, await upload(editor, missing));
  t.match(second.page.body, '进展情况：', 'a change needs its text');
  const twice = await readXlsx((await download(editor)).rawPayload);
  const firstRow = (twice.worksheets[0].getRow(2).values as unknown[]).slice(1);
  twice.worksheets[0].addRow(firstRow);
  const dup = await previewOf(editor, await upload(editor, Buffer.from(await twice.xlsx.writeBuffer())));
  t.match(dup.page.body, '这个事项在第 2 行已经出现过');
});

t.test('a sheet with extra or missing columns, no rows, or not a spreadsheet at all is refused as a whole', async (t) => {
  const { editor } = await setup(t);
  const original = (await download(editor, 'csv')).body;
  const withExtra = original.replace('滞后或撤销原因', '滞后或撤销原因,备注');
  const res1 = await upload(editor, Buffer.from(withExtra), 'progress.csv');
  t.equal(res1.statusCode, 400);
  t.match(res1.body, '表格中有不认识的列：备注');
  const withoutVersion = original
    .split('\r\n')
    .map((line) => line.split(',').filter((_, i) => i !== 1).join(','))
    .join('\r\n');
  const res2 = await upload(editor, Buffer.from(withoutVersion), 'progress.csv');
  t.equal(res2.statusCode, 400);
  t.match(res2.body, '表格缺少必需的列：版本 / Version');
  const res3 = await upload(editor, Buffer.from(original.split('\r\n')[0] + '\r\n'), 'progress.csv');
  t.match(res3.body, '表格中没有数据行');
  const res4 = await upload(editor, Buffer.from('PK\u0003\u0004 not really a zip'), 'progress.xlsx');
  t.equal(res4.statusCode, 400);
  t.match(res4.body, '无法读取这个 Excel 文件');
  const res5 = await upload(editor, Buffer.alloc(0), 'empty.csv');
  t.match(res5.body, '请选择要上传的表格文件');
});

t.test('an oversized upload, or an XLSX that would unpack to far more than a sheet, is refused unread', async (t) => {
  const { editor } = await setup(t);
  const big = await upload(editor, Buffer.alloc(6 * 1024 * 1024, 0x41), 'big.csv');
  t.equal(big.statusCode, 413);
  const bomb = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(60 * 1024 * 1024) }));
  t.ok(bomb.length < 1024 * 1024, 'small on the wire');
  const res = await upload(editor, bomb, 'bomb.xlsx');
  t.equal(res.statusCode, 400);
  t.match(res.body, '无法读取这个 Excel 文件');
});

t.test('a CSV saved by Excel in GBK is read; a blank date means today; English headings work too', async (t) => {
  const { app, fx, a1, editor } = await setup(t);
  const revision = pledgeRow(app, a1).version;
  const header = Buffer.from('id,version,status,progress,happened_on,body,reason\r\n');
  // "完成第二批" and "推进中" in GBK, as Excel on a Chinese system saves them.
  const row = Buffer.concat([Buffer.from(`${a1},${revision},`), Buffer.from('cdc6bdf8d6d0', 'hex'), Buffer.from(',35,,'), Buffer.from('cdeab3c9b5dab6fec5fa', 'hex'), Buffer.from(',\r\n')]);
  const { location, page } = await previewOf(editor, await upload(editor, Buffer.concat([header, row]), 'progress.csv'));
  t.match(page.body, '完成第二批');
  t.match(page.body, '<strong>推进中</strong>');
  await editor.request({ method: 'POST', url: `${location}/apply`, form: {} });
  const [u] = updatesOf(app, a1);
  t.same([u.body, u.happenedOn, u.status, u.progress], ['完成第二批', fx.today, 'in_progress', 35]);
});

t.test('the upload checks its CSRF token before reading the file', async (t) => {
  const { editor, a1, app } = await setup(t);
  const sheet = await fillIn((await download(editor)).rawPayload, { [a1]: { '进度（%）': 40, 进展情况: 'x' } });
  t.equal((await upload(editor, sheet, 'p.xlsx', { csrf: null })).statusCode, 403, 'no token');
  t.equal((await upload(editor, sheet, 'p.xlsx', { csrf: 'wrong' })).statusCode, 403, 'wrong token');
  t.equal((await upload(editor, sheet, 'p.xlsx', { fileFirst: true })).statusCode, 403, 'the token must come before the file');
  t.equal((await upload(editor, sheet, 'p.xlsx', { csrf: null, headers: { 'x-csrf-token': editor.csrf } })).statusCode, 303, 'scripts may send the header');
  const urlencoded = await editor.request({ method: 'POST', url: '/manage/bulk/preview', form: { file: 'x' } });
  t.equal(urlencoded.statusCode, 403, 'not multipart');
  t.equal(updatesOf(app, a1).length, 0);
});

t.test('a preview belongs to the session that made it; strangers are kept out', async (t) => {
  const { app, a1, editor } = await setup(t);
  const sheet = await fillIn((await download(editor)).rawPayload, { [a1]: { '进度（%）': 40, 进展情况: 'x' } });
  const { location } = await previewOf(editor, await upload(editor, sheet));
  const other = await login(app, 'editor-b');
  t.equal((await other.request({ url: location })).statusCode, 404);
  t.equal((await other.request({ method: 'POST', url: `${location}/apply`, form: {} })).statusCode, 404);
  const sameUserOtherSession = await login(app, 'editor-a');
  t.equal((await sameUserOtherSession.request({ url: location })).statusCode, 404);
  t.equal(updatesOf(app, a1).length, 0);
  const anonymous = await app.inject('/manage/bulk');
  t.equal(anonymous.statusCode, 302);
  t.match(anonymous.headers.location, '/login?next=');
  const press = await login(app, 'press');
  t.equal((await press.request({ url: '/manage/bulk/pledges.xlsx' })).statusCode, 403);
});

t.test('the office downloads any unit’s sheet and updates any unit’s pledges, posted for the lead unit', async (t) => {
  const { app, fx, b1, a1 } = await setup(t);
  const admin = await login(app, 'admin');
  const page = await admin.request({ url: '/manage/bulk' });
  t.match(page.body, '<option value="traffic-police">');
  const sheet = await download(admin, 'xlsx', '?unit=traffic-police');
  t.match(sheet.headers['content-disposition'], 'progress-traffic-police-');
  // A row completing a pledge with neither evidence (a sheet carries none) nor a reason is refused with the reason why.
  const bare = await fillIn(sheet.rawPayload, { [b1]: { 状态: '已完成', 进展情况: '全部完成' } });
  const refused = await previewOf(admin, await upload(admin, bare));
  t.match(refused.page.body, '标记为已完成需要至少一份佐证材料，或写明说明理由。');
  const filled = await fillIn(sheet.rawPayload, { [b1]: { 状态: '已完成', 进展情况: '全部完成', 滞后或撤销原因: '验收报告已报送活动办' } });
  const { location } = await previewOf(admin, await upload(admin, filled));
  await admin.request({ method: 'POST', url: `${location}/apply`, form: {} });
  const p = pledgeRow(app, b1);
  t.same([p.status, p.progress, p.completedOn], ['completed', 100, fx.today]);
  t.equal(updatesOf(app, b1)[0].unitId, fx.unitB.id, 'posted for the lead unit');
  const all = await readXlsx((await download(admin)).rawPayload);
  t.equal(all.worksheets[0].rowCount, 5, 'every unit’s published pledges');
  t.equal((await admin.request({ url: '/manage/bulk/pledges.csv?unit=nobody' })).statusCode, 400);
  void a1;
});
