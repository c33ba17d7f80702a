// The progress update stream (/api/v1/updates, and the feeds built on the same queries) reads a
// page either by walking every update in time order until the page is full, or by collecting
// the filter's own updates and sorting them; which one depends on how many updates the filter
// matches (src/api/updates-queries.ts). Whichever is taken, a page must be exactly the newest
// matching updates, in order, with the right total: checked here against the same answer
// computed by hand from the table, for filters on both sides of the choice.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, seed, type Fixtures } from '../helpers.ts';
import { addUpdate, makeCategory, makePledge, makeUnit } from '../public/fixtures.ts';

interface Row {
  id: number;
  pledgeId: number;
  posterId: number;
  leadId: number;
  campaignId: number;
  categoryId: number | null;
  status: string;
  createdAt: string;
}

/**
 * A record where one unit has most updates (walked), others a few (collected), one a good share
 * but all of them old (walked, not found among the newest, then collected), with drafts,
 * co-unit posts and ties in time.
 */
function record(app: FastifyInstance, fx: Fixtures) {
  const small = makeUnit(app, { slug: 'small-unit', name: '小单位', kind: 'institution' });
  const quiet = makeUnit(app, { slug: 'quiet-unit', name: '早已停更的单位', kind: 'institution' });
  const other = makeCategory(app, { slug: 'roads', nameZh: '道路', nameEn: 'Roads' });
  const busy = [0, 1, 2].map((i) => makePledge(app, fx, { title: `水务 ${i}`, categoryId: fx.categoryId }));
  const road = makePledge(app, fx, { title: '道路', leadUnitId: fx.unitB.id, categoryId: other, coUnitIds: [small.id, fx.unitA.id] });
  const few = makePledge(app, fx, { title: '小单位的事项', leadUnitId: small.id });
  const draft = makePledge(app, fx, { title: '草稿', status: 'draft' });
  const old = makePledge(app, fx, { title: '早已停更', leadUnitId: quiet.id });
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  let minute = 0;
  for (let i = 0; i < 90; i++) {
    // Every fifth shares its time with the one before: the order then falls back to the id.
    if (i % 5 !== 0) minute++;
    addUpdate(app, busy[i % 3], { unitId: fx.unitA.id, body: `水务进展 ${i}`, createdAt: at(minute) });
  }
  addUpdate(app, road, { unitId: fx.unitB.id, body: '道路进展', createdAt: at(5) });
  addUpdate(app, road, { unitId: small.id, body: '小单位配合道路', createdAt: at(40) });
  addUpdate(app, road, { unitId: fx.unitA.id, body: '水务配合道路', createdAt: at(60) });
  addUpdate(app, few, { unitId: small.id, body: '小单位自己的进展', createdAt: at(70) });
  addUpdate(app, draft, { unitId: fx.unitA.id, body: '草稿进展', createdAt: at(200) });
  for (let i = 0; i < 45; i++) addUpdate(app, old, { unitId: quiet.id, body: `停更前的进展 ${i}`, createdAt: at(-500 + i) });
  return { small, quiet, other, busy, road, few, draft };
}

function table(app: FastifyInstance): Row[] {
  return app.db.$client
    .prepare(
      `SELECT pu.id, pu.pledge_id AS pledgeId, pu.unit_id AS posterId, p.lead_unit_id AS leadId, p.campaign_id AS campaignId,
              p.category_id AS categoryId, p.status, pu.created_at AS createdAt
       FROM progress_updates pu JOIN pledges p ON p.id = pu.pledge_id`,
    )
    .all() as Row[];
}

/** The expected stream: published only, newest posted first, ties by id. */
function expected(rows: Row[], keep: (r: Row) => boolean): number[] {
  return rows
    .filter((r) => r.status !== 'draft' && keep(r))
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))
    .map((r) => r.id);
}

async function stream(app: FastifyInstance, query: string) {
  const res = await app.inject(`/api/v1/updates?${query}`);
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const body = res.json() as { data: { id: number }[]; pagination: { total: number } };
  return { ids: body.data.map((u) => u.id), total: body.pagination.total };
}

