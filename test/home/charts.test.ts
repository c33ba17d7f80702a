// The home page's charts for a known campaign: every bar, label, title and table row the page
// draws, in both languages, the rows past twelve summed into one, and fresh after a write.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, seed, type Fixtures } from '../helpers.ts';
import { addDays, makePledge, makeUnit } from '../public/fixtures.ts';

/** One chart's SVG on a page, by the chart's id. */
function chart(html: string, id: string): string {
  const m = new RegExp(`<svg [^>]*aria-labelledby="${id}-title ${id}-desc"[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no chart ${id}`);
  return m[0];
}

/** The widths of the bars drawn with one class, in drawing order (each bar a sub-path `M x y h w v h h -w z`). */
function widths(svg: string, cls: string): number[] {
  return [...svg.matchAll(new RegExp(`<path class="${cls}"[^>]* d="([^"]*)"`, 'g'))].flatMap((p) => [...p[1].matchAll(/M[\d.]+ [\d.]+h([\d.]+)v[\d.]+h-[\d.]+z/g)].map((m) => Number(m[1])));
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** The rows of a chart's data table, each as its cells' text (tags dropped). */
function tableRows(html: string, id: string): string[][] {
  const block = html.slice(html.indexOf(`id="${id}-block"`));
  const body = block.slice(block.indexOf('<tbody>'), block.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<span class="visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').trim()),
  );
}

const close = (a: number, b: number) => Math.abs(a - b) < 0.2;

/** Six published pledges in the district and category, one in each part of the completion chart (two on time). */
function knownCampaign(app: FastifyInstance, fx: Fixtures) {
  const d = (n: number) => addDays(fx.today, n);
  const at = { categoryId: fx.categoryId, districtUnitId: fx.districtId };
  makePledge(app, fx, { ...at, status: 'completed', progress: 100, dueOn: d(-10), completedOn: d(-12) });
  makePledge(app, fx, { ...at, status: 'completed', progress: 100, dueOn: d(-10), completedOn: d(-11) });
  makePledge(app, fx, { ...at, status: 'completed', progress: 100, dueOn: d(-10), completedOn: d(-5) });
  makePledge(app, fx, { ...at, status: 'in_progress', dueOn: d(10) });
  makePledge(app, fx, { ...at, status: 'in_progress', dueOn: d(-1) });
  makePledge(app, fx, { ...at, status: 'cancelled', statusReason: '合并', dueOn: d(-2) });
}

t.test('the home page draws a known campaign: status bars, completion parts, labels and tables', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  knownCampaign(app, fx);
  const zh = (await app.inject('/')).body;

  const status = chart(zh, 'chart-status');
  t.match(status, '<title id="chart-status-title">事项状态分布</title>');
  t.match(status, '共 6 项公开承诺');
  t.same(texts(status), ['已承诺', '推进中', '滞后', '逾期', '按期完成', '逾期完成', '已撤销', '0', '1', '0', '1', '2', '1', '1'], 'every status labelled, its count beside its bar');
  t.equal(widths(status, 'track').length, 7, 'a track for every status');
  const [onTime] = widths(status, 'tone-ok');
  const [late] = widths(status, 'tone-late');
  t.ok(close(onTime, 2 * late), `bar lengths follow the counts (${onTime} against ${late})`);
  t.same(widths(status, 'tone-pledged'), [], 'no bar for a status with no pledge');
  t.same(widths(status, 'hatch'), [...widths(status, 'tone-overdue'), ...widths(status, 'tone-late')], 'overdue and late are striped');

  const district = chart(zh, 'chart-district');
  t.match(district, '<title id="chart-district-title">各区县完成情况</title>');
  t.same(texts(district), ['历下区', '50%'], 'the district named, its completed share at the end');
  const parts = ['tone-ok', 'tone-late', 'tone-open', 'tone-overdue', 'tone-cancelled'].map((cls) => widths(district, cls)[0]);
  t.ok(parts.every((w) => w > 0) && close(parts[0], 2 * parts[1]) && close(parts[1], parts[2]) && close(parts[2], parts[3]) && close(parts[3], parts[4]), `parts split 2:1:1:1:1 (${parts.join(', ')})`);
  t.ok(close(parts.reduce((a, b) => a + b, 0), widths(district, 'track')[0]), 'the parts fill the track');
  t.same(tableRows(zh, 'chart-district'), [['历下区', '6', '2', '1', '1', '1', '1', '50%']]);
  t.match(zh, `<th scope="row" data-label="区县"><a href="/pledges?campaign=${fx.campaignId}&amp;district=lixia">历下区</a></th>`, 'the row links to the district\'s pledges');
  t.match(zh, '<ul class="chart-legend"><li><span class="swatch swatch-ok"></span>按期完成</li><li><span class="swatch swatch-late"></span>逾期完成</li>');
  t.same(tableRows(zh, 'chart-category'), [['供水供气供暖', '6', '2', '1', '1', '1', '1', '50%']]);
  t.same(tableRows(zh, 'chart-status').at(-1), ['合计', '6', '100%']);
  t.match(chart(zh, 'chart-monthly'), '<title id="chart-monthly-title">每月到期与完成</title>');
  t.notMatch(zh, '各单位完成情况全表', 'no link to every unit when no district was folded');

  const en = (await app.inject('/?lang=en')).body;
  t.match(chart(en, 'chart-status'), '6 published pledges');
  t.same(texts(chart(en, 'chart-category')), ['Water, gas and h…', '50%'], 'the category in English, cut to fit beside its bar');
  t.same(tableRows(en, 'chart-category')[0][0], 'Water, gas and heating', 'and whole in the table');
});

