// The section registry: blocks in their slot in order, a loader's null leaves its block out, and
// a 'data' section is no block at all, only data the page's template reads by name.
import t from 'tap';
import Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import sectionsPlugin from '../../src/plugins/sections.ts';

t.test('sections load into their slots; data sections only into data', async (t) => {
  const app = Fastify();
  await app.register(sectionsPlugin);
  t.teardown(() => app.close());
  const loaded: string[] = [];
  const section = (template: string, slot: 'head' | 'main' | 'aside' | 'data', order: number, data: Record<string, unknown> | null) => ({
    template,
    slot,
    order,
    async load() {
      loaded.push(template);
      return data;
    },
  });
  app.sections.add('home', section('/b/_second', 'main', 20, { b: 2 }));
  app.sections.add('home', section('/a/_first', 'main', 10, { a: 1 }));
  app.sections.add('home', section('/c/_aside', 'aside', 0, { c: 3 }));
  app.sections.add('home', section('/d/_nothing', 'main', 0, null));
  app.sections.add('home', section('figures', 'data', 0, { figures: [1, 2] }));
  app.sections.add('admin', section('/e/_admin', 'main', 0, { e: 5 }));

  const out = await app.sections.load('home', { campaignId: 1, today: '2025-01-01' }, {} as FastifyRequest);
  t.same(out.main, [
    { template: '/a/_first', data: { a: 1 } },
    { template: '/b/_second', data: { b: 2 } },
  ], 'in order; a null leaves its block out');
  t.same(out.aside, [{ template: '/c/_aside', data: { c: 3 } }]);
  t.same(out.head, []);
  t.same(out.data, { figures: { figures: [1, 2] } }, 'a data section is found by its name and is in no slot');
  t.notOk(loaded.includes('/e/_admin'), "another page's sections are not loaded");

  const empty = await app.sections.load('unit', { unitId: 1, slug: 'u', name: 'U', active: true, isServiceWindow: false, kind: 'district' }, {} as FastifyRequest);
  t.same(empty, { head: [], main: [], aside: [], data: {} }, 'a page without sections');
});
