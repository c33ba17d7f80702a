// Builds the demo campaign from the source data: the 10 city-level major items with their
// sub-tasks, and the tasks units claimed, each in a planned outcome (every status, some
// overdue, some completed late) with a dated timeline that explains every status change.
// Deterministic: the same source and the same day give the same plan.
import { DISTRICT_KINDS, type PledgeStatus, type UnitKind } from '../../db/schema.ts';
import { createRandom, type Random } from './random.ts';
import { addDays, daysBetween, instantOn } from './days.ts';
import type { DemoSource, DemoTemplate, DemoUnit } from './source.ts';
import { planDemands, readDemandSource } from './demands.ts';
import type { DemoPlan, PlannedAmendment, PlannedDeadlineChange, PlannedPledge, PlannedUpdate } from './plan.ts';

/** How a pledge stands on the day the demo is loaded. "overdue" ones are past due and still open. */
type Outcome =
  | 'draft'
  | 'pledged'
  | 'pledged_overdue'
  | 'in_progress'
  | 'in_progress_overdue'
  | 'delayed'
  | 'delayed_overdue'
  | 'completed_on_time'
  | 'completed_late'
  | 'cancelled';

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

const STATUS_OF: Record<Outcome, PledgeStatus> = {
  draft: 'draft',
  pledged: 'pledged',
  pledged_overdue: 'pledged',
  in_progress: 'in_progress',
  in_progress_overdue: 'in_progress',
  delayed: 'delayed',
  delayed_overdue: 'delayed',
  completed_on_time: 'completed',
  completed_late: 'completed',
  cancelled: 'cancelled',
};

const SHARE_WITH_DEADLINE_CHANGES = 0.12;
const AMENDMENTS = 10;

interface Context {
  rng: Random;
  source: DemoSource;
  today: string;
  startsOn: string;
  endsOn: string;
  units: Map<string, DemoUnit>;
  districts: DemoUnit[];
  editors: Map<string, string>;
  /** The template each claimed task was written from (amendments re-use it). */
  templates: Map<PlannedPledge, DemoTemplate>;
}

