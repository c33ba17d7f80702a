// What the demo public reported: a few thousand demands across every channel, with fictional
// reporters (names and phone numbers, so privacy can be tested), some claimed into the demo's
// pledges (and resolved with them when they were completed), some declined, some duplicates,
// some suggested to a unit and waiting. Deterministic, with its own seed, so adding demands did
// not change the pledges an earlier load produced.
import fs from 'node:fs';
import { z } from 'zod';
import { STAFF_CHANNELS, type DemandChannel, type DemandStatus } from '../../db/schema.ts';
import { createRandom, type Random } from './random.ts';
import { addDays, daysBetween, instantOn } from './days.ts';
import type { DemoSource } from './source.ts';
import type { PlannedPledge } from './plan.ts';
import { projectPath } from '../paths.ts';

const dataFile = projectPath('data', 'demo', 'demands.json');

const list = z.array(z.string().min(1)).min(1);
const demandsFile = z.object({
  count: z.number().int().min(0).max(50_000),
  problems: z.record(z.string(), list),
  personal: list,
  sources: z.object({ survey: list, reception: list, diary: list, letter: list, other: list }),
  declineReasons: list,
});
export type DemoDemandSource = z.infer<typeof demandsFile>;

export function readDemandSource(): DemoDemandSource {
  const parsed = demandsFile.safeParse(JSON.parse(fs.readFileSync(dataFile, 'utf8')));
  if (!parsed.success) throw new Error(`demo data ${dataFile} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface PlannedDemand {
  channel: DemandChannel;
  source: string;
  externalRef: string | null;
  category: string;
  district: string | null;
  text: string;
  address: string;
  reportedAt: string;
  reporterName: string;
  reporterPhone: string;
  reporterContact: string;
  status: DemandStatus;
  /** Position in DemoPlan.pledges of the pledge that claimed it, or null. */
  pledge: number | null;
  claimedAt: string | null;
  claimedBy: string | null;
  suggestedUnit: string | null;
  declinedBy: string | null;
  declineReason: string;
  /** Position in the demands list of the demand this one duplicates (always earlier), or null. */
  duplicateOf: number | null;
  closedAt: string | null;
  textHidden: boolean;
}

const CHANNEL_WEIGHTS: [DemandChannel, number][] = [
  ['hotline_12345', 55],
  ['web', 20],
  ['survey', 10],
  ['reception', 6],
  ['diary', 4],
  ['letter', 3],
  ['other', 2],
];

function weighted<T>(rng: Random, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1][0];
}

function fill(template: string, values: Record<string, () => string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] ? values[name]() : whole));
}

/** A fictional mobile number: 1[3-9]x and eight digits from the seeded generator. */
function phone(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.int(0, 9)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** A fictional 18-digit ID number (its check digit is not valid). */
function idCard(rng: Random): string {
  return `3701${String(rng.int(0, 99)).padStart(2, '0')}19${rng.int(50, 99)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

export function planDemands(
  source: DemoSource,
  demandSource: DemoDemandSource,
  pledges: PlannedPledge[],
  ctx: { today: string; startsOn: string; seed: number; editors: Map<string, string> },
): PlannedDemand[] {
  const rng = createRandom(ctx.seed + 3);
  const places = source.texts.places;
  const people = source.texts.people;
  const districts = source.units.filter((u) => u.kind === 'district' || u.kind === 'county');
  const categories = source.categories.map((c) => c.slug).filter((slug) => demandSource.problems[slug]);
  const topicUnits = new Map(categories.map((c) => [c, source.units.filter((u) => u.topics.includes(c)).map((u) => u.slug)]));
  // Pledges a unit could have claimed reports into, by category: published unit-level tasks.
  const claimable = new Map<string, number[]>();
  pledges.forEach((p, i) => {
    if (p.tier !== 'unit' || p.status === 'draft' || p.status === 'cancelled' || !p.publishedAt) return;
    claimable.set(p.category, [...(claimable.get(p.category) ?? []), i]);
  });
  const firstDay = addDays(ctx.startsOn, -60);
  const span = daysBetween(firstDay, addDays(ctx.today, -1));
  const name = () => rng.pick(people.surnames) + rng.pick(people.given);
  const out: PlannedDemand[] = [];
  let hotlineSeq = 0;

  for (let i = 0; i < demandSource.count; i++) {
    const channel = weighted(rng, CHANNEL_WEIGHTS);
    const category = rng.pick(categories);
    const district = rng.chance(0.9) ? rng.pick(districts) : null;
    const reportedDay = addDays(firstDay, rng.int(0, span));
    const reporterName = name();
    const reporterPhone = channel === 'web' && rng.chance(0.4) ? '' : phone(rng);
    const values: Record<string, () => string> = {
      ...Object.fromEntries(Object.entries(places).map(([k, v]) => [k, () => rng.pick(v)])),
      phone: () => reporterPhone || phone(rng),
      house: () => `${rng.int(1, 30)}号楼${rng.int(1, 6)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`,
      idcard: () => idCard(rng),
      name: () => reporterName,
      district: () => district?.name ?? '市区',
      n: () => String(rng.int(1, 9)),
    };
    let text = fill(rng.pick(demandSource.problems[category]), values);
    if (rng.chance(0.25)) text += fill(rng.pick(demandSource.personal), values);
    text += '。';
    const road = rng.pick(places.road);
    const address = `${district ? district.name : ''}${road}${rng.int(1, 300)}号${rng.chance(0.5) ? `${rng.int(1, 20)}号楼` : ''}`;
    const isStaff = (STAFF_CHANNELS as readonly string[]).includes(channel);
    out.push({
      channel,
      source: isStaff ? fill(rng.pick(demandSource.sources[channel as keyof DemoDemandSource['sources']]), values) : channel === 'hotline_12345' ? '市12345热线' : '',
      externalRef: channel === 'hotline_12345' ? `RX${reportedDay.replace(/-/g, '')}${String(++hotlineSeq).padStart(5, '0')}` : null,
      category,
      district: district?.slug ?? null,
      text,
      address,
      reportedAt: instantOn(reportedDay, rng.int(0, 600)),
      reporterName: channel === 'web' && rng.chance(0.3) ? '' : reporterName,
      reporterPhone,
      reporterContact: rng.chance(0.1) ? `user${i + 1}@example.com` : '',
      status: 'new',
      pledge: null,
      claimedAt: null,
      claimedBy: null,
      suggestedUnit: null,
      declinedBy: null,
      declineReason: '',
      duplicateOf: null,
      closedAt: null,
      textHidden: rng.chance(0.005),
    });
  }
  out.sort((a, b) => a.reportedAt.localeCompare(b.reportedAt));

  for (const [i, d] of out.entries()) {
    const roll = rng.next();
    const earlier = out.slice(Math.max(0, i - 200), i).map((x, k) => [x, Math.max(0, i - 200) + k] as const);
    const sameProblem = earlier.filter(([x]) => x.category === d.category && x.district === d.district && x.duplicateOf === null && x.status !== 'declined');
    if (roll < 0.1 && sameProblem.length) {
      d.status = 'duplicate';
      d.duplicateOf = rng.pick(sameProblem)[1];
      continue;
    }
    const pledgeChoices = (claimable.get(d.category) ?? []).filter((p) => pledges[p].createdAt.slice(0, 10) >= d.reportedAt.slice(0, 10) || rng.chance(0.5));
    if (roll < 0.5 && pledgeChoices.length) {
      const index = rng.pick(pledgeChoices);
      const p = pledges[index];
      const claimedDay = [p.createdAt.slice(0, 10), d.reportedAt.slice(0, 10)].sort()[1];
      d.pledge = index;
      d.claimedAt = instantOn(claimedDay > ctx.today ? ctx.today : claimedDay, rng.int(0, 600));
      d.claimedBy = ctx.editors.get(p.leadUnit) ?? null;
      d.suggestedUnit = rng.chance(0.5) ? p.leadUnit : null;
      if (p.status === 'completed' && p.completedOn) {
        d.status = 'resolved';
        d.closedAt = instantOn(p.completedOn, 600);
      } else d.status = 'claimed';
      continue;
    }
    if (roll < 0.58) {
      const units = topicUnits.get(d.category) ?? [];
      d.status = 'declined';
      d.declinedBy = units.length && rng.chance(0.7) ? rng.pick(units) : null;
      d.declineReason = rng.pick(demandSource.declineReasons);
      const closedDay = addDays(d.reportedAt.slice(0, 10), rng.int(3, 20));
      d.closedAt = instantOn(closedDay > ctx.today ? ctx.today : closedDay, 300);
      d.suggestedUnit = d.declinedBy;
      continue;
    }
    const units = topicUnits.get(d.category) ?? [];
    if (units.length && rng.chance(0.4)) d.suggestedUnit = rng.pick(units);
  }
  // A duplicate of a report that was itself claimed or declined later follows it; nothing to do:
  // its own row stays 'duplicate' and its counts go to the report it points at.
  return out;
}
