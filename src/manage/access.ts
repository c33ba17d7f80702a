// Who may do what in the workspace. The office admin acts for every unit; a unit editor acts for
// the pledges their unit leads, and posts progress (without changing status) where it is a co-unit.
import type { Role } from '../../db/schema.ts';
import type { SessionUser } from '../auth/repository.ts';

export const WORKSPACE: { access: Role[] } = { access: ['unit', 'admin'] };

export function leads(user: SessionUser, pledge: { leadUnitId: number }): boolean {
  return user.role === 'admin' || (user.role === 'unit' && user.unitId !== null && user.unitId === pledge.leadUnitId);
}

export function coLeads(user: SessionUser, pledge: { coUnitIds: number[] }): boolean {
  return user.role === 'unit' && user.unitId !== null && pledge.coUnitIds.includes(user.unitId);
}

/** Form fields only the office admin may send; an editor sending other values forged the form. */
export function forgedByEditor(user: SessionUser, body: unknown, allowed: { leadUnitId: number; tier: string }): boolean {
  if (user.role === 'admin') return false;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (b.leadUnitId !== undefined && b.leadUnitId !== '' && String(b.leadUnitId) !== String(allowed.leadUnitId)) return true;
  if (b.tier !== undefined && b.tier !== '' && b.tier !== allowed.tier) return true;
  return false;
}
