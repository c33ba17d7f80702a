// Builds the demo campaign from the source data: the 10 city-level major items with their
// sub-tasks, and the tasks units claimed, each in a planned outcome (every status, some
// overdue, some completed late) with a dated timeline that explains every status change.
// Deterministic: the same source and the same day give the same plan. This file decides what the
// demo holds; how each pledge is written (dates, status, timeline, texts) is pledge-writer.ts.
import { DISTRICT_KINDS, type UnitKind } from '../../db/schema.ts';
import { createRandom, type Random } from './random.ts';
import { addDays, daysBetween, instantOn } from './days.ts';
import type { DemoSource, DemoUnit } from './source.ts';
import { planDemands, readDemandSource } from './demands.ts';
import type { DemoPlan, PlannedAmendment, PlannedDeadlineChange, PlannedPledge } from './plan.ts';
import { STATUS_OF, basePledge, fill, publish, settle, slotValues, timeline, type Outcome, type PlanContext } from './pledge-writer.ts';

/** Share of each outcome among the tasks units claimed (relative weights). */
const UNIT_OUTCOMES: Record<Outcome, number> = {
  draft: 5,
  pledged: 8,
  pledged_overdue: 1.5,
  in_progress: 30,
  in_progress_overdue: 5,
  delayed: 6,
  delayed_overdue: 3.5,
  completed_on_time: 26,
  completed_late: 7,
  cancelled: 3,
};

/** Sub-tasks of a major item are public and mostly moving. */
const SUBTASK_OUTCOMES: [Outcome, number][] = [
  ['in_progress', 45],
  ['completed_on_time', 25],
  ['completed_late', 5],
  ['delayed', 10],
  ['pledged', 5],
  ['in_progress_overdue', 5],
];

const SHARE_WITH_DEADLINE_CHANGES = 0.12;
const AMENDMENTS = 10;

export function generateDemoPlan(source: DemoSource, today: string, timeZone: string): DemoPlan {
  const startsOn = addDays(today, -source.campaign.startedDaysAgo);
  const endsOn = addDays(today, source.campaign.endsInDays);
  const ctx: PlanContext = {
    rng: createRandom(source.campaign.seed),
    source,
    today,
    startsOn,
    endsOn,
    units: new Map(source.units.map((u) => [u.slug, u])),
    districts: source.units.filter((u) => DISTRICT_KINDS.includes(u.kind)),
    editors: new Map(source.accounts.filter((a) => a.unit).map((a) => [a.unit!, a.username])),
    templates: new Map(),
  };

  const pledges: PlannedPledge[] = [];
  for (const item of source.majorItems) addMajorItem(ctx, pledges, item);
  addUnitPledges(ctx, pledges);
  addDeadlineChanges(ctx, pledges);
  addAmendments(ctx, pledges);

  const c = source.campaign;
  return {
    campaign: { slug: c.slug, name: c.name, description: c.description, issuingOffice: c.issuingOffice, startsOn, endsOn, timeZone },
    categories: source.categories,
    units: source.units.map((u) => ({
      slug: u.slug,
      name: u.name,
      kind: u.kind,
      parent: u.parent ?? null,
      isServiceWindow: u.window ?? false,
      contactPhone: u.phone ?? '',
    })),
    accounts: source.accounts.map((a) => ({ username: a.username, role: a.role, unit: a.unit ?? null, displayName: a.displayName })),
    pledges,
    demands: planDemands(source, readDemandSource(), pledges, { today, startsOn, seed: source.campaign.seed, editors: ctx.editors }),
  };
}

// ---------------------------------------------------------------- major items

