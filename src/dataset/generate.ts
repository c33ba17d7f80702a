// A deterministic campaign at N times the source campaign's size, for benchmarks and scale
// tests: at scale 1, 149 units, 1,529 pledges, ~6,000 progress updates, 20,000 demands,
// 100,000 ratings and 2,000 suggestions. Text comes from the demo's own Chinese templates;
// sizes are skewed the way real campaigns are (a few units lead hundreds of pledges).
import { readDemoSource, type DemoTemplate } from '../demo/source.ts';
import { readDemandSource } from '../demo/demands.ts';
import { createRandom, type Random } from '../demo/random.ts';
import { indexTokens } from '../search/tokens.ts';
import { TRACKING_ALPHABET, redactText, streetLevel } from '../demands/redact.ts';
import { RATING_VALUES, type UnitKind } from '../../db/schema.ts';
import type { DatasetWriter } from './repository.ts';

export const PER_SCALE = { units: 149, pledges: 1529, demands: 20_000, ratings: 100_000, suggestions: 2_000, checks: 5_000 } as const;
const DISTRICT_KINDS: UnitKind[] = ['county', 'district'];
const COPY_NAMES = ['东城', '西城', '南郊', '北湖', '高新', '长清', '章丘', '平阴', '济阳', '商河', '莱芜', '钢城', '天桥', '槐荫', '市中', '历城'];

