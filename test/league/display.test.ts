// The league page prints rows shaped once per data version and language (src/league/display.ts):
// the figures as the page has always written them, names still escaped per request, and a write
// shows on the next page.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makeUnit } from '../public/fixtures.ts';
import { addVotes, record } from './fixtures.ts';
import { displayRow } from '../../src/league/display.ts';
import { scoreOf } from '../../src/league/ranking.ts';
import type { LeagueRow } from '../../src/league/table.ts';

const figures = {
  pledges: 1234,
  completedOnTime: 1000,
  completedLate: 5,
  overdue: 0,
  cancelled: 0,
  dueOrCompleted: 1200,
  averageProgress: null,
  satisfied: 10000,
  basic: 2000,
  dissatisfied: 345,
  ratings: 12345,
  verified: 1234,
};
const bigUnit: LeagueRow = { unitId: 7, slug: 'big', name: '市大局', kind: 'institution', isServiceWindow: false, ...figures, scored: scoreOf(figures, 10), rank: 1000 };

t.test('a row’s texts: grouped counts, one-decimal rates, "—" for what is missing, the rank as bare digits', async (t) => {
  t.match(displayRow(bigUnit, 'zh-CN'), {
    rank: '1000',
    kind: '事业单位',
    pledges: '1,234',
    completedOnTime: '1,000',
    completedLate: '5',
    overdue: '0',
    hasOverdue: false,
    averageProgress: '—',
    onTimeRate: '83.3%',
    onTimeOf: '（1,000/1,200）',
    onTimeLower: '下限 81.1%',
    satisfactionRate: '97.2%',
    votes: '12,345 条评价 · 其中窗口验证 1,234 条',
    satisfactionLower: '下限 96.9%',
    score: '87.4',
    ratings: '12,345',
    standing: '',
  });
  t.match(displayRow(bigUnit, 'en'), { kind: 'Public institution', votes: '12,345 ratings · 1,234 verified at the window', onTimeLower: 'lower bound 81.1%' });

  const few = { ...figures, dueOrCompleted: 0, completedOnTime: 0, ratings: 3, satisfied: 3, basic: 0, dissatisfied: 0, verified: 0, overdue: 2 };
  const unranked: LeagueRow = { ...bigUnit, ...few, scored: scoreOf(few, 10), rank: null };
  t.match(displayRow(unranked, 'zh-CN'), {
    rank: '',
    score: '',
    onTimeRate: '—',
    satisfactionLower: '下限 —',
    votes: '3 条评价',
    hasOverdue: true,
    standing: '到期或已完成的承诺太少、满意度评价太少',
  });
  t.match(displayRow(unranked, 'en'), { standing: 'too few pledges due or completed, too few ratings' });
});

/** The table row of one unit, whitespace runs made single spaces. */
function rowOf(body: string, slug: string): string {
  const at = body.indexOf(`<a href="/units/${slug}">`);
  const row = body.slice(body.lastIndexOf('<tr>', at), body.indexOf('</tr>', at) + 5);
  return row.replace(/\s+/g, ' ');
}