t.test('past twelve districts the rest are summed into one row named in the page\'s language', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // Fourteen more districts, district i leading i + 1 pledges: with lixia's one, fifteen rows.
  for (let i = 0; i < 14; i++) {
    const unit = makeUnit(app, { slug: `district-${i}`, name: `第${i}区`, kind: 'district' });
    for (let k = 0; k <= i; k++) makePledge(app, fx, { districtUnitId: unit.id, status: k === 0 ? 'completed' : 'in_progress', progress: k === 0 ? 100 : 10, completedOn: k === 0 ? fx.today : null });
  }
  makePledge(app, fx, { districtUnitId: fx.districtId });

  const zh = (await app.inject('/')).body;
  const rows = tableRows(zh, 'chart-district');
  t.equal(rows.length, 12, 'eleven districts and one row for the rest');
  t.same(
    rows.slice(0, 11).map((r) => r[0]),
    ['第10区', '第11区', '第12区', '第13区', '第3区', '第4区', '第5区', '第6区', '第7区', '第8区', '第9区'],
    'the eleven with most pledges, in their own order',
  );
  // Left out: 历下区 (1 pledge), 第0区 (1), 第1区 (2), 第2区 (3), each with one completed but lixia.
  t.same(rows[11], ['其他 4 个', '7', '3', '0', '4', '0', '0', '43%'], 'the rest summed');
  t.equal(texts(chart(zh, 'chart-district')).filter((x) => x === '其他 4 个').length, 1, 'and drawn as one bar');
  t.match(zh, '<a href="/units">各单位完成情况全表</a>', 'the page links to every unit\'s figures');

  const en = (await app.inject('/?lang=en')).body;
  t.equal(tableRows(en, 'chart-district')[11][0], '4 others');
  t.match(en, 'Every unit&#39;s figures');
});

t.test('the charts follow a write: the figures are kept per data version, not per request', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  knownCampaign(app, fx);
  t.same(tableRows((await app.inject('/')).body, 'chart-district')[0].slice(0, 2), ['历下区', '6']);
  makePledge(app, fx, { districtUnitId: fx.districtId, categoryId: fx.categoryId });
  const after = (await app.inject('/')).body;
  t.same(tableRows(after, 'chart-district')[0].slice(0, 2), ['历下区', '7'], 'a new pledge is counted on the next request');
  t.match(chart(after, 'chart-status'), '共 7 项公开承诺');
});
