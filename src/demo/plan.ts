// The shape of a generated demo campaign before it is written: everything refers to units,
// categories and accounts by slug/username, and to other pledges by position, so the plan
// can be built (and tested) without a database.
import type { PledgeStatus, PledgeTier, Role, UnitKind } from '../../db/schema.ts';
import type { PlannedDemand } from './demands.ts';

export interface PlannedUnit {
  slug: string;
  name: string;
  kind: UnitKind;
  parent: string | null;
  isServiceWindow: boolean;
  contactPhone: string;
}

export interface PlannedAccount {
  username: string;
  role: Role;
  unit: string | null;
  displayName: string;
}

export interface PlannedUpdate {
  unit: string;
  author: string | null;
  happenedOn: string;
  body: string;
  progress: number;
  /** Set only when the update changed the status. */
  status: PledgeStatus | null;
  reason: string;
  createdAt: string;
}

export interface PlannedDeadlineChange {
  oldDueOn: string;
  newDueOn: string;
  reason: string;
  requestedBy: string | null;
  approvedBy: string | null;
  createdAt: string;
}

export interface PlannedAmendment {
  field: 'standard';
  oldValue: string;
  newValue: string;
  reason: string;
  user: string | null;
  createdAt: string;
}

export interface PlannedPledge {
  tier: PledgeTier;
  /** Position of the parent pledge in DemoPlan.pledges (always earlier), or null. */
  parent: number | null;
  leadUnit: string;
  coUnits: string[];
  category: string;
  district: string | null;
  title: string;
  commitment: string;
  standard: string;
  leadOfficial: string;
  responsiblePerson: string;
  startOn: string;
  dueOn: string;
  status: PledgeStatus;
  statusReason: string;
  progress: number;
  completedOn: string | null;
  publishedAt: string | null;
  createdAt: string;
  createdBy: string | null;
  updates: PlannedUpdate[];
  deadlineChanges: PlannedDeadlineChange[];
  amendments: PlannedAmendment[];
}

export interface DemoPlan {
  campaign: { slug: string; name: string; description: string; issuingOffice: string; startsOn: string; endsOn: string; timeZone: string };
  categories: { slug: string; nameZh: string; nameEn: string; sortOrder: number }[];
  units: PlannedUnit[];
  accounts: PlannedAccount[];
  pledges: PlannedPledge[];
  /** What the public reported, some claimed into these pledges (src/demo/demands.ts). */
  demands: PlannedDemand[];
}
