// Charts are drawn once per data version and language (src/charts/kept.ts): with the page cache
// off, every page that draws them shows a write at once, each language gets its own drawing,
// and the home page's satisfaction chart follows a new rating.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { keptCharts } from '../../src/charts/kept.ts';
import { statusChart, type ChartContext } from '../../src/charts/pledge-charts.ts';
import { translator } from '../../src/i18n/index.ts';
import type { StatusCounts } from '../../src/stats/repository.ts';

/** The "合计"/"Total" row of the status chart's table: the count of pledges the chart shows. */
function statusTotal(html: string): string {
  const block = html.slice(html.indexOf('id="chart-status-block"'));
  const rows = block.slice(0, block.indexOf('</tbody>'));
  const last = [...rows.matchAll(/<tr><th scope="row"[^>]*>([^<]*)<\/th><td[^>]*>([^<]*)<\/td>/g)].at(-1);
  if (!last) throw new Error('no status table');
  return `${last[1]} ${last[2]}`;
}

t.test('home, unit and category charts follow a write and keep their languages apart (page cache off)', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const fx = await seed(app);
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId });
  const pages = ['/', `/units/${fx.unitA.slug}`, '/categories/water'];
  for (const url of pages) {
    t.equal(statusTotal((await app.inject(url)).body), '合计 1', `${url}: drawn`);
    t.equal(statusTotal((await app.inject(`${url}${url.includes('?') ? '&' : '?'}lang=en`)).body), 'Total 1', `${url}: drawn again in English, not the Chinese drawing`);
    t.equal(statusTotal((await app.inject(url)).body), '合计 1', `${url}: the Chinese drawing is still Chinese`);
  }
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId });
  for (const url of pages) t.equal(statusTotal((await app.inject(url)).body), '合计 2', `${url}: the new pledge is drawn on the next request`);
});

t.test('a drawing is made once per data version and again after a write', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const fx = await seed(app);
  makePledge(app, fx, {});
  let draws = 0;
  const request = { locale: 'zh-CN', t: translator('zh-CN') } as Parameters<typeof keptCharts>[1];
  const counts: StatusCounts = { pledged: 1, in_progress: 0, delayed: 0, overdue: 0, completed_on_time: 0, completed_late: 0, cancelled: 0 };
  const draw = (ctx: ChartContext) => {
    draws++;
    return { status: { block: statusChart('chart-status', counts, ctx) } };
  };
  const first = await keptCharts(app, request, 'test:a', [], draw);
  t.match(first.status, /<figure class="chart-block" id="chart-status-block">/, 'the partial drew the chart block');
  await keptCharts(app, request, 'test:a', [], draw);
  t.equal(draws, 1, 'drawn once while nothing changed');
  makePledge(app, fx, {});
  await keptCharts(app, request, 'test:a', [], draw);
  t.equal(draws, 2, 'drawn again after a write');
});
