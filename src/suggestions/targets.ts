// What a suggestion is about: a published pledge, a unit, or the campaign as a whole. The form,
// its confirmation and the public list all name their target the same way (?pledge=ID,
// ?unit=slug, or neither), and resolve it here.
import type { FastifyInstance } from 'fastify';
import type { SuggestionTarget } from '../../db/schema.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createSuggestionRepository } from './repository.ts';

export interface Target {
  kind: SuggestionTarget;
  campaignId: number;
  /** The unit addressed: a pledge's lead unit, the unit itself, or null for the campaign. */
  unitId: number | null;
  pledgeId: number | null;
  /** What the page calls the target (a pledge's title, a unit's name, the campaign's name). */
  label: string;
  /** The target's public page. */
  href: string;
  /** The query string that names this target on /suggest and the lists ('' for the campaign). */
  query: string;
  /** The unit's current slug, for a unit target (the hidden field of the form). */
  unitSlug: string;
}

export interface TargetRef {
  pledgeId?: number;
  unitSlug?: string;
}

/** What a suggestion to a unit needs of it. */
interface UnitOfTarget {
  id: number;
  slug: string;
  name: string;
  active: boolean;
}

/** An active unit as a target (an inactive one takes no new suggestions). */
function unitTarget(u: UnitOfTarget, campaignId: number): Target | undefined {
  if (!u.active) return undefined;
  return { kind: 'unit', campaignId, unitId: u.id, pledgeId: null, label: u.name, href: `/units/${u.slug}`, query: `unit=${u.slug}`, unitSlug: u.slug };
}

export function createTargetResolver(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);

  /** Every unit page asks; the answer changes only with the data or the date. */
  function currentCampaign() {
    const today = todayIn(app.config.timeZone);
    return app.aggregates.get(`campaign:current:${today}`, () => campaignRepo.current(today));
  }

  return {
    /** A unit the caller has already read (the unit page), as a target: undefined when it is inactive or there is no campaign. */
    async ofUnit(unit: UnitOfTarget): Promise<Target | undefined> {
      const campaign = await currentCampaign();
      return campaign && unitTarget(unit, campaign.id);
    },

    /** The target, or undefined when it does not exist or is not public (a draft pledge, an inactive unit, no campaign). */
    async resolve(ref: TargetRef): Promise<Target | undefined> {
      if (ref.pledgeId !== undefined) {
        const pledge = await repo.targetPledge(ref.pledgeId);
        // A draft is not public: it does not exist for the public, so neither does its form.
        if (!pledge || pledge.status === 'draft') return undefined;
        return {
          kind: 'pledge',
          campaignId: pledge.campaignId,
          unitId: pledge.leadUnitId,
          pledgeId: pledge.id,
          label: pledge.title,
          href: `/pledges/${pledge.id}`,
          query: `pledge=${pledge.id}`,
          unitSlug: '',
        };
      }
      const campaign = await currentCampaign();
      if (!campaign) return undefined;
      if (ref.unitSlug) {
        // A slug may be a retired one (the units repository knows those).
        const u = (await unitRepo.bySlug(ref.unitSlug))?.unit;
        return u && unitTarget(u, campaign.id);
      }
      return { kind: 'campaign', campaignId: campaign.id, unitId: null, pledgeId: null, label: campaign.name, href: '/suggestions', query: '', unitSlug: '' };
    },
  };
}
export type TargetResolver = ReturnType<typeof createTargetResolver>;
