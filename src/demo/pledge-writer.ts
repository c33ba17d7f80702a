// How one planned pledge of the demo is written: its people, its dates, status and progress for
// the outcome the plan gave it, its dated timeline that explains every status change, and its
// texts filled in from the source's templates. What the demo holds (which pledges, in which
// outcomes, with which deadline changes and amendments) is decided in generate.ts.
// Deterministic: every choice is drawn from the plan's seeded random source, in a fixed order.
import type { PledgeStatus } from '../../db/schema.ts';
import type { Random } from './random.ts';
import { addDays, daysBetween, instantOn } from './days.ts';
import type { DemoSource, DemoTemplate, DemoUnit } from './source.ts';
import type { PlannedPledge, PlannedUpdate } from './plan.ts';

/** How a pledge stands on the day the demo is loaded. "overdue" ones are past due and still open. */
export type Outcome =
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

export const STATUS_OF: Record<Outcome, PledgeStatus> = {
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

/** What writing a pledge draws on: the random source, the source data and the campaign's dates. */
export interface PlanContext {
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

// ---------------------------------------------------------------- one pledge

export function basePledge(ctx: PlanContext, unitSlug: string, category: string, district: string | null): PlannedPledge {
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

function person(ctx: PlanContext, unit: DemoUnit, role: 'leaders' | 'responsible'): string {
  const { rng, source } = ctx;
  let title = rng.pick(source.texts.titles[role][unit.kind]);
  // A county-level city (章丘市) has a mayor, not a county head.
  if (unit.kind === 'county' && unit.name.endsWith('市')) title = title.replace('县', '市');
  return `${title} ${rng.pick(source.texts.people.surnames)}${rng.pick(source.texts.people.given)}`;
}

/** Dates, status, progress and timeline for a planned outcome. */
export function settle(ctx: PlanContext, p: PlannedPledge, outcome: Outcome, latestDue: string): void {
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

export function publish(ctx: PlanContext, p: PlannedPledge): void {
  p.publishedAt = p.updates[0].createdAt;
  p.createdAt = instantOn(addDays(p.startOn, -ctx.rng.int(1, 7)), ctx.rng.int(0, 540));
}

/**
 * The dated updates of a published pledge, oldest first: publication (status pledged), the
 * start of work, progress, and the update that set the current status. The last update
 * carries the pledge's progress, and the last status set is the pledge's status.
 */
export function timeline(ctx: PlanContext, p: PlannedPledge, count: number): PlannedUpdate[] {
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

// ---------------------------------------------------------------- text templates

type Slots = Map<string, string>;

/** Values for a template's slots: places picked once per pledge, figures in their ranges. */
export function slotValues(ctx: PlanContext, district: string | null): Slots {
  const slots: Slots = new Map();
  const { places } = ctx.source.texts;
  for (const [name, list] of Object.entries(places)) slots.set(name, ctx.rng.pick(list));
  for (const [name, [min, max]] of Object.entries(ctx.source.templates.numbers)) slots.set(name, String(ctx.rng.int(min, max)));
  slots.set('district', district ? ctx.units.get(district)!.name : '全市');
  return slots;
}

export function fill(t: DemoTemplate, slots: Slots): DemoTemplate {
  const put = (s: string) => s.replace(/\{(\w+)\}/g, (whole, name: string) => slots.get(name) ?? '');
  return { title: put(t.title), commitment: put(t.commitment), standard: put(t.standard) };
}

// ---------------------------------------------------------------- helpers

function step5(n: number): number {
  return Math.min(100, Math.max(0, Math.round(n / 5) * 5));
}
