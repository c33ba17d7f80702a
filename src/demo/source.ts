// The committed demo source data (data/demo/*.json), read and checked with zod so a bad
// edit to a data file fails loudly at load time instead of producing a broken campaign.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UNIT_KINDS, ROLES } from '../../db/schema.ts';
import { projectPath } from '../paths.ts';

const dataDir = projectPath('data', 'demo');

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const text = z.string().min(1);
const range = z.tuple([z.number().int(), z.number().int()]);

const campaignFile = z.object({
  slug,
  name: text,
  issuingOffice: text,
  description: text,
  startedDaysAgo: z.number().int().min(30),
  endsInDays: z.number().int().min(30),
  seed: z.number().int(),
});

const unitsFile = z.object({
  units: z.array(
    z
      .object({
        slug,
        name: text,
        kind: z.enum(UNIT_KINDS),
        parent: slug.optional(),
        window: z.boolean().optional(),
        phone: z.string().optional(),
        topics: z.array(slug).min(1),
        claims: z.number().int().min(0).optional(),
      })
      .strict(),
  ),
});

const categoriesFile = z.object({
  categories: z.array(z.object({ slug, nameZh: text, nameEn: text, sortOrder: z.number().int() }).strict()),
});

const accountsFile = z.object({
  accounts: z.array(z.object({ username: z.string().regex(/^[a-z0-9_.-]+$/), role: z.enum(ROLES), unit: slug.optional(), displayName: text }).strict()),
});

const pledgeText = z.object({ title: text, commitment: text, standard: text }).strict();

const majorItemsFile = z.object({
  items: z.array(
    z
      .object({
        category: slug,
        lead: slug,
        leadOfficial: text,
        title: text,
        commitment: text,
        standard: text,
        coUnits: z.array(slug),
        subtasks: z.array(pledgeText.extend({ lead: slug })).min(2).max(4),
      })
      .strict(),
  ),
});

const templatesFile = z.object({
  numbers: z.record(z.string(), range),
  categories: z.record(slug, z.array(pledgeText).min(1)),
});

const list = z.array(text).min(1);
const texts = z.object({
  places: z.record(z.string(), list),
  people: z.object({ surnames: list, given: list }),
  titles: z.object({ leaders: z.record(z.enum(UNIT_KINDS), list), responsible: z.record(z.enum(UNIT_KINDS), list) }),
  updates: z.object({ published: list, started: list, preparing: list, progress: list, coUnit: list, delayed: list, completed: list, cancelled: list }),
  reasons: z.object({ delayed: list, cancelled: list, deadline: list, amendment: list }),
});

export type DemoCampaign = z.infer<typeof campaignFile>;
export type DemoUnit = z.infer<typeof unitsFile>['units'][number];
export type DemoCategory = z.infer<typeof categoriesFile>['categories'][number];
export type DemoAccount = z.infer<typeof accountsFile>['accounts'][number];
export type DemoMajorItem = z.infer<typeof majorItemsFile>['items'][number];
export type DemoTemplate = z.infer<typeof pledgeText>;
export type DemoTexts = z.infer<typeof texts>;

export interface DemoSource {
  campaign: DemoCampaign;
  units: DemoUnit[];
  categories: DemoCategory[];
  accounts: DemoAccount[];
  majorItems: DemoMajorItem[];
  templates: { numbers: Record<string, [number, number]>; categories: Record<string, DemoTemplate[]> };
  texts: DemoTexts;
}

function read<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const full = path.join(dataDir, file);
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(full, 'utf8')));
  if (!parsed.success) throw new Error(`demo data ${full} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Every cross-reference between the files, checked before anything is written. */
function checkReferences(s: DemoSource): void {
  const problems: string[] = [];
  const units = new Set<string>();
  for (const u of s.units) {
    if (units.has(u.slug)) problems.push(`unit ${u.slug} appears twice`);
    if (u.parent && !units.has(u.parent)) problems.push(`unit ${u.slug}: parent ${u.parent} must come before it`);
    units.add(u.slug);
  }
  const categories = new Set(s.categories.map((c) => c.slug));
  for (const u of s.units) for (const t of u.topics) if (!categories.has(t)) problems.push(`unit ${u.slug}: unknown topic ${t}`);
  for (const c of categories) if (!s.templates.categories[c]) problems.push(`no templates for category ${c}`);
  for (const m of s.majorItems) {
    if (!categories.has(m.category)) problems.push(`major item ${m.title}: unknown category ${m.category}`);
    for (const ref of [m.lead, ...m.coUnits, ...m.subtasks.map((t) => t.lead)]) if (!units.has(ref)) problems.push(`major item ${m.title}: unknown unit ${ref}`);
  }
  for (const a of s.accounts) {
    if ((a.role === 'unit') !== !!a.unit) problems.push(`account ${a.username}: a unit account needs a unit, others none`);
    if (a.unit && !units.has(a.unit)) problems.push(`account ${a.username}: unknown unit ${a.unit}`);
  }
  if (problems.length) throw new Error(`demo data is inconsistent:\n  ${problems.join('\n  ')}`);
}

let cached: DemoSource | undefined;

export function readDemoSource(): DemoSource {
  if (cached) return cached;
  const source: DemoSource = {
    campaign: read('campaign.json', campaignFile),
    units: read('units.json', unitsFile).units,
    categories: read('categories.json', categoriesFile).categories,
    accounts: read('accounts.json', accountsFile).accounts,
    majorItems: read('major-items.json', majorItemsFile).items,
    templates: read('templates.json', templatesFile),
    texts: read('texts.json', texts),
  };
  checkReferences(source);
  return (cached = source);
}