export function generateDemoPlan(source: DemoSource, today: string, timeZone: string): DemoPlan {
  const startsOn = addDays(today, -source.campaign.startedDaysAgo);
  const endsOn = addDays(today, source.campaign.endsInDays);
  const ctx: Context = {
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

function addMajorItem(ctx: Context, pledges: PlannedPledge[], item: DemoSource['majorItems'][number]): void {
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

function addUnitPledges(ctx: Context, pledges: PlannedPledge[]): void {
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
function districtFor(ctx: Context, unitSlug: string, cityChance: number): string | null {
  let unit = ctx.units.get(unitSlug);
  while (unit) {
    if (DISTRICT_KINDS.includes(unit.kind)) return unit.slug;
    unit = unit.parent ? ctx.units.get(unit.parent) : undefined;
  }
  return ctx.rng.chance(cityChance) ? ctx.rng.pick(ctx.districts).slug : null;
}

function coUnitsFor(ctx: Context, lead: DemoUnit, topic: string, district: string | null): string[] {
  const peers = ctx.source.units.filter((u) => u.slug !== lead.slug && u.topics.includes(topic) && !DISTRICT_KINDS.includes(u.kind) && u.kind !== 'township' && u.kind !== 'street' && u.kind !== 'community');
  const chosen = ctx.rng.sample(peers, ctx.rng.int(1, 2)).map((u) => u.slug);
  if (district && !isWithin(ctx, lead.slug, district)) chosen.push(district);
  return chosen;
}

/** Whether a unit is the given unit or lies under it in the hierarchy. */
function isWithin(ctx: Context, unitSlug: string, ancestor: string): boolean {
  for (let u = ctx.units.get(unitSlug); u; u = u.parent ? ctx.units.get(u.parent) : undefined) if (u.slug === ancestor) return true;
  return false;
}

// ---------------------------------------------------------------- one pledge

function basePledge(ctx: Context, unitSlug: string, category: string, district: string | null): PlannedPledge {
  const unit = ctx.units.get(unitSlug)!;
  return {
    tier: 'unit',
    parent: null,
    leadUnit: unitSlug,
    coUnits: [],
    category,
    district,
    title: '',
    commitment: '',
    standard: '',
    leadOfficial: person(ctx, unit, 'leaders'),
    responsiblePerson: person(ctx, unit, 'responsible'),
    startOn: ctx.startsOn,
    dueOn: ctx.endsOn,
    status: 'draft',
    statusReason: '',
    progress: 0,
    completedOn: null,
    publishedAt: null,
    createdAt: '',
    createdBy: ctx.editors.get(unitSlug) ?? null,
    updates: [],
    deadlineChanges: [],
    amendments: [],
  };
}

function person(ctx: Context, unit: DemoUnit, role: 'leaders' | 'responsible'): string {
  const { rng, source } = ctx;
  let title = rng.pick(source.texts.titles[role][unit.kind]);
  // A county-level city (章丘市) has a mayor, not a county head.
  if (unit.kind === 'county' && unit.name.endsWith('市')) title = title.replace('县', '市');
  return `${title} ${rng.pick(source.texts.people.surnames)}${rng.pick(source.texts.people.given)}`;
}

/** Dates, status, progress and timeline for a planned outcome. */
function settle(ctx: Context, p: PlannedPledge, outcome: Outcome, latestDue: string): void {
  const { rng, today } = ctx;
  const lastDay = addDays(today, -1);
  const future = (minAhead: number) => addDays(today, rng.int(minAhead, Math.max(minAhead, daysBetween(today, latestDue))));
  const past = (maxBack: number) => addDays(today, -rng.int(1, maxBack));
  p.status = STATUS_OF[outcome];

  switch (outcome) {
    case 'draft': {
      // Being prepared: not public, no timeline yet.
      p.startOn = addDays(today, rng.int(3, 30));
      p.dueOn = addDays(p.startOn, rng.int(30, Math.max(30, daysBetween(p.startOn, latestDue))));
      p.createdAt = instantOn(addDays(today, -rng.int(1, 20)), rng.int(0, 540));
      return;
    }
    case 'pledged':
      p.dueOn = future(14);
      break;
    case 'pledged_overdue':
      p.dueOn = past(45);
      break;
    case 'in_progress':
      p.dueOn = future(7);
      p.progress = step5(rng.int(10, 90));
      break;
    case 'in_progress_overdue':
      p.dueOn = past(60);
      p.progress = step5(rng.int(30, 95));
      break;
    case 'delayed':
    case 'delayed_overdue':
      p.dueOn = outcome === 'delayed' ? future(7) : past(60);
      p.progress = step5(rng.int(10, 70));
      p.statusReason = rng.pick(ctx.source.texts.reasons.delayed);
      break;
    case 'completed_on_time': {
      p.completedOn = addDays(p.startOn, rng.int(20, daysBetween(p.startOn, lastDay)));
      const slack = rng.int(0, 90);
      p.dueOn = addDays(p.completedOn, Math.min(slack, daysBetween(p.completedOn, latestDue)));
      p.progress = 100;
      break;
    }
    case 'completed_late': {
      p.completedOn = addDays(p.startOn, rng.int(30, daysBetween(p.startOn, lastDay)));
      p.dueOn = addDays(p.completedOn, -rng.int(3, Math.min(40, daysBetween(p.startOn, p.completedOn) - 10)));
      p.progress = 100;
      break;
    }
    case 'cancelled':
      p.dueOn = future(7);
      p.progress = step5(rng.int(0, 40));
      p.statusReason = rng.pick(ctx.source.texts.reasons.cancelled);
      break;
  }
  const count = {
    pledged: rng.int(1, 2),
    in_progress: rng.int(3, 6),
    delayed: rng.int(3, 6),
    completed: rng.int(3, 6),
    cancelled: rng.int(2, 4),
  }[p.status as 'pledged' | 'in_progress' | 'delayed' | 'completed' | 'cancelled'];
  p.updates = timeline(ctx, p, count);
  publish(ctx, p);
}

function publish(ctx: Context, p: PlannedPledge): void {
  p.publishedAt = p.updates[0].createdAt;
  p.createdAt = instantOn(addDays(p.startOn, -ctx.rng.int(1, 7)), ctx.rng.int(0, 540));
}

/**
 * The dated updates of a published pledge, oldest first: publication (status pledged), the
 * start of work, progress, and the update that set the current status. The last update
 * carries the pledge's progress, and the last status set is the pledge's status.
 */
function timeline(ctx: Context, p: PlannedPledge, count: number): PlannedUpdate[] {
  const { rng, source } = ctx;
  const words = source.texts.updates;
  const lastDay = p.completedOn ?? addDays(ctx.today, -1);
  const days = [p.startOn, ...pickDays(rng, addDays(p.startOn, 1), lastDay, count - 1)];
  if (p.completedOn) days[days.length - 1] = p.completedOn;

  type Step = { unit: string; body: string; progress: number; status: PledgeStatus | null; reason: string };
  const step = (body: string, progress: number, status: PledgeStatus | null = null, reason = ''): Step => ({ unit: p.leadUnit, body, progress, status, reason });
  const say = (list: string[], progress: number, reason = '') => rng.pick(list).replace('{progress}', String(progress)).replace('{reason}', reason);
  const plan: Step[] = [step(rng.pick(words.published), 0, 'pledged')];
  const active = count - 1;

  if (p.status === 'pledged') {
    for (let i = 0; i < active; i++) plan.push(step(rng.pick(words.preparing), 0));
  } else {
    // Work climbs towards the pledge's figure; completing, cancelling or reporting a delay
    // takes the last slot (completion climbs only to short of 100 first).
    const climbing = p.status === 'in_progress' ? active : active - 1;
    const top = p.status === 'completed' ? step5(rng.int(60, 95)) : Math.max(5, p.progress);
    const first = Math.min(top, step5(rng.int(5, 15)));
    for (let i = 1; i <= climbing; i++) {
      const progress = i === climbing ? top : i === 1 ? first : step5(first + ((top - first) * (i - 1)) / (climbing - 1));
      plan.push(i === 1 ? step(rng.pick(words.started), progress, 'in_progress') : step(say(words.progress, progress), progress));
    }
    const last = plan[plan.length - 1].progress;
    if (p.status === 'completed') plan.push(step(rng.pick(words.completed), 100, 'completed'));
    if (p.status === 'cancelled') {
      p.progress = last;
      plan.push(step(say(words.cancelled, last, p.statusReason), last, 'cancelled', p.statusReason));
    }
    if (p.status === 'delayed') {
      // The delay is either the latest news, or was reported just before the latest progress.
      if (climbing >= 2 && rng.chance(0.4)) {
        const before = plan[plan.length - 2].progress;
        plan.splice(plan.length - 1, 0, step(say(words.delayed, before, p.statusReason), before, 'delayed', p.statusReason));
      } else {
        plan.push(step(say(words.delayed, last, p.statusReason), last, 'delayed', p.statusReason));
      }
    }
  }

  // Co-units post on pledges they share (tagged with their own unit), never a status change.
  if (p.coUnits.length) {
    const middle = plan.map((_, i) => i).filter((i) => i >= 2 && i < plan.length - 1 && plan[i].status === null);
    for (const i of rng.sample(middle, p.tier === 'major' ? 2 : rng.chance(0.7) ? 1 : 0)) {
      plan[i] = step(rng.pick(words.coUnit), plan[i - 1].progress);
      plan[i].unit = rng.pick(p.coUnits);
    }
  }

  let previous = { day: '', minute: 0 };
  return plan.map((u, i) => {
    const day = days[Math.min(i, days.length - 1)];
    const minute = day === previous.day ? Math.min(previous.minute + rng.int(5, 30), 539) : rng.int(0, 480);
    previous = { day, minute };
    return {
      unit: u.unit,
      author: ctx.editors.get(u.unit) ?? null,
      happenedOn: day,
      body: u.body,
      progress: u.progress,
      status: u.status,
      reason: u.reason,
      createdAt: instantOn(day, minute),
    };
  });
}

/** n days in [from, to], sorted; repeats allowed when the range is short. */
function pickDays(rng: Random, from: string, to: string, n: number): string[] {
  const span = Math.max(0, daysBetween(from, to));
  const offsets = Array.from({ length: n }, () => rng.int(0, span)).sort((a, b) => a - b);
  return offsets.map((o) => addDays(from, o));
}

// ---------------------------------------------------------------- deadline changes, amendments

function addDeadlineChanges(ctx: Context, pledges: PlannedPledge[]): void {
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

function addAmendments(ctx: Context, pledges: PlannedPledge[]): void {
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

// ---------------------------------------------------------------- text templates

type Slots = Map<string, string>;

/** Values for a template's slots: places picked once per pledge, figures in their ranges. */
function slotValues(ctx: Context, district: string | null): Slots {
  const slots: Slots = new Map();
  const { places } = ctx.source.texts;
  for (const [name, list] of Object.entries(places)) slots.set(name, ctx.rng.pick(list));
  for (const [name, [min, max]] of Object.entries(ctx.source.templates.numbers)) slots.set(name, String(ctx.rng.int(min, max)));
  slots.set('district', district ? ctx.units.get(district)!.name : '全市');
  return slots;
}

function fill(t: DemoTemplate, slots: Slots): DemoTemplate {
  const put = (s: string) => s.replace(/\{(\w+)\}/g, (whole, name: string) => slots.get(name) ?? '');
  return { title: put(t.title), commitment: put(t.commitment), standard: put(t.standard) };
}

// ---------------------------------------------------------------- helpers

function step5(n: number): number {
  return Math.min(100, Math.max(0, Math.round(n / 5) * 5));
}

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