function addMajorItem(ctx: PlanContext, pledges: PlannedPledge[], item: DemoSource['majorItems'][number]): void {
  const { rng } = ctx;
  const majorIndex = pledges.length;
  // Filled in once the sub-tasks are known: a major item's progress rolls up from them.
  const major: PlannedPledge = {
    ...basePledge(ctx, item.lead, item.category, null),
    tier: 'major',
    title: item.title,
    commitment: item.commitment,
    standard: item.standard,
    leadOfficial: item.leadOfficial,
    coUnits: item.coUnits,
    startOn: ctx.startsOn,
    dueOn: ctx.endsOn,
  };
  pledges.push(major);

  const subtasks: PlannedPledge[] = [];
  for (const [i, task] of item.subtasks.entries()) {
    // Half-way through the campaign no city-level item is finished: its last sub-task is still open.
    const open = i === item.subtasks.length - 1 && subtasks.every((s) => s.status === 'completed');
    const outcome = weighted(rng, open ? SUBTASK_OUTCOMES.filter(([o]) => STATUS_OF[o] !== 'completed') : SUBTASK_OUTCOMES);
    const startOn = addDays(ctx.startsOn, rng.int(0, 20));
    const sub: PlannedPledge = {
      ...basePledge(ctx, task.lead, item.category, districtFor(ctx, task.lead, 0)),
      parent: majorIndex,
      title: task.title,
      commitment: task.commitment,
      standard: task.standard,
      startOn,
    };
    settle(ctx, sub, outcome, major.dueOn);
    subtasks.push(sub);
    pledges.push(sub);
  }

  const progress = Math.round(subtasks.reduce((sum, s) => sum + s.progress, 0) / subtasks.length);
  major.status = 'in_progress';
  major.progress = Math.max(5, Math.min(95, progress));
  major.updates = timeline(ctx, major, 4 + rng.int(0, 2));
  publish(ctx, major);
}

// ---------------------------------------------------------------- unit pledges

function addUnitPledges(ctx: PlanContext, pledges: PlannedPledge[]): void {
  const { rng, source } = ctx;
  const claims: { unit: DemoUnit; count: number }[] = source.units.map((unit) => ({ unit, count: unit.claims ?? defaultClaims(rng, unit.kind) }));
  const total = claims.reduce((sum, c) => sum + c.count, 0);
  const outcomes = deck(rng, UNIT_OUTCOMES, total);

  let next = 0;
  for (const { unit, count } of claims) {
    const templates = rng.shuffle(unit.topics.flatMap((topic) => source.templates.categories[topic].map((t) => ({ topic, t }))));
    for (let i = 0; i < count; i++) {
      const { topic, t } = templates[i % templates.length];
      const district = districtFor(ctx, unit.slug, 0.6);
      const slots = slotValues(ctx, district);
      const p: PlannedPledge = {
        ...basePledge(ctx, unit.slug, topic, district),
        ...fill(t, slots),
        coUnits: rng.chance(0.15) ? coUnitsFor(ctx, unit, topic, district) : [],
        startOn: addDays(ctx.startsOn, rng.int(0, 60)),
      };
      settle(ctx, p, outcomes[next++], ctx.endsOn);
      ctx.templates.set(p, t);
      pledges.push(p);
    }
  }
}

function defaultClaims(rng: Random, kind: UnitKind): number {
  if (kind === 'township' || kind === 'street' || kind === 'community' || kind === 'village') return weighted(rng, [[0, 40], [1, 50], [2, 10]]);
  return weighted(rng, [[0, 25], [1, 50], [2, 20], [3, 5]]);
}

/** The district a pledge is about: a district's own, a township's parent district, or (for city units) sometimes one. */
function districtFor(ctx: PlanContext, unitSlug: string, cityChance: number): string | null {
  let unit = ctx.units.get(unitSlug);
  while (unit) {
    if (DISTRICT_KINDS.includes(unit.kind)) return unit.slug;
    unit = unit.parent ? ctx.units.get(unit.parent) : undefined;
  }
  return ctx.rng.chance(cityChance) ? ctx.rng.pick(ctx.districts).slug : null;
}

function coUnitsFor(ctx: PlanContext, lead: DemoUnit, topic: string, district: string | null): string[] {
  const peers = ctx.source.units.filter((u) => u.slug !== lead.slug && u.topics.includes(topic) && !DISTRICT_KINDS.includes(u.kind) && u.kind !== 'township' && u.kind !== 'street' && u.kind !== 'community');
  const chosen = ctx.rng.sample(peers, ctx.rng.int(1, 2)).map((u) => u.slug);
  if (district && !isWithin(ctx, lead.slug, district)) chosen.push(district);
  return chosen;
}

