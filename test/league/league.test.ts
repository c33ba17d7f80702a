import t from 'tap';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { build, seed } from '../helpers.ts';
import { addDays, makePledge, makeUnit } from '../public/fixtures.ts';
import { addVotes, record } from './fixtures.ts';
import { createLeagueRepository } from '../../src/league/repository.ts';
import { leagueApiResponse } from '../../src/league/schemas.ts';
import { rankUnits, scoreOf, wilsonLower } from '../../src/league/ranking.ts';

t.test('figures: on time, late and overdue told apart; cancelled and drafts left out; satisfaction counts only counted votes', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const A = fx.unitA.id;
  makePledge(app, fx, { leadUnitId: A, status: 'completed', progress: 100, dueOn: addDays(fx.today, -5), completedOn: addDays(fx.today, -5) }); // on time (the due day itself)
  makePledge(app, fx, { leadUnitId: A, status: 'completed', progress: 100, dueOn: addDays(fx.today, -5), completedOn: addDays(fx.today, -2) }); // late
  makePledge(app, fx, { leadUnitId: A, status: 'in_progress', progress: 40, dueOn: addDays(fx.today, -1) }); // overdue
  makePledge(app, fx, { leadUnitId: A, status: 'delayed', statusReason: '资金未到位', progress: 20, dueOn: addDays(fx.today, -30) }); // overdue too
  makePledge(app, fx, { leadUnitId: A, status: 'in_progress', progress: 0, dueOn: fx.today }); // due today: not overdue yet
  makePledge(app, fx, { leadUnitId: A, status: 'cancelled', statusReason: '并入其他事项', progress: 90, dueOn: addDays(fx.today, -20) }); // left out
  makePledge(app, fx, { leadUnitId: A, status: 'draft', progress: 0, dueOn: addDays(fx.today, -20) }); // not public
  addVotes(app, { unitId: A }, { satisfied: 3, basically_satisfied: 2, dissatisfied: 1 });
  addVotes(app, { unitId: A }, { satisfied: 1 }, { verified: true });
  addVotes(app, { unitId: A }, { dissatisfied: 9 }, { flag: 'open' }); // held: not counted
  addVotes(app, { unitId: A }, { dissatisfied: 2 }, { flag: 'accepted' }); // accepted by the office: counted

  const rows = await createLeagueRepository(app.db).figures({ group: 'departments', campaignId: fx.campaignId });
  const a = rows.find((r) => r.unitId === A)!;
  t.match(a, {
    pledges: 6,
    completedOnTime: 1,
    completedLate: 1,
    overdue: 2,
    cancelled: 1,
    dueOrCompleted: 4,
    averageProgress: Math.round((100 + 100 + 40 + 20 + 0) / 5),
    satisfied: 4,
    basic: 2,
    dissatisfied: 3,
    ratings: 9,
    verified: 1,
  });
  t.notOk(
    rows.find((r) => r.unitId === fx.unitB.id),
    'a unit with no pledge and no vote is not listed',
  );
});

t.test('Wilson lower bound: small samples cannot outrank solid ones', async (t) => {
  t.ok(wilsonLower(1, 1) < wilsonLower(45, 50), '1/1 is below 45/50');
  t.ok(Math.abs(wilsonLower(1, 1) - 0.2065) < 0.001);
  t.ok(Math.abs(wilsonLower(45, 50) - 0.7864) < 0.001);
  t.equal(wilsonLower(0, 0), 0);
  const fig = (k: number, n: number) => ({ pledges: n, completedOnTime: k, completedLate: 0, overdue: n - k, cancelled: 0, dueOrCompleted: n, averageProgress: 50, satisfied: 20, basic: 0, dissatisfied: 0, ratings: 20, verified: 0 });
  const { ranked, unranked } = rankUnits(
    [
      { name: 'one of one', scored: scoreOf(fig(1, 1), 10, 1) },
      { name: 'forty-five of fifty', scored: scoreOf(fig(45, 50), 10, 1) },
    ],
    'en',
  );
  t.same(
    ranked.map((r) => [r.rank, r.name]),
    [
      [1, 'forty-five of fifty'],
      [2, 'one of one'],
    ],
  );
  t.same(unranked, []);
});

