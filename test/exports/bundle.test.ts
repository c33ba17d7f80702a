import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { build, seed, type Fixtures } from '../helpers.ts';
import { makePledge, addUpdate, addDeadlineChange, addAmendment } from '../public/fixtures.ts';
import { campaigns } from '../../db/schema.ts';
import { BUNDLE_TABLES } from '../../src/exports/bundle.ts';

function record(app: FastifyInstance, fx: Fixtures) {
  const water = makePledge(app, fx, { title: '=供水', categoryId: fx.categoryId, coUnitIds: [fx.unitB.id], createdBy: fx.users.editorA });
  const late = makePledge(app, fx, { title: '逾期事项', dueOn: '2020-01-01', startOn: '2019-01-01' });
  const draft = makePledge(app, fx, { title: '草稿', status: 'draft', coUnitIds: [fx.unitB.id] });
  addUpdate(app, water, { unitId: fx.unitA.id, body: '进展一', progress: 20 });
  addUpdate(app, draft, { unitId: fx.unitA.id, body: '草稿的进展' });
  addDeadlineChange(app, late, { oldDueOn: '2019-12-01', newDueOn: '2020-01-01', reason: '延期' });
  addAmendment(app, draft, { field: 'title', oldValue: '旧', newValue: '草稿', reason: '草稿的修改' });
  return { water, late, draft };
}

/** The files of a ZIP as text (a BOM, if any, kept as \uFEFF). */
function unzip(body: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(new Uint8Array(body))).map(([name, data]) => [name, Buffer.from(data).toString('utf8')]));
}

t.test('the bundle holds every public table as CSV and JSON with a README of the columns', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const { water, late, draft } = record(app, fx);
  const res = await app.inject('/open-data/bundle.zip');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/zip');
  t.match(res.headers['content-disposition'], /attachment; filename="pledge-board-open-data-\d{4}-\d{2}-\d{2}\.zip"/);
  const files = unzip(res.rawPayload);
  const expected = ['README.md', ...BUNDLE_TABLES.flatMap((tb) => [`${tb.name}.csv`, `${tb.name}.json`])];
  t.same(Object.keys(files).sort(), expected.sort());

  for (const table of BUNDLE_TABLES) {
    const json = JSON.parse(files[`${table.name}.json`]) as Record<string, unknown>[];
    const csv: string[][] = parse(files[`${table.name}.csv`], { bom: true });
    t.ok(files[`${table.name}.csv`].startsWith('\uFEFF'), `${table.name}.csv has a BOM`);
    t.same(csv[0], table.columns.map((c) => c.name), `${table.name}.csv header`);
    t.equal(csv.length - 1, json.length, `${table.name}: CSV and JSON have the same rows`);
    for (const c of table.columns) t.match(files['README.md'], `| ${c.name} |`, `README describes ${table.name}.${c.name}`);
  }

  const pledges = JSON.parse(files['pledges.json']);
  t.same(pledges.map((p: { id: number }) => p.id).sort(), [water, late].sort(), 'no draft');
  const overdue = pledges.find((p: { id: number }) => p.id === late);
  t.equal(overdue.overdue, true, 'derived overdue as of today');
  t.equal(pledges.find((p: { id: number }) => p.id === water).title, '=供水', 'JSON values are exact');
  const csvPledges: string[][] = parse(files['pledges.csv'], { bom: true });
  t.ok(csvPledges.some((r) => r.includes("'=供水")), 'CSV neutralises');
  for (const p of pledges) {
    for (const internal of ['created_by', 'version', 'created_at']) t.notOk(internal in p, `${internal} is not published`);
  }
  const updates = JSON.parse(files['progress_updates.json']);
  t.same(updates.map((u: { body: string }) => u.body), ['进展一'], 'no draft’s updates');
  t.notOk('author_id' in updates[0], 'who typed it is not published');
  t.same(JSON.parse(files['pledge_co_units.json']), [{ pledge_id: water, unit_id: fx.unitB.id }], 'no draft’s co-units');
  t.same(JSON.parse(files['pledge_amendments.json']), [], 'no draft’s amendments');
  t.equal(JSON.parse(files['deadline_changes.json']).length, 1);
  t.notOk(Object.keys(files).some((f) => f.startsWith('users') || f.startsWith('sessions') || f.startsWith('audit')));
  t.notMatch(JSON.stringify(files), /password|csrf/i);
  void draft;
});

t.test('a bundle of one campaign, the 304, and a fresh build after the record changes', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const { water } = record(app, fx);
  const other = app.db.insert(campaigns).values({ slug: 'earlier', name: '上一期', startsOn: '2020-01-01', endsOn: '2020-12-31' }).returning().get();
  const old = makePledge(app, fx, { campaignId: other.id, title: '上一期的事项' });
  const scoped = unzip((await app.inject(`/open-data/bundle.zip?campaign=${fx.campaignId}`)).rawPayload);
  t.notOk(JSON.parse(scoped['pledges.json']).some((p: { id: number }) => p.id === old));
  t.same(JSON.parse(scoped['campaigns.json']).map((c: { id: number }) => c.id), [fx.campaignId]);
  t.equal((await app.inject('/open-data/bundle.zip?campaign=999')).statusCode, 400);
  t.equal((await app.inject('/open-data/bundle.zip?campaign=abc')).statusCode, 400);

  const first = await app.inject('/open-data/bundle.zip');
  const again = await app.inject({ url: '/open-data/bundle.zip', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(again.statusCode, 304);
  addUpdate(app, water, { unitId: fx.unitA.id, body: '后来的进展', createdAt: '2999-01-01T00:00:00.000Z' });
  const changed = await app.inject({ url: '/open-data/bundle.zip', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(changed.statusCode, 200);
  t.ok(JSON.parse(unzip(changed.rawPayload)['progress_updates.json']).some((u: { body: string }) => u.body === '后来的进展'));
});

t.test('/open-data explains every download', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx);
  const res = await app.inject('/open-data');
  t.equal(res.statusCode, 200);
  for (const href of ['/pledges?format=csv', '/pledges?format=xlsx', '/units?format=csv', '/open-data/bundle.zip', '/api/docs', '/feeds']) t.match(res.body, `href="${href}"`);
  for (const table of BUNDLE_TABLES) t.match(res.body, `${table.name}.json`);
});
