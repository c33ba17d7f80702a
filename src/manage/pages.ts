// Rendering shared by the workspace routes: the pledge's workspace page and its two edit forms
// (a draft's full form; a published pledge's form where wording and due date need reasons).
// Each is rendered both on GET and again after a refused POST, with the user's input kept.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { createPledgeRepository, type ManageView, type PledgeSnapshot } from '../pledges/repository.ts';
import { createProgressRepository } from '../progress/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository, categoryName } from '../categories/repository.ts';
import { displayStatus, todayIn } from '../pledges/status.ts';
import { HttpError } from '../plugins/errors.ts';
import { id as idSchema, type FieldErrors } from '../validation.ts';
import { leads, coLeads } from './access.ts';
import { createDeadlineRepository } from '../deadlines/repository.ts';

export type FormValues = Record<string, string | string[]>;

/** What the notice after a successful post/redirect/get says; unknown values are ignored. */
const DONE = ['created', 'saved', 'unchanged', 'published', 'posted', 'deadline_requested', 'deadline_withdrawn'] as const;
const doneQuery = z.object({ done: z.enum(DONE).optional() }).loose();
/** Notices whose text lives with the deadlines feature. */
const DONE_KEYS: Partial<Record<(typeof DONE)[number], string>> = { deadline_requested: 'deadlines.done.requested', deadline_withdrawn: 'deadlines.done.withdrawn' };

export function doneNotice(request: FastifyRequest): string | undefined {
  const q = doneQuery.safeParse(request.query);
  return q.success && q.data.done ? request.t(DONE_KEYS[q.data.done] ?? `manage.done.${q.data.done}`) : undefined;
}

/** The :id of a workspace URL; anything but a positive integer is simply not found. */
export function pledgeIdParam(request: FastifyRequest): number {
  const parsed = idSchema().safeParse((request.params as { id?: string }).id);
  if (!parsed.success) throw new HttpError(404);
  return parsed.data;
}

