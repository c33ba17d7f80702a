// Outlets and pledges for the press desk's tests.
import type { FastifyInstance } from 'fastify';
import { outlets, pledges } from '../../db/schema.ts';
import type { Agent, Fixtures } from '../helpers.ts';
import { addDays, makePledge } from '../public/fixtures.ts';

export { addDays, makePledge };

export function addOutlets(app: FastifyInstance) {
  const mk = (name: string, kind: 'newspaper' | 'tv' | 'radio', language: 'zh-CN' | 'en' = 'zh-CN') =>
    app.db.insert(outlets).values({ name, kind, language }).returning().get().id;
  return { daily: mk('济南日报', 'newspaper'), tv: mk('济南电视台', 'tv'), radio: mk('济南人民广播电台', 'radio'), english: mk('Jinan Daily English', 'newspaper', 'en') };
}

/** n published pledges in one statement (for the whole-campaign notice). */
export function manyPledges(app: FastifyInstance, fx: Fixtures, n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    campaignId: fx.campaignId,
    leadUnitId: i % 2 ? fx.unitA.id : fx.unitB.id,
    title: `第${i + 1}项：改造老旧小区供水管网${(i % 7) + 1}公里，惠及居民${1000 + i}户`,
    commitment: '完成改造并通水',
    standard: '水压达标，居民满意率85%以上',
    startOn: addDays(fx.today, -100),
    dueOn: addDays(fx.today, (i % 60) - 20),
    status: (['pledged', 'in_progress', 'delayed', 'completed'] as const)[i % 4],
    completedOn: i % 4 === 3 ? addDays(fx.today, -5) : null,
    progress: i % 4 === 3 ? 100 : (i * 7) % 100,
    publishedAt: new Date().toISOString(),
  }));
  for (let i = 0; i < rows.length; i += 500) app.db.insert(pledges).values(rows.slice(i, i + 500)).run();
}

/** The hidden fields and fingerprint of a preview page, as the browser would submit them. */
export function previewForm(body: string): Record<string, string> {
  const form: Record<string, string> = {};
  const publish = body.slice(body.indexOf('action="/press/publish"'));
  for (const m of publish.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (m[1] !== '_csrf') form[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  return form;
}

/** Previews a selection and publishes it with the given fields; returns the response. */
export async function publish(agent: Agent, selection: string, fields: Record<string, string>) {
  const preview = await agent.request({ url: `/press/preview?${selection}` });
  if (preview.statusCode !== 200) throw new Error(`preview ${selection}: ${preview.statusCode}`);
  return agent.request({ method: 'POST', url: '/press/publish', form: { ...previewForm(preview.body), publishedOn: '2026-05-01', ...fields } });
}