t.test('/league: 45/50 outranks 5/5 and a 1/1 unit is listed apart; too few ratings listed apart; the method is explained', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const solid = fx.unitA.id; // 市水务局: 45 of 50
  const perfect = fx.unitB.id; // 市交警支队: 5 of 5
  const lucky = makeUnit(app, { slug: 'lucky', name: '市档案馆', kind: 'institution' }).id; // 1 of 1
  const quiet = makeUnit(app, { slug: 'quiet', name: '市供销社', kind: 'enterprise' }).id; // many pledges, few votes
  record(app, fx, solid, 45, 5);
  record(app, fx, perfect, 5, 0);
  record(app, fx, lucky, 1, 0);
  record(app, fx, quiet, 10, 0);
  for (const u of [solid, perfect, lucky]) addVotes(app, { unitId: u }, { satisfied: 12 });
  addVotes(app, { unitId: quiet }, { satisfied: 3 });

  const res = await app.inject('/league?utm_source=weibo');
  t.equal(res.statusCode, 200);
  const ranked = res.body.slice(res.body.indexOf('id="h-ranked"'), res.body.indexOf('id="h-method"'));
  const unranked = res.body.slice(res.body.indexOf('id="h-unranked"'));
  t.ok(ranked.indexOf('市水务局') >= 0 && ranked.indexOf('市水务局') < ranked.indexOf('市交警支队'), '45/50 ranks above 5/5');
  t.notOk(ranked.includes('市档案馆'), '1/1 is not ranked');
  t.match(unranked, /市档案馆[\s\S]*到期或已完成的承诺太少/);
  t.match(unranked, /市供销社[\s\S]*满意度评价太少/);
  t.match(res.body, /威尔逊/, 'the method, in plain words');
  t.match(res.body, /href="\/league"/, 'linked from the navigation');

  const en = await app.inject('/league?lang=en');
  t.match(en.body, /Wilson score interval/);
  t.match(en.body, /Not ranked yet/);
});

t.test('/league groups compare like with like', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const town = makeUnit(app, { slug: 'quancheng-street', name: '泉城路街道', kind: 'street', parentId: fx.districtId }).id;
  record(app, fx, fx.unitA.id, 3, 0);
  record(app, fx, fx.districtId, 3, 0);
  record(app, fx, town, 3, 0);
  const names = async (group: string) => {
    const body = (await app.inject(`/league?group=${group}`)).body;
    return ['市水务局', '历下区', '泉城路街道'].filter((n) => body.includes(`>${n}</a>`));
  };
  t.same(await names('departments'), ['市水务局']);
  t.same(await names('districts'), ['历下区']);
  t.same(await names('grassroots'), ['泉城路街道']);
  t.equal((await app.inject('/league?group=everyone')).statusCode, 400);
  t.equal((await app.inject('/league?campaign=9999')).statusCode, 400);
  t.equal((await app.inject('/league?campaign=abc')).statusCode, 400);
});

t.test('/api/v1/league matches its schema and the page; unknown parameters are a 400', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx, fx.unitA.id, 9, 1);
  record(app, fx, fx.unitB.id, 2, 0);
  addVotes(app, { unitId: fx.unitA.id }, { satisfied: 8, basically_satisfied: 3, dissatisfied: 1 }, { verified: true });
  const res = await app.inject('/api/v1/league?group=departments');
  t.equal(res.statusCode, 200);
  const body = leagueApiResponse.parse(res.json());
  t.equal(body.data.length, 2);
  t.match(body.data[0], { rank: 1, unit: { slug: 'water-bureau' }, completedOnTime: 9, overdue: 1, satisfaction: { total: 12, verified: 12 } });
  t.match(body.data[1], { rank: null, unit: { slug: 'traffic-police' }, unranked: ['too_few_due', 'too_few_ratings'] });
  t.equal(body.method.campaign?.id, fx.campaignId, 'the current campaign by default');
  t.equal(body.method.explained, 'https://pledges.example.gov.cn/league');
  t.equal((await app.inject('/api/v1/league?sort=name')).statusCode, 400);
  t.equal((await app.inject('/api/v1/league?campaign=4242')).statusCode, 400);
  const doc = (await app.inject('/api/openapi.json')).json();
  t.ok(doc.paths['/api/v1/league']?.get, 'documented in the OpenAPI document');
});

t.test('the home page shows the top of each group and links the full table', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx, fx.unitA.id, 6, 0);
  addVotes(app, { unitId: fx.unitA.id }, { satisfied: 10 });
  const res = await app.inject('/');
  t.equal(res.statusCode, 200);
  t.match(res.body, /id="h-league"/);
  t.match(res.body, /<li value="1"><a href="\/units\/water-bureau">市水务局<\/a> <span class="meta">65\.5 分<\/span><\/li>/, 'rank, unit and score');
  t.match((await app.inject('/?lang=en')).body, /<li value="1"><a href="\/units\/water-bureau">市水务局<\/a> <span class="meta">score 65\.5<\/span><\/li>/);
  t.match(res.body, new RegExp(`href="/league\\?campaign=${fx.campaignId}"`));
});

