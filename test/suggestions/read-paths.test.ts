// The public lists are prepared once per set of filters given: each call must bind its own
// pledge, unit, page and page size, and a unit's list holds only what was addressed to the
// unit itself.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { addSuggestion } from './fixtures.ts';
import { createSuggestionRepository } from '../../src/suggestions/repository.ts';

t.test('public lists: each call its own filter values, page and size; newest first', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createSuggestionRepository(app.db);
  const p1 = makePledge(app, f);
  const p2 = makePledge(app, f);
  const at = (day: number) => `2026-01-0${day}T00:00:00.000Z`;
  const add = (body: string, values: { targetKind: 'pledge' | 'unit' | 'campaign'; pledgeId?: number; unitId?: number; status?: 'pending' | 'published' | 'rejected' }, day: number) =>
    addSuggestion(app, { campaignId: f.campaignId, status: 'published', body, createdAt: at(day), ...values });
  add('p1-a', { targetKind: 'pledge', pledgeId: p1, unitId: f.unitA.id }, 1);
  add('p1-b', { targetKind: 'pledge', pledgeId: p1, unitId: f.unitA.id }, 2);
  add('p1-c', { targetKind: 'pledge', pledgeId: p1, unitId: f.unitA.id }, 3);
  add('p1-pending', { targetKind: 'pledge', pledgeId: p1, unitId: f.unitA.id, status: 'pending' }, 4);
  add('p2-a', { targetKind: 'pledge', pledgeId: p2, unitId: f.unitA.id }, 5);
  add('unitA', { targetKind: 'unit', unitId: f.unitA.id }, 6);
  add('unitB', { targetKind: 'unit', unitId: f.unitB.id }, 7);
  add('campaign', { targetKind: 'campaign' }, 8);

  const bodies = (l: { rows: { body: string }[] }) => l.rows.map((r) => r.body);
  const p1List = await repo.listPublic({ pledgeId: p1 }, { pageSize: 2 });
  t.same([p1List.total, p1List.pages, bodies(p1List)], [3, 2, ['p1-c', 'p1-b']]);
  t.same(bodies(await repo.listPublic({ pledgeId: p1 }, { pageSize: 2, page: 2 })), ['p1-a'], 'page 2 binds its own offset');
  t.same(bodies(await repo.listPublic({ pledgeId: p1 }, { pageSize: 1 })), ['p1-c'], 'the page size is bound per call');
  t.same(bodies(await repo.listPublic({ pledgeId: p2 })), ['p2-a'], 'another pledge, its own list');
  t.same(bodies(await repo.listPublic({ unitId: f.unitA.id })), ['unitA'], 'a unit’s list: addressed to the unit itself, not its pledges');
  t.same(bodies(await repo.listPublic({ unitId: f.unitB.id })), ['unitB']);
  t.same(bodies(await repo.listPublic({ targetKind: 'campaign' })), ['campaign']);
  const everything = await repo.listPublic({}, { pageSize: 5 });
  t.same([everything.total, bodies(everything)], [7, ['campaign', 'unitB', 'unitA', 'p2-a', 'p1-c']]);
  t.same(bodies(await repo.listPublic({ campaignId: f.campaignId + 1 })), [], 'another campaign has none');

  // A first page with room to spare is the whole list (its total is its rows, no count read); a
  // full first page may have more behind it, and a later page counts.
  const counts = (l: { total: number; page: number; pages: number }) => [l.total, l.page, l.pages];
  t.same(counts(await repo.listPublic({ pledgeId: p1 }, { pageSize: 4 })), [3, 1, 1], 'a first page with room to spare');
  t.same(counts(await repo.listPublic({ pledgeId: p1 }, { pageSize: 3 })), [3, 1, 1], 'a full first page that is the whole list');
  t.same(counts(await repo.listPublic({ pledgeId: p1 }, { pageSize: 2 })), [3, 1, 2], 'a full first page with more behind it');
  t.same(counts(await repo.listPublic({ pledgeId: p1 }, { pageSize: 2, page: 9 })), [3, 2, 2], 'a page past the end is the last');
  t.same(counts(await repo.listPublic({ pledgeId: p2 + 1 })), [0, 1, 1], 'none at all');
});

t.test('the home page’s latest suggestions follow moderation (kept per data version only)', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  const id = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'campaign', status: 'pending', body: '建议延长图书馆开放时间' });
  t.notMatch((await app.inject({ url: '/' })).body, '建议延长图书馆开放时间');
  await createSuggestionRepository(app.db).moderate({ userId: null, username: 'test', ip: '' }, id, { status: 'published' });
  t.match((await app.inject({ url: '/' })).body, '建议延长图书馆开放时间', 'shown on the next read after publishing');
});
