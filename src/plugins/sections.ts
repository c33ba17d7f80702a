// Page sections: features that add a block to another feature's page (ratings on the pledge
// page, suggestions on a unit page, pending decisions on the office overview) register it
// here instead of editing that page's route. The page's route loads every section of its page
// and its template includes each one in its slot.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The pages that take sections and what each page's route passes to its loaders. */
export interface SectionContexts {
  /** The public pledge page. */
  pledge: { pledgeId: number; status: string; campaignId: number; leadUnitId: number; today: string };
  /** The public unit page. */
  unit: { unitId: number; isServiceWindow: boolean; kind: string };
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
/** Where on the page the block goes; each page's template documents its slots. */
export type SectionSlot = 'head' | 'main' | 'aside';

export interface PageSection<P extends SectionPage> {
  /** Template path, e.g. '/ratings/_pledge'. It receives the page's `it` plus the loader's data. */
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
export type LoadedSections = Record<SectionSlot, LoadedSection[]>;

export interface SectionRegistry {
  add<P extends SectionPage>(page: P, section: PageSection<P>): void;
  load<P extends SectionPage>(page: P, ctx: SectionContexts[P], request: FastifyRequest): Promise<LoadedSections>;
}

function createRegistry(): SectionRegistry {
  const byPage = new Map<SectionPage, PageSection<any>[]>();
  return {
    add(page, section) {
      const list = byPage.get(page) ?? [];
      list.push(section);
      list.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      byPage.set(page, list);
    },
    async load(page, ctx, request) {
      const out: LoadedSections = { head: [], main: [], aside: [] };
      const list = byPage.get(page) ?? [];
      const data = await Promise.all(list.map((s) => s.load(ctx, request)));
      list.forEach((s, i) => {
        const d = data[i];
        if (d) out[s.slot].push({ template: s.template, data: d });
      });
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
