import t from 'tap';
import { asc, count, eq, and, isNull, inArray } from 'drizzle-orm';
import type { Db } from '../../src/plugins/db.ts';
import { loadDemoIfEmpty } from '../../src/demo/load.ts';
import { daysBetween } from '../../src/demo/days.ts';
import { isOverdue, isCompletedLate, todayIn } from '../../src/pledges/status.ts';
import {
  auditLog,
  campaigns,
  deadlineChanges,
  pledgeCoUnits,
  pledges,
  progressUpdates,
  units,
  users,
  DISTRICT_KINDS,
  type UnitKind,
} from '../../db/schema.ts';
import { DEMO_ZONE as ZONE, demoCopy, demoLoadOptions, emptyDb, freshDemoDb } from './fixture.ts';

// The demo is loaded for real once for this file (the template behind demoCopy); tests that
// only read what it holds get a copy of it. Tests of loading itself call the loader again.
// Loading at the app's start is in app-start.test.ts, so each file loads twice, not four times.

async function counts(db: Db) {
  return {
    campaigns: await db.$count(campaigns),
    units: await db.$count(units),
    pledges: await db.$count(pledges),
    updates: await db.$count(progressUpdates),
    users: await db.$count(users),
    audit: await db.$count(auditLog),
  };
}

t.test('loading into an empty database creates one demo campaign running now and about half-way through', async (t) => {
  const db = await demoCopy(t);
  const all = db.select().from(campaigns).all();
  t.equal(all.length, 1);
  const c = all[0];
  t.equal(c.isDemo, true, 'labelled as demo');
  t.equal(c.name, '深入基层、服务群众');
  t.equal(c.issuingOffice, '活动领导小组办公室');
  t.equal(c.timeZone, ZONE);
  const today = todayIn(ZONE);
  t.ok(c.startsOn < today && today < c.endsOn, 'running today');
  const share = daysBetween(c.startsOn, today) / daysBetween(c.startsOn, c.endsOn);
  t.ok(share > 0.4 && share < 0.6, `about half-way (${share.toFixed(2)})`);
});

t.test('the demo has about 150 units in a hierarchy, 10 of them counties/districts, some service windows', async (t) => {
  const db = await demoCopy(t);
  const rows = db.select().from(units).all();
  t.ok(rows.length >= 140 && rows.length <= 170, `${rows.length} units`);
  t.equal(rows.filter((u) => DISTRICT_KINDS.includes(u.kind)).length, 10, '10 counties/districts');
  const byId = new Map(rows.map((u) => [u.id, u]));
  const local = rows.filter((u) => (['township', 'street', 'community'] as UnitKind[]).includes(u.kind));
  t.ok(local.length >= 5, 'some townships and streets');
  t.ok(local.every((u) => u.parentId !== null), 'each under a district (or a street)');
  t.ok(byId.get(rows.find((u) => u.name === '市公安局交警支队')!.parentId!)!.name === '市公安局', 'the traffic police sit under the public security bureau');
  const windows = rows.filter((u) => u.isServiceWindow);
  t.ok(windows.length >= 5, 'service windows');
  t.ok(windows.every((u) => u.contactPhone !== ''), 'with a public contact phone');
  t.ok(rows.every((u) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(u.slug)), 'ASCII slugs');
});

t.test('the 10 city-level major items each have a lead official, co-units including a district, and sub-tasks', async (t) => {
  const db = await demoCopy(t);
  const majors = db.select().from(pledges).where(and(eq(pledges.tier, 'major'), isNull(pledges.parentId))).all();
  t.equal(majors.length, 10);
  const districtIds = new Set(
    db
      .select({ id: units.id })
      .from(units)
      .where(inArray(units.kind, DISTRICT_KINDS as UnitKind[]))
      .all()
      .map((u) => u.id),
  );
  for (const m of majors) {
    t.match(m.leadOfficial, /^市级分管领导 /, `${m.title}: led by a city leader`);
    const subtasks = db.select().from(pledges).where(eq(pledges.parentId, m.id)).all();
    t.ok(subtasks.length >= 2 && subtasks.length <= 4, `${m.title}: ${subtasks.length} sub-tasks`);
    t.ok(subtasks.every((s) => s.status !== 'draft' && s.dueOn <= m.dueOn), 'sub-tasks are public and due within the item');
    const co = db.select().from(pledgeCoUnits).where(eq(pledgeCoUnits.pledgeId, m.id)).all();
    t.ok(co.some((c) => districtIds.has(c.unitId)), `${m.title}: a county/district takes part`);
    const rollUp = Math.round(subtasks.reduce((sum, s) => sum + s.progress, 0) / subtasks.length);
    t.ok(Math.abs(rollUp - m.progress) <= 5, `${m.title}: progress rolls up from its sub-tasks`);
  }
});

