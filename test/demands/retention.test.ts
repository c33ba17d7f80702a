import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { build, seed, login, tempDir, testConfig } from '../helpers.ts';
import { buildApp } from '../../src/app.ts';
import { demands, importBatches } from '../../db/schema.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { makeDemand, demandRow, ADMIN } from './fixtures.ts';
import type { FastifyInstance } from 'fastify';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

function closeAt(app: FastifyInstance, id: number, status: 'resolved' | 'declined', when: string) {
  app.db.update(demands).set({ status, closedAt: when }).where(eq(demands.id, id)).run();
}

t.test('contact details are erased N days after a report is closed; the report stays, redacted', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createDemandRepository(app.db);
  const old = await makeDemand(app, f, { text: '我是王小明，电话13912345678，住12号楼，楼道漏水' });
  const dupOfOld = await makeDemand(app, f);
  const recent = await makeDemand(app, f);
  const open = await makeDemand(app, f);
  await repo.merge(ADMIN(f), [dupOfOld.id], old.id);
  closeAt(app, old.id, 'resolved', daysAgo(181));
  closeAt(app, recent.id, 'declined', daysAgo(10));

  const erased = await repo.eraseExpiredContacts({ userId: null, username: 'system' }, 180);
  t.same(erased, { demands: 2, batches: 0 });
  for (const id of [old.id, dupOfOld.id]) {
    const row = demandRow(app, id);
    t.match(row, { reporterName: '', reporterPhone: '', reporterContact: '', address: '' });
    t.ok(row.contactErasedAt);
    t.notMatch(row.text, '13912345678', 'the unredacted text goes too');
    t.equal(row.text, row.publicText);
    t.ok(row.location, 'the street-level place stays');
  }
  t.equal(demandRow(app, recent.id).reporterPhone, '13912345678', 'not yet');
  t.equal(demandRow(app, open.id).reporterPhone, '13912345678', 'open reports keep theirs');
  t.same(await repo.eraseExpiredContacts({ userId: null, username: 'system' }, 180), { demands: 0, batches: 0 }, 'idempotent');

  const admin = await login(app, 'admin');
  const page = await admin.request({ url: `/admin/demands/${old.id}` });
  t.match(page.body, '联系方式已按保存期限');
  t.notMatch(page.body, '查看联系方式（记入日志）');
});

t.test('the erasure runs when the app starts, with the configured retention', async (t) => {
  const app = await build(t, { DEMAND_CONTACT_RETENTION_DAYS: '30' });
  const f = await seed(app);
  const x = await makeDemand(app, f);
  closeAt(app, x.id, 'declined', daysAgo(31));
  app.db.insert(importBatches).values({ fileName: 'old.csv', format: 'csv', refusedRows: JSON.stringify({ headers: ['电话'], rows: [{ row: 2, reasons: [], cells: ['13900000000'] }] }), createdAt: daysAgo(40) }).run();
  await app.ready();
  t.equal(demandRow(app, x.id).reporterPhone, '');
  const batch = app.db.select().from(importBatches).all()[0];
  t.equal(batch.refusedRows, '[]', "refused import rows (callers' numbers) go too");
  t.ok(batch.refusedErasedAt);
});

t.test('npm run cli -- demands erase-contacts erases and says how many', async (t) => {
  const dir = tempDir('pledges-erase-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'cli.db');
  const app = await buildApp(testConfig({ DATABASE_FILE: file }, dir));
  const f = await seed(app);
  const x = await makeDemand(app, f);
  closeAt(app, x.id, 'resolved', daysAgo(200));
  await app.close();
  const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demands', 'erase-contacts'], { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_FILE: file } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
  t.equal(run.code, 0);
  t.match(run.stdout, 'erased contact details of 1 report(s)');
  const again = await buildApp(testConfig({ DATABASE_FILE: file }, dir));
  t.equal(again.db.select().from(demands).all()[0].reporterPhone, '');
  await again.close();
});