t.test('every filter pages through exactly its updates, newest first, whichever way the page is read', async (t) => {
  // Many pages are read: the per-address limit is not what is tested here.
  const app = await build(t, { RATE_LIMIT_PER_MINUTE: '100000' });
  const fx = await seed(app);
  const r = record(app, fx);
  const rows = table(app);
  const filters: [string, (row: Row) => boolean][] = [
    ['', () => true],
    [`campaign=${fx.campaignId}`, (row) => row.campaignId === fx.campaignId],
    [`unit=${fx.unitA.slug}`, (row) => row.leadId === fx.unitA.id || row.posterId === fx.unitA.id],
    [`unit=${fx.unitB.slug}`, (row) => row.leadId === fx.unitB.id || row.posterId === fx.unitB.id],
    [`unit=${r.small.slug}`, (row) => row.leadId === r.small.id || row.posterId === r.small.id],
    [`unit=${r.quiet.slug}`, (row) => row.leadId === r.quiet.id || row.posterId === r.quiet.id],
    ['category=water', (row) => row.categoryId === fx.categoryId],
    ['category=roads', (row) => row.categoryId === r.other],
    [`pledge=${r.busy[1]}`, (row) => row.pledgeId === r.busy[1]],
    [`pledge=${r.road}&unit=${r.small.slug}`, (row) => row.pledgeId === r.road && (row.leadId === r.small.id || row.posterId === r.small.id)],
    [`unit=${fx.unitA.slug}&category=water&campaign=${fx.campaignId}`, (row) => row.leadId === fx.unitA.id && row.categoryId === fx.categoryId],
    [`unit=${r.small.slug}&category=roads`, (row) => row.categoryId === r.other && (row.leadId === r.small.id || row.posterId === r.small.id)],
  ];
  for (const [query, keep] of filters) {
    const want = expected(rows, keep);
    for (const limit of [4, 50]) {
      const got: number[] = [];
      for (let page = 1; page <= Math.ceil(want.length / limit) + 1; page++) {
        const res = await stream(app, `${query}${query ? '&' : ''}limit=${limit}&page=${page}`);
        t.equal(res.total, want.length, `${query || '(all)'} limit ${limit} page ${page}: total`);
        got.push(...res.ids);
      }
      t.same(got, want, `${query || '(all)'}, ${limit} a page: every matching update once, newest first`);
    }
  }
  t.notOk(
    (await stream(app, 'limit=500')).ids.some((id) => rows.find((row) => row.id === id)!.pledgeId === r.draft),
    'never an update of a draft',
  );
});

t.test('the feeds built on the stream agree with it', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const r = record(app, fx);
  const ids = (xml: string) => [...xml.matchAll(/#update-(\d+)<\/id>/g)].map((m) => Number(m[1]));
  for (const [feed, query] of [
    ['/feeds/updates.atom', `campaign=${fx.campaignId}`],
    [`/feeds/units/${fx.unitA.slug}.atom`, `unit=${fx.unitA.slug}`],
    [`/feeds/units/${r.small.slug}.atom`, `unit=${r.small.slug}`],
    [`/feeds/units/${r.quiet.slug}.atom`, `unit=${r.quiet.slug}`],
    ['/feeds/categories/roads.atom', 'category=roads'],
    [`/feeds/pledges/${r.road}.atom`, `pledge=${r.road}`],
  ]) {
    const body = (await app.inject(feed)).body;
    t.same(ids(body), (await stream(app, `${query}&limit=50`)).ids, `${feed}: the newest 50 of ${query}`);
  }
});

t.test('the campaign feed finds its updates when another campaign posted everything newer', async (t) => {
  const app = await build(t, { RATE_LIMIT_PER_MINUTE: '100000' });
  const fx = await seed(app);
  record(app, fx);
  // An earlier campaign (not the current one) whose updates were all written after the current one's.
  const { id: earlier } = app.db.$client
    .prepare("INSERT INTO campaigns (slug, name, starts_on, ends_on, time_zone, issuing_office) VALUES ('earlier', '上一轮活动', '2020-01-01', '2020-12-31', 'Asia/Shanghai', '办公室') RETURNING id")
    .get() as { id: number };
  const late = makePledge(app, fx, { title: '上一轮的事项', campaignId: earlier, leadUnitId: fx.unitB.id });
  for (let i = 0; i < 300; i++) addUpdate(app, late, { unitId: fx.unitB.id, body: `补录 ${i}`, createdAt: new Date(Date.UTC(2027, 0, 1, 0, i)).toISOString() });
  const ids = (xml: string) => [...xml.matchAll(/#update-(\d+)<\/id>/g)].map((m) => Number(m[1]));
  const feed = ids((await app.inject('/feeds/updates.atom')).body);
  t.equal(feed.length, 50);
  t.same(feed, (await stream(app, `campaign=${fx.campaignId}&limit=50`)).ids, 'the current campaign’s newest 50, none of the other’s');
  t.equal((await stream(app, `campaign=${earlier}&limit=1`)).total, 300);
});