t.test('/league: a ranked row, cell by cell, in both languages; the unit’s name is escaped', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const unit = makeUnit(app, { slug: 'ab', name: 'A&B<局>', kind: 'institution' }).id;
  record(app, fx, unit, 9, 1);
  addVotes(app, { unitId: unit }, { satisfied: 8, dissatisfied: 1 });
  addVotes(app, { unitId: unit }, { basically_satisfied: 3 }, { verified: true });

  const zh = (await app.inject('/league')).body;
  t.equal(
    rowOf(zh, 'ab'),
    '<tr> <td data-label="名次" class="num league-rank">1</td> ' +
      '<td data-label="单位"><a href="/units/ab">A&amp;B&lt;局&gt;</a> <span class="meta">事业单位</span></td> ' +
      `<td data-label="公开承诺" class="num"><a href="/pledges?unit=ab&amp;campaign=${fx.campaignId}">10</a></td> ` +
      '<td data-label="按期完成" class="num">9</td> ' +
      '<td data-label="逾期完成" class="num">0</td> ' +
      '<td data-label="当前逾期" class="num has-overdue">1</td> ' +
      '<td data-label="平均进度" class="num">95%</td> ' +
      '<td data-label="按期完成率" class="num">90% <span class="meta">（9/10）</span><br><span class="meta">下限 59.6%</span></td> ' +
      '<td data-label="满意率" class="num">91.7% <span class="meta">12 条评价 · 其中窗口验证 3 条</span><br><span class="meta">下限 64.6%</span></td> ' +
      '<td data-label="综合得分" class="num league-score">61.6</td> </tr>',
  );
  const en = (await app.inject('/league?lang=en')).body;
  t.equal(
    rowOf(en, 'ab'),
    '<tr> <td data-label="Rank" class="num league-rank">1</td> ' +
      '<td data-label="Unit"><a href="/units/ab">A&amp;B&lt;局&gt;</a> <span class="meta">Public institution</span></td> ' +
      `<td data-label="Published pledges" class="num"><a href="/pledges?unit=ab&amp;campaign=${fx.campaignId}">10</a></td> ` +
      '<td data-label="Completed on time" class="num">9</td> ' +
      '<td data-label="Completed late" class="num">0</td> ' +
      '<td data-label="Overdue now" class="num has-overdue">1</td> ' +
      '<td data-label="Average progress" class="num">95%</td> ' +
      '<td data-label="On-time rate" class="num">90% <span class="meta">(9/10)</span><br><span class="meta">lower bound 59.6%</span></td> ' +
      '<td data-label="Satisfaction" class="num">91.7% <span class="meta">12 ratings · 3 verified at the window</span><br><span class="meta">lower bound 64.6%</span></td> ' +
      '<td data-label="Score" class="num league-score">61.6</td> </tr>',
  );
});

t.test('/league: an unranked row, and the figures after a write are the new ones in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx, fx.unitA.id, 1, 0);
  addVotes(app, { unitId: fx.unitA.id }, { satisfied: 4 });
  const before = (await app.inject('/league')).body;
  t.equal(
    rowOf(before, fx.unitA.slug),
    '<tr> <td data-label="单位"><a href="/units/water-bureau">市水务局</a> <span class="meta">市直部门</span></td> ' +
      '<td data-label="公开承诺" class="num">1</td> ' +
      '<td data-label="按期完成率" class="num">100% <span class="meta">（1/1）</span></td> ' +
      '<td data-label="当前逾期" class="num">0</td> ' +
      '<td data-label="有效评价数" class="num">4</td> ' +
      '<td data-label="排名情况">到期或已完成的承诺太少、满意度评价太少</td> </tr>',
  );
  t.match(rowOf((await app.inject('/league?lang=en')).body, fx.unitA.slug), '<td data-label="Counted ratings" class="num">4</td>');

  addVotes(app, { unitId: fx.unitA.id }, { dissatisfied: 1 });
  t.match(rowOf((await app.inject('/league')).body, fx.unitA.slug), '<td data-label="有效评价数" class="num">5</td>', 'the vote is counted on the next page');
  t.match(rowOf((await app.inject('/league?lang=en')).body, fx.unitA.slug), '<td data-label="Counted ratings" class="num">5</td>', 'in English too');
});

t.test('one scan of the pledges and one of the votes per data version serve the page in both languages, the home page and the API; a vote scans only the votes', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  record(app, fx, fx.unitA.id, 3, 0);
  addVotes(app, { unitId: fx.unitA.id }, { satisfied: 10 });
  // Counts runs of the league's two grouped queries, whichever statement object runs them.
  const statement = Object.getPrototypeOf(app.db.$client.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown };
  const all = statement.all;
  const scans = { pledges: 0, votes: 0 };
  statement.all = function (this: { source: string }, ...args: unknown[]) {
    if (this.source.includes('GROUP BY pledges.lead_unit_id')) scans.pledges++;
    if (this.source.includes('FROM rating_tallies') && this.source.includes('p.lead_unit_id')) scans.votes++;
    return all.apply(this, args);
  };
  t.teardown(() => {
    statement.all = all;
  });
  for (const url of ['/league', '/league?lang=en', '/api/v1/league', '/league?page=2', '/league?group=districts']) t.equal((await app.inject(url)).statusCode, 200, url);
  t.same(scans, { pledges: 1, votes: 1 }, 'each scanned once, for every group');
  addVotes(app, { unitId: fx.unitA.id }, { satisfied: 1 });
  await app.inject('/league?lang=en');
  await app.inject('/league');
  t.same(scans, { pledges: 1, votes: 2 }, 'a vote: the votes scanned again once, the pledges not');
  record(app, fx, fx.unitA.id, 1, 0);
  await app.inject('/league');
  t.same(scans, { pledges: 2, votes: 3 }, 'a pledge: both scanned again');
});