t.test('a few hundred unit pledges in every status, including drafts, overdue and late ones', async (t) => {
  const db = await demoCopy(t);
  const today = todayIn(ZONE);
  const rows = db.select().from(pledges).where(eq(pledges.tier, 'unit')).all();
  const claimed = rows.filter((p) => p.parentId === null);
  t.ok(claimed.length >= 300 && claimed.length <= 400, `${claimed.length} claimed tasks`);
  for (const status of ['draft', 'pledged', 'in_progress', 'delayed', 'completed', 'cancelled'] as const) {
    t.ok(rows.filter((p) => p.status === status).length >= 3, `some ${status}`);
  }
  t.ok(rows.filter((p) => isOverdue(p, today)).length >= 10, 'some overdue');
  const completed = rows.filter((p) => p.status === 'completed');
  t.ok(completed.some(isCompletedLate) && completed.some((p) => !isCompletedLate(p)), 'completed late and on time');
  t.ok(completed.every((p) => p.completedOn && p.completedOn < today && p.progress === 100), 'completed ones have a completion day');
  t.ok(rows.filter((p) => p.status === 'delayed' || p.status === 'cancelled').every((p) => p.statusReason !== ''), 'delayed and cancelled give a reason');
  t.ok(rows.filter((p) => p.status === 'draft').every((p) => p.publishedAt === null), 'drafts are not published');
  t.ok(rows.filter((p) => p.status !== 'draft').every((p) => p.publishedAt !== null && p.dueOn > p.startOn), 'published ones have a publication time and sane dates');

  const perUnit = new Map<number, number>();
  for (const p of claimed) perUnit.set(p.leadUnitId, (perUnit.get(p.leadUnitId) ?? 0) + 1);
  const sizes = [...perUnit.values()].sort((a, b) => b - a);
  t.ok(sizes[0] >= 15 && sizes[0] <= 30, 'the busiest unit claimed 15–30 tasks');
  t.ok(sizes.filter((n) => n <= 3).length > sizes.length / 2, 'most units claimed 1–3');
});

t.test('every published pledge has a dated timeline that ends where the pledge stands', async (t) => {
  const db = await demoCopy(t);
  const today = todayIn(ZONE);
  const all = db.select().from(pledges).all();
  const updates = db.select().from(progressUpdates).orderBy(asc(progressUpdates.pledgeId), asc(progressUpdates.happenedOn), asc(progressUpdates.id)).all();
  const coUnits = db.select().from(pledgeCoUnits).all();
  const problems: string[] = [];
  for (const p of all) {
    const mine = updates.filter((u) => u.pledgeId === p.id);
    if (p.status === 'draft') {
      if (mine.length) problems.push(`${p.id}: a draft has updates`);
      continue;
    }
    if (mine.length < 1 || mine.length > 6) problems.push(`${p.id}: ${mine.length} updates`);
    const last = mine.at(-1)!;
    if (last.progress !== p.progress) problems.push(`${p.id}: last update ${last.progress}% but pledge ${p.progress}%`);
    const lastStatus = mine.filter((u) => u.status !== null).at(-1)?.status;
    if (lastStatus !== p.status) problems.push(`${p.id}: last status set ${lastStatus} but pledge ${p.status}`);
    if (mine[0].status !== 'pledged') problems.push(`${p.id}: the timeline does not start with publication`);
    if (mine.some((u) => u.happenedOn < p.startOn || u.happenedOn >= today)) problems.push(`${p.id}: an update outside start..yesterday`);
    if (mine.some((u, i) => i > 0 && (u.progress ?? 0) < (mine[i - 1].progress ?? 0))) problems.push(`${p.id}: progress goes backwards`);
    if (p.status === 'completed' && last.happenedOn !== p.completedOn) problems.push(`${p.id}: completion is not the last update`);
    const allowed = new Set([p.leadUnitId, ...coUnits.filter((c) => c.pledgeId === p.id).map((c) => c.unitId)]);
    if (mine.some((u) => !allowed.has(u.unitId))) problems.push(`${p.id}: an update by a unit not on the pledge`);
  }
  t.same(problems, []);
  t.ok(updates.some((u) => all.find((p) => p.id === u.pledgeId)!.leadUnitId !== u.unitId), 'some updates are posted by co-units');
});