export interface DatasetSummary {
  scale: number;
  units: number;
  pledges: number;
  updates: number;
  demands: number;
  ratings: number;
  checks: number;
  suggestions: number;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function instant(day: string, rng: Random): string {
  return `${day}T${String(rng.int(0, 15)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
}

function weighted<T>(rng: Random, entries: [T, number][]): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [v, w] of entries) if ((r -= w) < 0) return v;
  return entries[entries.length - 1][0];
}

/** Deterministic tracking numbers in the app's format (the app's own are random). */
function trackingNo(rng: Random): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += TRACKING_ALPHABET[rng.int(0, 31)];
  return s.match(/.{4}/g)!.join('-');
}

export function generateDataset(w: DatasetWriter, opts: { scale: number; today: string; seed?: number }): DatasetSummary {
  const { scale, today } = opts;
  const rng = createRandom(opts.seed ?? 20_261_126);
  const source = readDemoSource();
  const demandSource = readDemandSource();
  const places = source.texts.places;
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, name: string) => {
      const list = places[name];
      if (list) return rng.pick(list);
      const range = source.templates.numbers[name];
      if (range) return String(rng.int(range[0], range[1]));
      return name === 'district' ? '全市' : '';
    });
  const summary: DatasetSummary = { scale, units: 0, pledges: 0, updates: 0, demands: 0, ratings: 0, checks: 0, suggestions: 0 };
  const startsOn = addDays(today, -300);
  const endsOn = addDays(today, 120);

  w.inBulk(() => {
    const campaignId = w.campaign({ slug: `dataset-x${scale}`, name: `${source.campaign.name}（规模 ×${scale}）`, issuingOffice: source.campaign.issuingOffice, description: source.campaign.description, startsOn, endsOn, timeZone: 'Asia/Shanghai' });
    const categoryIds = new Map<string, number>();
    for (const c of source.categories) categoryIds.set(c.slug, w.category(c));
    const categorySlugs = [...categoryIds.keys()];

    // Units: the demo's 149 (scale 1), then copies named for other districts.
    const units: { id: number; kind: UnitKind; topics: string[]; window: boolean }[] = [];
    const districts: number[] = [];
    for (let copy = 0; copy < scale; copy++) {
      const idOf = new Map<string, number>();
      for (const u of source.units.slice(0, PER_SCALE.units)) {
        const prefix = copy === 0 ? '' : `${COPY_NAMES[(copy - 1) % COPY_NAMES.length]}${copy > COPY_NAMES.length ? Math.ceil(copy / COPY_NAMES.length) : ''}`;
        const id = w.unit({
          slug: copy === 0 ? u.slug : `${u.slug}-${copy + 1}`,
          name: prefix ? `${prefix}${u.name.replace(/^市/, '')}` : u.name,
          kind: u.kind,
          parentId: u.parent ? (idOf.get(u.parent) ?? null) : null,
          isServiceWindow: !!u.window,
          contactPhone: u.phone ?? '',
        });
        idOf.set(u.slug, id);
        units.push({ id, kind: u.kind, topics: u.topics, window: !!u.window });
        if (DISTRICT_KINDS.includes(u.kind)) districts.push(id);
      }
    }
    summary.units = units.length;

    // Pledges, skewed: unit i (in a shuffled order) leads a share proportional to 1/rank^0.9.
    const order = rng.shuffle(units.map((_, i) => i));
    const weights = order.map((_, rank) => 1 / Math.pow(rank + 1, 0.9));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const total = PER_SCALE.pledges * scale;
    const published: { id: number; unitId: number; status: string; categoryId: number }[] = [];
    let made = 0;
    for (let r = 0; r < order.length && made < total; r++) {
      const unit = units[order[r]];
      const count = r === order.length - 1 ? total - made : Math.min(total - made, Math.max(1, Math.round((weights[r] / weightSum) * total)));
      for (let k = 0; k < count; k++) {
        const topic = rng.pick(unit.topics);
        const tpl: DemoTemplate = rng.pick(source.templates.categories[topic] ?? source.templates.categories[categorySlugs[0]]);
        const startOn = addDays(startsOn, rng.int(0, 120));
        const dueOn = addDays(startOn, rng.int(30, 330));
        const status = weighted(rng, [['completed', 45], ['in_progress', 30], ['pledged', 10], ['delayed', 8], ['cancelled', 3], ['draft', 4]] as [string, number][]);
        const late = status === 'completed' && rng.chance(0.2);
        const completedOn = status === 'completed' ? (late ? addDays(dueOn, rng.int(1, 40)) : addDays(dueOn, -rng.int(0, 60))) : null;
        const safeCompleted = completedOn && completedOn > today ? today : completedOn;
        const progress = status === 'completed' ? 100 : status === 'draft' || status === 'pledged' ? 0 : rng.int(1, 19) * 5;
        const categoryId = categoryIds.get(topic)!;
        const title = fill(tpl.title);
        const commitment = fill(tpl.commitment);
        const id = w.pledge({
          campaignId,
          leadUnitId: unit.id,
          tier: rng.chance(0.02) ? 'major' : 'unit',
          title,
          commitment,
          standard: fill(tpl.standard),
          leadOfficial: `${rng.pick(source.texts.people.surnames)}${rng.pick(source.texts.people.given)}`,
          responsiblePerson: `${rng.pick(source.texts.people.surnames)}${rng.pick(source.texts.people.given)}`,
          categoryId,
          districtUnitId: districts.length && rng.chance(0.6) ? rng.pick(districts) : null,
          startOn,
          dueOn,
          status,
          statusReason: status === 'delayed' ? rng.pick(source.texts.reasons.delayed) : status === 'cancelled' ? rng.pick(source.texts.reasons.cancelled) : '',
          progress,
          completedOn: safeCompleted,
          publishedAt: status === 'draft' ? null : `${startOn}T01:00:00.000Z`,
          createdAt: `${startOn}T00:30:00.000Z`,
        });
        made++;
        if (status === 'draft') continue;
        published.push({ id, unitId: unit.id, status, categoryId });
        w.pledgeTokens(id, indexTokens(title, commitment));
        if (rng.chance(0.25)) w.coUnit(id, units[rng.int(0, units.length - 1)].id);
        // About four dated updates per published pledge.
        const n = rng.int(1, 7);
        const span = Math.max(1, Math.min(300, (safeCompleted ?? today) > startOn ? Math.round((Date.parse(safeCompleted ?? today) - Date.parse(startOn)) / 86_400_000) : 1));
        for (let u = 0; u < n; u++) {
          const day = addDays(startOn, Math.min(span, Math.round(((u + 1) * span) / n)));
          const last = u === n - 1;
          w.update({ pledgeId: id, unitId: unit.id, happenedOn: day > today ? today : day, body: fill(rng.pick(source.texts.updates.progress).replace('{progress}', String(progress))), progress: last ? progress : Math.round((progress * (u + 1)) / n), status: last && status !== 'pledged' ? status : null, reason: '', createdAt: instant(day > today ? today : day, rng) });
          summary.updates++;
        }
        if (rng.chance(0.1)) w.deadlineChange({ pledgeId: id, oldDueOn: addDays(dueOn, -rng.int(10, 60)), newDueOn: dueOn, reason: rng.pick(source.texts.reasons.deadline), createdAt: `${startOn}T08:00:00.000Z` });
      }
    }
    summary.pledges = made;

    // Demands: reported over the campaign, about a third claimed into a pledge of their category.
    const byCategory = new Map<number, typeof published>();
    for (const p of published) byCategory.set(p.categoryId, [...(byCategory.get(p.categoryId) ?? []), p]);
    const channels: [string, number][] = [['hotline_12345', 55], ['web', 25], ['survey', 8], ['reception', 5], ['letter', 3], ['diary', 2], ['other', 2]];
    const canonical: number[] = [];
    for (let i = 0; i < PER_SCALE.demands * scale; i++) {
      const topic = rng.pick(categorySlugs);
      const text = fill(rng.pick(demandSource.problems[topic] ?? demandSource.problems[Object.keys(demandSource.problems)[0]]));
      const reportedDay = addDays(startsOn, rng.int(0, 300));
      const status = weighted(rng, [['new', 35], ['claimed', 35], ['resolved', 15], ['declined', 10], ['duplicate', 5]] as [string, number][]);
      const channel = weighted(rng, channels);
      const address = `${rng.pick(places.road)}${rng.int(1, 300)}号`;
      const id = w.demand({
        trackingNo: trackingNo(rng),
        channel,
        externalRef: channel === 'hotline_12345' ? `X${scale}-${i}` : null,
        campaignId,
        categoryId: categoryIds.get(topic)!,
        districtUnitId: districts.length ? rng.pick(districts) : null,
        text,
        publicText: redactText(text),
        location: streetLevel(address),
        reportedAt: instant(reportedDay, rng),
        status: status === 'duplicate' && !canonical.length ? 'new' : status,
        duplicateOfId: status === 'duplicate' && canonical.length ? rng.pick(canonical) : null,
        closedAt: status === 'resolved' || status === 'declined' ? instant(addDays(reportedDay, rng.int(1, 30)), rng) : null,
        createdAt: instant(reportedDay, rng),
      });
      if (status !== 'duplicate') canonical.push(id);
      w.demandTokens(id, indexTokens(redactText(text), streetLevel(address)));
      const candidates = byCategory.get(categoryIds.get(topic)!);
      if ((status === 'claimed' || status === 'resolved') && candidates?.length) {
        const p = rng.pick(candidates);
        w.claim(id, p.id, p.unitId, instant(addDays(reportedDay, rng.int(0, 20)), rng));
      }
      summary.demands++;
    }

    // Ratings: popular pledges draw most votes; each unit has its own leaning. Voters are unique per target.
    const rateable = published.filter((p) => p.status !== 'cancelled');
    const windows = units.filter((u) => u.window);
    const lean = new Map<number, number>();
    for (const u of units) lean.set(u.id, rng.next());
    const popularity = rateable.map((_, i) => 1 / Math.pow(i + 1, 0.7));
    const popSum = popularity.reduce((a, b) => a + b, 0);
    let voter = 0;
    const ratingTotal = PER_SCALE.ratings * scale;
    const windowShare = windows.length ? 0.15 : 0;
    for (let i = 0; i < rateable.length && summary.ratings < ratingTotal * (1 - windowShare); i++) {
      const p = rateable[i];
      const n = Math.max(0, Math.round((popularity[i] / popSum) * ratingTotal * (1 - windowShare)));
      for (let k = 0; k < n; k++) rate(`p:${p.id}`, p.id, null, lean.get(p.unitId)!);
    }
    for (let i = 0; windows.length && summary.ratings < ratingTotal; i++) {
      const u = windows[i % windows.length];
      rate(`u:${u.id}`, null, u.id, lean.get(u.id)!);
    }
    function rate(targetKey: string, pledgeId: number | null, unitId: number | null, leaning: number) {
      const r = rng.next();
      const value = r < 0.45 + leaning * 0.4 ? RATING_VALUES[0] : r < 0.85 + leaning * 0.1 ? RATING_VALUES[1] : RATING_VALUES[2];
      w.rating({ targetKey, pledgeId, unitId, voterId: `ds-${voter++}`, addressKey: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, value, createdAt: instant(addDays(startsOn, rng.int(30, 300)), rng) });
      summary.ratings++;
    }

    const completed = published.filter((p) => p.status === 'completed');
    for (let i = 0; completed.length && i < PER_SCALE.checks * scale; i++) {
      const p = rng.pick(completed);
      w.check({ pledgeId: p.id, voterId: `ds-${voter++}`, addressKey: `10.1.${rng.int(0, 255)}.${rng.int(1, 254)}`, verdict: rng.chance(0.85) ? 'confirm' : 'dispute', createdAt: instant(addDays(startsOn, rng.int(60, 300)), rng) });
      summary.checks++;
    }

    for (let i = 0; i < PER_SCALE.suggestions * scale; i++) {
      const onPledge = rng.chance(0.6) && rateable.length > 0;
      const p = onPledge ? rng.pick(rateable) : null;
      const unitId = p ? p.unitId : rng.pick(units).id;
      const status = weighted(rng, [['published', 70], ['pending', 20], ['rejected', 10]] as [string, number][]);
      const day = addDays(startsOn, rng.int(10, 300));
      const replied = status === 'published' && rng.chance(0.6);
      w.suggestion({
        campaignId,
        targetKind: p ? 'pledge' : 'unit',
        pledgeId: p?.id ?? null,
        unitId,
        authorName: rng.chance(0.5) ? `${rng.pick(source.texts.people.surnames)}先生` : '',
        body: `建议${fill(rng.pick(demandSource.problems[rng.pick(Object.keys(demandSource.problems))]))}，请尽快研究解决。`,
        status,
        rejectReason: status === 'rejected' ? '内容与本事项无关' : '',
        reply: replied ? '感谢您的建议，我们已安排专人跟进，将在下一次进展中公布处理情况。' : '',
        replyUnitId: replied ? unitId : null,
        repliedAt: replied ? instant(addDays(day, rng.int(1, 10)), rng) : null,
        moderatedAt: status === 'pending' ? null : instant(addDays(day, 1), rng),
        createdAt: instant(day, rng),
      });
      summary.suggestions++;
    }
  });
  return summary;
}
