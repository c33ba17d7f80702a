// Hundreds of units each leading one published pledge, for the pages that change shape at city
// scale. One insert per table: the public tests stay fast without the app growing a test setting.
import type { FastifyInstance } from 'fastify';
import { pledges, units } from '../../db/schema.ts';
import type { Fixtures } from '../helpers.ts';
import { addDays } from './fixtures.ts';

/** Adds n street offices (slugs street-0…, names "第0街道办事处"…) each leading one published pledge. */
export function addLeadUnits(app: FastifyInstance, fx: Fixtures, n: number, name = (i: number) => `第${i}街道办事处`): { id: number; slug: string }[] {
  return app.db.transaction((tx) => {
    const made = tx
      .insert(units)
      .values(Array.from({ length: n }, (_, i) => ({ slug: `street-${i}`, name: name(i), kind: 'street' as const })))
      .returning({ id: units.id, slug: units.slug })
      .all();
    tx.insert(pledges)
      .values(
        made.map((u) => ({
          campaignId: fx.campaignId,
          leadUnitId: u.id,
          title: '街道承诺事项',
          commitment: '承诺内容',
          standard: '完成标准',
          startOn: addDays(fx.today, -60),
          dueOn: addDays(fx.today, 30),
          status: 'in_progress' as const,
          publishedAt: new Date().toISOString(),
        })),
      )
      .run();
    return made;
  });
}