t.test('deadline changes form a chain ending at the pledge due date, each with a reason', async (t) => {
  const db = await demoCopy(t);
  const changes = db.select().from(deadlineChanges).orderBy(asc(deadlineChanges.pledgeId), asc(deadlineChanges.id)).all();
  t.ok(changes.length >= 10, `${changes.length} deadline changes`);
  const byPledge = new Map<number, typeof changes>();
  for (const c of changes) byPledge.set(c.pledgeId, [...(byPledge.get(c.pledgeId) ?? []), c]);
  for (const [pledgeId, chain] of byPledge) {
    const p = db.select().from(pledges).where(eq(pledges.id, pledgeId)).get()!;
    t.equal(chain.at(-1)!.newDueOn, p.dueOn, `pledge ${pledgeId}: due date is the last new date`);
    t.ok(chain.every((c, i) => c.reason !== '' && c.newDueOn > c.oldDueOn && (i === 0 || c.oldDueOn === chain[i - 1].newDueOn)), `pledge ${pledgeId}: linked, later dates, reasons`);
  }
});

t.test('demo accounts share one password hash and unit editors belong to their units', async (t) => {
  const db = await demoCopy(t);
  const rows = db.select({ username: users.username, role: users.role, hash: users.passwordHash, unit: units.name }).from(users).leftJoin(units, eq(units.id, users.unitId)).all();
  const byName = new Map(rows.map((r) => [r.username, r]));
  t.equal(byName.get('admin')?.role, 'admin');
  t.equal(byName.get('press')?.role, 'press');
  t.equal(byName.get('shuiwu')?.unit, '市水务局');
  t.equal(byName.get('jiaojing')?.unit, '市公安局交警支队');
  t.equal(byName.get('chengguan')?.unit, '市城市管理局');
  t.equal(byName.get('lixia')?.unit, '历下区');
  t.equal(byName.get('gongre')?.unit, '热电公司');
  t.equal(new Set(rows.map((r) => r.hash)).size, 1, 'hashed once');
  t.match(rows[0].hash, /^\$argon2id\$/);
});

t.test('loading again is a no-op', async (t) => {
  // A copy of a database the loader filled; the second load below is the real call.
  const db = await demoCopy(t);
  const before = await counts(db);
  t.equal(db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'demo.load')).get()!.n, 1, 'one audit entry for the load');
  t.equal(await loadDemoIfEmpty(db, demoLoadOptions), null);
  t.same(await counts(db), before);
});

t.test('the demo stays out of a database where the office has set up units', async (t) => {
  const db = emptyDb(t);
  db.insert(units).values({ slug: 'real-unit', name: '市某局', kind: 'city_department' }).run();
  t.equal(await loadDemoIfEmpty(db, demoLoadOptions), null);
  t.equal(await db.$count(campaigns), 0);
  t.equal(await db.$count(units), 1);
});

t.test('two loads into two fresh databases give the same content', async (t) => {
  // Two real loads: the template this file loaded once, and a new one now.
  const a = await demoCopy(t);
  const b = await freshDemoDb(t);
  const content = (db: Db) =>
    db
      .select({ title: pledges.title, standard: pledges.standard, status: pledges.status, progress: pledges.progress, dueOn: pledges.dueOn })
      .from(pledges)
      .orderBy(asc(pledges.id))
      .all();
  t.same(content(a), content(b));
  t.same(
    a.select({ body: progressUpdates.body }).from(progressUpdates).orderBy(asc(progressUpdates.id)).all(),
    b.select({ body: progressUpdates.body }).from(progressUpdates).orderBy(asc(progressUpdates.id)).all(),
  );
});

t.test('only published pledges are in the search index', async (t) => {
  const db = await demoCopy(t);
  const indexed = db.$client.prepare('SELECT count(*) AS n FROM pledge_search').get() as { n: number };
  const published = db.select({ n: count() }).from(pledges).where(inArray(pledges.status, ['pledged', 'in_progress', 'delayed', 'completed', 'cancelled'])).get()!.n;
  t.equal(indexed.n, published);
});