t.test('/league?format=csv|xlsx: the page’s rows, read back with real parsers, filters applied', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const lucky = makeUnit(app, { slug: 'lucky', name: '=市档案馆', kind: 'institution' }).id; // formula-looking name
  record(app, fx, fx.unitA.id, 9, 1);
  record(app, fx, fx.unitB.id, 7, 3);
  record(app, fx, lucky, 1, 0);
  record(app, fx, fx.districtId, 8, 0); // another group: not in the departments download
  for (const u of [fx.unitA.id, fx.unitB.id]) addVotes(app, { unitId: u }, { satisfied: 8, basically_satisfied: 2, dissatisfied: 2 });

  const page = await app.inject('/league?group=departments');
  const pageNames = [...page.body.matchAll(/<td data-label="单位"><a href="\/units\/([a-z-]+)">/g)].map((m) => m[1]);
  t.same(pageNames, ['water-bureau', 'traffic-police', 'lucky'], 'page: ranked, then not ranked');

  const csv = await app.inject('/league?group=departments&format=csv&utm_medium=x');
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], 'text/csv');
  t.match(csv.headers['content-disposition'], /filename="league-departments-\d{4}-\d{2}-\d{2}\.csv"/);
  t.ok(csv.body.startsWith('\uFEFF'));
  const [header, ...rows]: string[][] = parse(csv.body, { bom: true });
  t.equal(header[0], '名次');
  const col = (name: string) => header.indexOf(name);
  t.same(
    rows.map((r) => r[col('单位代码')]),
    pageNames,
    'CSV rows are the page’s rows',
  );
  t.same(
    rows.map((r) => r[col('名次')]),
    ['1', '2', ''],
  );
  t.equal(rows[2][col('单位')], "'=市档案馆", 'formula neutralised');
  t.equal(rows[0][col('按期完成')], '9');
  t.equal(rows[0][col('当前逾期')], '1');
  t.equal(rows[0][col('按期完成率')], '90');
  t.match(rows[2][col('排名情况')], /到期或已完成的承诺太少/);

  const api = (await app.inject('/api/v1/league?group=departments')).json().data as { unit: { slug: string }; score: number | null }[];
  t.same(
    api.map((r) => r.unit.slug),
    pageNames,
  );
  t.equal(Number(rows[0][col('综合得分')]), Math.round(api[0].score! * 1000) / 10, 'same score as the API');

  const xlsx = await app.inject('/league?group=departments&format=xlsx&lang=en');
  t.equal(xlsx.statusCode, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => sheet.push((row.values as unknown[]).slice(1)));
  const [xh, ...xrows] = sheet;
  t.equal(xh[0], 'Rank');
  t.same(
    xrows.map((r) => r[(xh as string[]).indexOf('Unit code')]),
    pageNames,
  );
  t.equal(xrows[2][(xh as string[]).indexOf('Unit')], '=市档案馆', 'XLSX keeps text as text');
  t.equal(xrows[0][(xh as string[]).indexOf('Completed on time')], 9);

  const districts = await app.inject('/league?group=districts&format=csv');
  const [, ...drows]: string[][] = parse(districts.body, { bom: true });
  t.same(
    drows.map((r) => r[2]),
    ['lixia'],
    'the group filter applies to the download',
  );
  t.equal((await app.inject('/league?format=pdf')).statusCode, 400);
});

t.test('/league pages through long groups: ranked rows first, then the unranked ones, nothing lost or repeated', async (t) => {
  const { pageOfTable } = await import('../../src/league/table.ts');
  const row = (n: number) => ({ unitId: n }) as never;
  const table = { ranked: Array.from({ length: 7 }, (_, i) => row(i)), unranked: Array.from({ length: 5 }, (_, i) => row(100 + i)) };
  const seen: number[] = [];
  for (let page = 1; page <= 3; page++) {
    const shown = pageOfTable(table, page, 5);
    t.equal(shown.pages, 3);
    seen.push(...[...shown.ranked, ...shown.unranked].map((r: { unitId: number }) => r.unitId));
  }
  t.same(seen, [0, 1, 2, 3, 4, 5, 6, 100, 101, 102, 103, 104], 'every row once, in order');
  t.same(pageOfTable(table, 2, 5).ranked.length, 2, 'page 2 ends the ranked part…');
  t.same(pageOfTable(table, 2, 5).unranked.length, 3, '…and starts the unranked part');
  t.equal(pageOfTable(table, 99, 5).page, 3, 'a page past the end shows the last page');

  const app = await build(t);
  const fx = await seed(app);
  const { LEAGUE_PAGE_SIZE } = await import('../../src/league/routes.ts');
  // One more ranked unit than a page holds.
  for (let i = 0; i <= LEAGUE_PAGE_SIZE; i++) {
    const unit = makeUnit(app, { slug: `dept-${i}`, name: `测试局${String(i).padStart(3, '0')}`, kind: 'institution' }).id;
    record(app, fx, unit, 3, 0);
    addVotes(app, { unitId: unit }, { satisfied: 10 });
  }
  const first = (await app.inject('/league')).body;
  const second = (await app.inject('/league?page=2')).body;
  const rowsOf = (body: string) => (body.match(/class="num league-rank">\d+</g) ?? []).length;
  t.equal(rowsOf(first), LEAGUE_PAGE_SIZE, 'a full first page');
  t.equal(rowsOf(second), 1, 'the last ranked unit on page 2');
  t.match(first, /rel="next" href="\/league\?page=2"/, 'a link to the next page');
  const names = (body: string) => new Set(body.match(/测试局\d{3}/g) ?? []);
  const both = new Set([...names(first), ...names(second)]);
  t.equal(both.size, LEAGUE_PAGE_SIZE + 1, 'every unit on one of the two pages');
  t.equal(names(first).size + names(second).size, both.size, 'no unit on both');
  t.equal((await app.inject('/league?page=abc')).statusCode, 200, 'a page number we cannot use shows page 1');
});
