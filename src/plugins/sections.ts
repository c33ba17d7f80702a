// Page sections: features that add a block to another feature's page (ratings on the pledge
// page, suggestions on a unit page, pending decisions on the office overview) register it
// here instead of editing that page's route. The page's route loads every section of its page
// and its template includes each one in its slot.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A deadline move as the pledge page reads it (src/pledges/history-repository.ts). */
export interface DeadlineMove {
  id: number;
  oldDueOn: string;
  newDueOn: string;
  reason: string;
  createdAt: string;
}

/** The pages that take sections and what each page's route passes to its loaders. */
export interface SectionContexts {
  /**
   * The public pledge page. What the page has already read of the pledge comes along, so a
   * section does not read it again: its title, the deadline moves on record, and whether it
   * has any rows of the kinds sections show (a false is certain: that section has nothing to
   * read; a true only says there is something).
   */
  pledge: {
    pledgeId: number;
    status: string;
    campaignId: number;
    leadUnitId: number;
    title: string;
    today: string;
    deadlineMoves: readonly DeadlineMove[];
    has: { evidence: boolean; deadlineRequests: boolean; notices: boolean; ratingComments: boolean };
  };
  /** The public unit page, with what it has already read of the unit (so a section does not read it again). */
  unit: { unitId: number; slug: string; name: string; active: boolean; isServiceWindow: boolean; kind: string };
  /** The unit workspace's page of one pledge. */
  'manage-pledge': { pledgeId: number; status: string; leadUnitId: number; leads: boolean; today: string };
  /** The unit workspace's dashboard; unitId is null for the office looking across units. */
  manage: { unitId: number | null; campaignId: number | null; today: string };
  /** The office overview. */
  admin: Record<string, never>;
  /** The home page. */
  home: { campaignId: number | null; today: string };
}
export type SectionPage = keyof SectionContexts;
/**
 * Where on the page the block goes; each page's template documents its slots. 'data' is a
 * block without markup of its own: the page's template reads its data where it needs it
 * (it.sections.data[template]), and nothing is included for it.
 */
export type SectionSlot = 'head' | 'main' | 'aside' | 'data';
type MarkupSlot = Exclude<SectionSlot, 'data'>;

export interface PageSection<P extends SectionPage> {
  /**
   * Template path, e.g. '/ratings/_pledge'. It receives the loader's data plus the page's
   * helpers (t, num, day, instant, lang); a template that reads anything else of the page's
   * `it` gets all of it (views/partials/sections.eta). For a 'data' section, the name its data
   * is found under.
   */
  template: string;
  slot: SectionSlot;
  /** Lower comes first within a slot. */
  order?: number;
  /** Data for the template, or null to leave the section out on this page. */
  load(ctx: SectionContexts[P], request: FastifyRequest): Promise<Record<string, unknown> | null>;
}

export interface LoadedSection {
  template: string;
  data: Record<string, unknown>;
}
export type LoadedSections = Record<MarkupSlot, LoadedSection[]> & {
  /** The data of the page's 'data' sections that loaded, by template name. */
  data: Record<string, Record<string, unknown>>;
};

export interface SectionRegistry {
  add<P extends SectionPage>(page: P, section: PageSection<P>): void;
  load<P extends SectionPage>(page: P, ctx: SectionContexts[P], request: FastifyRequest): Promise<LoadedSections>;
}

function createRegistry(): SectionRegistry {
  const byPage = new Map<SectionPage, PageSection<any>[]>();
  const none: PageSection<any>[] = [];
  return {
    add(page, section) {
      const list = byPage.get(page) ?? [];
      list.push(section);
      list.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      byPage.set(page, list);
    },
    async load(page, ctx, request) {
      const out: LoadedSections = { head: [], main: [], aside: [], data: {} };
      const list = byPage.get(page) ?? none;
      const loaded = await Promise.all(list.map((s) => s.load(ctx, request)));
      for (let i = 0; i < list.length; i++) {
        const data = loaded[i];
        if (!data) continue;
        const section = list[i];
        if (section.slot === 'data') out.data[section.template] = data;
        else out[section.slot].push({ template: section.template, data });
      }
      return out;
    },
  };
}

export default fp(
  async function sectionsPlugin(app: FastifyInstance) {
    app.decorate('sections', createRegistry());
  },
  { name: 'sections' },
);

declare module 'fastify' {
  interface FastifyInstance {
    sections: SectionRegistry;
  }
}