/** A query string that fails its schema gets a clear 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].filter(Boolean).join(', ');
  throw new HttpError(400, names);
}

export function valuesOf(p: PledgeSnapshot): FormValues {
  return {
    version: String(p.version),
    campaignId: String(p.campaignId),
    leadUnitId: String(p.leadUnitId),
    tier: p.tier,
    title: p.title,
    commitment: p.commitment,
    standard: p.standard,
    leadOfficial: p.leadOfficial,
    responsiblePerson: p.responsiblePerson,
    categoryId: p.categoryId ? String(p.categoryId) : '',
    districtUnitId: p.districtUnitId ? String(p.districtUnitId) : '',
    startOn: p.startOn,
    dueOn: p.dueOn,
    parentId: p.parentId ? String(p.parentId) : '',
    coUnitIds: p.coUnitIds.map(String),
  };
}

export function createPages(app: FastifyInstance) {
  const pledgeRepo = createPledgeRepository(app.db);
  const progressRepo = createProgressRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const deadlineRepo = createDeadlineRepository(app.db);

  async function choices(request: FastifyRequest, values: FormValues, leadUnitId: number | null, selfId?: number) {
    // A unit the office has since deactivated stays listed while it is chosen, so saving keeps it.
    const chosen = new Set([values.leadUnitId, ...[values.coUnitIds ?? []].flat()].map(String));
    const [campaigns, units, districts, categories, parents] = await Promise.all([
      campaignRepo.list(),
      unitRepo.list().then((all) => all.filter((u) => u.active || chosen.has(String(u.id)))),
      unitRepo.districts(),
      categoryRepo.list(),
      leadUnitId ? pledgeRepo.parentCandidates(leadUnitId, selfId) : Promise.resolve([]),
    ]);
    return {
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })),
      units: units.map((u) => ({ id: u.id, name: u.name })),
      districts: districts.map((d) => ({ id: d.id, name: d.name })),
      categories: categories.map((c) => ({ id: c.id, name: categoryName(c, request.locale) })),
      parents: parents.map((p) => ({ id: p.id, title: p.title, status: p.status, campaignId: p.campaignId })),
    };
  }

  /** The saved pledge in words, for the "changed by someone else meanwhile" panel. */
  async function describe(request: FastifyRequest, p: PledgeSnapshot) {
    const [allUnits, category, campaign] = await Promise.all([
      unitRepo.getMany([p.leadUnitId, ...p.coUnitIds, ...(p.districtUnitId ? [p.districtUnitId] : [])]),
      p.categoryId ? categoryRepo.get(p.categoryId) : Promise.resolve(undefined),
      campaignRepo.get(p.campaignId),
    ]);
    const unitName = (id: number | null) => allUnits.find((u) => u.id === id)?.name ?? '';
    return {
      version: p.version,
      status: p.status,
      campaign: campaign?.name ?? '',
      leadUnit: unitName(p.leadUnitId),
      tier: p.tier,
      title: p.title,
      commitment: p.commitment,
      standard: p.standard,
      leadOfficial: p.leadOfficial,
      responsiblePerson: p.responsiblePerson,
      category: category ? categoryName(category, request.locale) : '',
      district: unitName(p.districtUnitId),
      startOn: p.startOn,
      dueOn: p.dueOn,
      coUnits: p.coUnitIds.map(unitName),
    };
  }

  return {
    pledgeRepo,
    progressRepo,
    unitRepo,
    campaignRepo,
    categoryRepo,
    deadlineRepo,

    /** The workspace page of one pledge, for its lead unit, the office, or (published only) a co-unit. */
    async pledgePage(
      request: FastifyRequest,
      reply: FastifyReply,
      view: ManageView,
      opts: { status?: number; errors?: FieldErrors; values?: FormValues; conflict?: PledgeSnapshot; notice?: string } = {},
    ) {
      const user = request.user!;
      const { pledge } = view;
      const canLead = leads(user, pledge);
      const today = todayIn(view.campaign.timeZone);
      const updates = await progressRepo.listForPledge(pledge.id);
      return reply.code(opts.status ?? 200).page('manage/pledge', {
        title: pledge.title,
        breadcrumbs: [{ href: '/manage', label: request.t('manage.title') }, { label: pledge.title }],
        view,
        updates,
        canLead,
        canPost: pledge.status !== 'draft' && (canLead || coLeads(user, pledge)),
        ds: displayStatus(pledge, today),
        subTasks: view.subTasks.map((s) => ({ ...s, ds: displayStatus(s, today) })),
        categoryLabel: view.category ? categoryName(view.category, request.locale) : '',
        today,
        uploadLimitMb: request.server.config.uploadLimitMb,
        values: opts.values ?? { happenedOn: today, progress: String(pledge.progress) },
        errors: opts.errors,
        conflict: opts.conflict,
        notice: opts.notice ?? doneNotice(request),
        sections: await request.server.sections.load('manage-pledge', { pledgeId: pledge.id, status: pledge.status, leadUnitId: pledge.leadUnitId, leads: canLead, today }, request),
      });
    },

    async draftForm(
      request: FastifyRequest,
      reply: FastifyReply,
      opts: { status?: number; pledge?: PledgeSnapshot; values: FormValues; errors?: FieldErrors; conflict?: PledgeSnapshot; parentHint?: boolean },
    ) {
      const user = request.user!;
      const isAdmin = user.role === 'admin';
      const chosenLead = isAdmin ? Number(opts.values.leadUnitId) || null : user.unitId;
      const title = opts.pledge ? request.t('manage.edit.title') : request.t('manage.new.title');
      return reply.code(opts.status ?? 200).page('manage/draft-form', {
        title,
        breadcrumbs: [
          { href: '/manage', label: request.t('manage.title') },
          ...(opts.pledge ? [{ href: `/manage/pledges/${opts.pledge.id}`, label: opts.pledge.title }] : []),
          { label: title },
        ],
        heading: title,
        action: opts.pledge ? `/manage/pledges/${opts.pledge.id}/edit` : '/manage/pledges',
        pledge: opts.pledge,
        isAdmin,
        choices: await choices(request, opts.values, chosenLead, opts.pledge?.id),
        values: opts.values,
        errors: opts.errors,
        conflict: opts.conflict ? await describe(request, opts.conflict) : undefined,
      });
    },

    async publishedForm(
      request: FastifyRequest,
      reply: FastifyReply,
      opts: { status?: number; pledge: PledgeSnapshot; values: FormValues; errors?: FieldErrors; conflict?: PledgeSnapshot },
    ) {
      const title = request.t('manage.edit.title');
      const pendingRequest = await deadlineRepo.pendingFor(opts.pledge.id);
      return reply.code(opts.status ?? 200).page('manage/published-form', {
        pendingRequest,
        deadlineByOffice: request.user!.role === 'admin',
        title,
        breadcrumbs: [
          { href: '/manage', label: request.t('manage.title') },
          { href: `/manage/pledges/${opts.pledge.id}`, label: opts.pledge.title },
          { label: title },
        ],
        pledge: opts.pledge,
        choices: await choices(request, opts.values, null),
        values: opts.values,
        errors: opts.errors,
        conflict: opts.conflict ? await describe(request, opts.conflict) : undefined,
      });
    },
  };
}
export type Pages = ReturnType<typeof createPages>;