/** Whether a unit is the given unit or lies under it in the hierarchy. */
function isWithin(ctx: PlanContext, unitSlug: string, ancestor: string): boolean {
  for (let u = ctx.units.get(unitSlug); u; u = u.parent ? ctx.units.get(u.parent) : undefined) if (u.slug === ancestor) return true;
  return false;
}
// ---------------------------------------------------------------- deadline changes, amendments

function addDeadlineChanges(ctx: PlanContext, pledges: PlannedPledge[]): void {
  const { rng } = ctx;
  const eligible = pledges.filter((p) => p.tier === 'unit' && p.parent === null && p.status !== 'draft' && p.status !== 'pledged' && p.status !== 'cancelled');
  const chosen = rng.sample(eligible, Math.round(eligible.length * SHARE_WITH_DEADLINE_CHANGES));
  for (const p of chosen) {
    // Walk back from the current due date: the pledge's dueOn is the last change's new date.
    const extensions = Array.from({ length: rng.chance(0.25) ? 2 : 1 }, () => rng.int(15, 60));
    const dues = [p.dueOn];
    for (const ext of extensions) dues.unshift(addDays(dues[0], -ext));
    if (daysBetween(p.startOn, dues[0]) < 14) continue;
    const changes: PlannedDeadlineChange[] = [];
    let after = addDays(p.startOn, 6);
    for (let i = 0; i + 1 < dues.length; i++) {
      const latest = [dues[i], addDays(ctx.today, -1), p.completedOn ?? dues[i]].sort()[0];
      if (latest <= after) break;
      const day = addDays(after, rng.int(1, daysBetween(after, latest)));
      changes.push({
        oldDueOn: dues[i],
        newDueOn: dues[i + 1],
        reason: rng.pick(ctx.source.texts.reasons.deadline),
        requestedBy: ctx.editors.get(p.leadUnit) ?? null,
        approvedBy: ctx.source.accounts.find((a) => a.role === 'admin')?.username ?? null,
        createdAt: instantOn(day, rng.int(60, 540)),
      });
      after = day;
    }
    // Only a complete chain keeps "dueOn = the last new date" true.
    if (changes.length === extensions.length) p.deadlineChanges = changes;
  }
}

function addAmendments(ctx: PlanContext, pledges: PlannedPledge[]): void {
  const { rng } = ctx;
  const eligible = pledges.filter((p) => ctx.templates.has(p) && p.status !== 'draft');
  let made = 0;
  for (const p of rng.shuffle([...eligible])) {
    if (made >= AMENDMENTS) break;
    const template = ctx.templates.get(p)!;
    // The earlier wording: the same template with other figures.
    const earlier = fill(template, slotValues(ctx, p.district)).standard;
    if (earlier === p.standard) continue;
    const day = addDays(p.startOn, rng.int(3, Math.max(3, daysBetween(p.startOn, p.completedOn ?? addDays(ctx.today, -1)))));
    const amendment: PlannedAmendment = {
      field: 'standard',
      oldValue: earlier,
      newValue: p.standard,
      reason: rng.pick(ctx.source.texts.reasons.amendment),
      user: ctx.editors.get(p.leadUnit) ?? null,
      createdAt: instantOn(day, rng.int(60, 540)),
    };
    p.amendments = [amendment];
    made++;
  }
}

// ---------------------------------------------------------------- helpers

function weighted<T>(rng: Random, entries: [T, number][]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = rng.next() * total;
  for (const [value, w] of entries) if ((r -= w) < 0) return value;
  return entries[entries.length - 1][0];
}

/** Exactly n outcomes in the given proportions (each at least once), shuffled. */
function deck(rng: Random, weights: Record<Outcome, number>, n: number): Outcome[] {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const cards: Outcome[] = [];
  for (const [outcome, w] of Object.entries(weights) as [Outcome, number][]) {
    for (let i = 0; i < Math.max(1, Math.round((w / total) * n)); i++) cards.push(outcome);
  }
  while (cards.length < n) cards.push('in_progress');
  while (cards.length > n) cards.splice(cards.lastIndexOf('in_progress'), 1);
  return rng.shuffle(cards);
}
