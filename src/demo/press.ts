// Demo press notices: the outlets of the source campaign (and one English-language outlet), and a
// few small published notices for each kind of outlet — one of them a correction — rendered with
// the real renderers and stored as any publication is. Runs last: it prints the demo's pledges.
import { eq } from 'drizzle-orm';
import { campaigns, outlets, users, type OutletKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { createPledgeQueries, type PledgeFilter } from '../pledges/queries.ts';
import { createPressRepository } from '../press/repository.ts';
import { createOutletRepository } from '../press/outlets-repository.ts';
import { buildNoticeDocument } from '../press/document.ts';
import { createUnitRepository } from '../units/repository.ts';
import { addDays } from './days.ts';
import { createRandom } from './random.ts';
import type { DemoExtra } from './extras.ts';

const OUTLETS: { name: string; kind: OutletKind; language: 'zh-CN' | 'en' }[] = [
  { name: '济南日报', kind: 'newspaper', language: 'zh-CN' },
  { name: '济南电视台', kind: 'tv', language: 'zh-CN' },
  { name: '济南人民广播电台', kind: 'radio', language: 'zh-CN' },
  { name: 'Jinan Daily (English edition)', kind: 'newspaper', language: 'en' },
];

/** Pledges per demo notice: small, so loading the demo stays quick. */
const ROWS = 6;

export const seedPress: DemoExtra = async (db: Db, ctx) => {
  const campaign = db.select().from(campaigns).orderBy(campaigns.id).get();
  if (!campaign) return;
  const random = createRandom(4404);
  const outletRepo = createOutletRepository(db);
  const press = createPressRepository(db);
  const queries = createPledgeQueries(db, { fallbackZone: ctx.timeZone });
  const pressUser = db.select({ id: users.id, username: users.username }).from(users).where(eq(users.username, 'press')).get();
  const actor = { userId: pressUser?.id ?? null, username: pressUser?.username ?? 'demo' };

  const byName = new Map<string, number>();
  OUTLETS.forEach((o, i) => {
    const existing = db.select({ id: outlets.id }).from(outlets).where(eq(outlets.name, o.name)).get();
    byName.set(o.name, existing?.id ?? db.insert(outlets).values({ ...o, sortOrder: i }).returning({ id: outlets.id }).get().id);
  });

  const water = (await createUnitRepository(db).bySlug('shuiwu'))?.unit.id;
  async function pick(filter: PledgeFilter, n = ROWS): Promise<number[]> {
    const ids = await queries.ids({ campaignId: campaign!.id, ...filter });
    return random.sample(ids, Math.min(n, ids.length));
  }

  const notices: { outlet: string; noticeNo: string; edition?: string; daysAgo: number; ids: number[]; correctsNo?: string; options?: { radioMinutes?: number; crawlWidth?: number } }[] = [];
  const overdue = await pick({ status: 'overdue' }, ROWS + 1);
  notices.push(
    { outlet: '济南日报', noticeNo: '第1号', edition: 'A2', daysAgo: 40, ids: await pick({ tier: 'major', topLevel: true }) },
    { outlet: '济南日报', noticeNo: '第2号', edition: 'A3', daysAgo: 12, ids: overdue },
    // A correction: the same notice less one pledge printed by mistake, naming the notice it corrects.
    { outlet: '济南日报', noticeNo: '第3号', edition: 'A3', daysAgo: 10, ids: overdue.slice(1), correctsNo: '第2号' },
    { outlet: '济南电视台', noticeNo: '第1期', daysAgo: 20, ids: await pick({ status: 'completed' }), options: { crawlWidth: 48 } },
    { outlet: '济南人民广播电台', noticeNo: '第1期', daysAgo: 15, ids: await pick(water ? { leadUnitId: water } : { tier: 'unit' }), options: { radioMinutes: 2 } },
    { outlet: 'Jinan Daily (English edition)', noticeNo: 'No. 1', daysAgo: 8, ids: await pick({ tier: 'major', topLevel: true }) },
  );

  const published = new Map<string, { id: number; publishedOn: string }>();
  for (const n of notices) {
    if (!n.ids.length) continue;
    const outletId = byName.get(n.outlet)!;
    const outlet = (await outletRepo.get(outletId))!;
    const publishedOn = addDays(ctx.today, -n.daysAgo);
    const corrected = n.correctsNo ? published.get(`${n.outlet}|${n.correctsNo}`) : undefined;
    const doc = buildNoticeDocument(await press.rows(n.ids), {
      outlet,
      campaign,
      noticeNo: n.noticeNo,
      edition: n.edition ?? '',
      publishedOn,
      title: '',
      corrects: corrected && n.correctsNo ? { outletName: outlet.name, noticeNo: n.correctsNo, publishedOn: corrected.publishedOn } : null,
      publicUrl: ctx.publicUrl,
    });
    // Per-pledge caption cards for the TV notice; the others get the title and unit summary cards,
    // which keeps loading the demo quick (a card is the slowest file to render).
    const files = await (await renderers()).renderAll(doc, { columns: 3, cardsPerPledgeMax: outlet.kind === 'tv' ? undefined : 0, ...n.options });
    const { id } = await press.publish(actor, {
      campaignId: campaign.id,
      outletId,
      kind: outlet.kind,
      language: outlet.language,
      noticeNo: n.noticeNo,
      edition: n.edition ?? '',
      publishedOn,
      title: doc.title,
      correctsId: corrected?.id ?? null,
      selection: { campaignId: campaign.id, outletId, set: null, demo: true, options: n.options ?? {} },
      snapshot: doc,
      pledgeIds: doc.groups.flatMap((g) => g.rows.map((r) => r.pledgeId)),
      files,
    });
    published.set(`${n.outlet}|${n.noticeNo}`, { id, publishedOn });
  }
};

/**
 * The renderers (pdfkit, fontkit, docx, resvg) are loaded only when the demo is: a deployment
 * without the demo never holds them in the server's memory (it renders in a child process).
 */
function renderers() {
  return import('../press/files.ts');
}
