// A chart is a drawing of figures that are themselves kept for one data version
// (src/cache/aggregates.ts): drawn once per data version and language as well, SVG, legend and
// table of numbers (views/partials/chart.eta), and encoded to UTF-8 (src/plugins/page-bytes.ts),
// not on every request that misses the page cache (a signed-in visitor, the other language, a
// new query string). The drawings have their own,
// smaller memo: a crawler walking every unit page must not push the home page's figures out of
// the figures' memo.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WriteCounter } from '../cache/write-counters.ts';
import { chartContext, type ChartBlock, type ChartContext } from './pledge-charts.ts';
import { KeptHtml } from '../plugins/page-bytes.ts';

/** A chart to draw, and the level of its own heading (none when the section's heading names it). */
export interface ChartToDraw {
  block: ChartBlock;
  level?: 2 | 3;
}

/**
 * The charts `draw` makes, as HTML in the request's language, for `key` at the current data
 * version. `key` must name everything the drawing depends on besides the data and the language
 * (the campaign, the unit, the category); `draw` may read only figures that are a function of
 * the data version, and `reads` names the write counters of what they read (see
 * AggregateMemo.get: [] for figures of the public record alone).
 */
export function keptCharts<K extends string>(
  app: FastifyInstance,
  request: FastifyRequest,
  key: string,
  reads: readonly WriteCounter[],
  draw: (ctx: ChartContext) => Record<K, ChartToDraw>,
): Promise<Record<K, KeptHtml>> {
  const locale = request.locale;
  return app.drawings.get(`${key}\u0000${locale}`, async () => {
    const charts = draw(chartContext(request));
    const html = {} as Record<K, KeptHtml>;
    for (const name of Object.keys(charts) as K[]) {
      const { block, level } = charts[name];
      // Encoded once here; a page that prints it copies the bytes (src/plugins/page-bytes.ts).
      html[name] = new KeptHtml(app.renderPartial('partials/chart', locale, level ? { c: block, level } : { c: block }));
    }
    return html;
  }, reads);
}
