// Who may write a window's entries: a unit editor their own unit's, the office admin any unit's.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { id as idSchema } from '../validation.ts';

export function entryId(request: FastifyRequest): number {
  const parsed = idSchema().safeParse((request.params as { id?: string }).id);
  if (!parsed.success) throw new HttpError(404);
  return parsed.data;
}

/** The unit a request acts for: an editor's own unit; for the office, the unit it names. */
export function actingUnit(request: FastifyRequest, named: number | undefined): number | undefined {
  const user = request.user!;
  if (user.role === 'admin') return named;
  if (!user.unitId) throw new HttpError(403);
  // An editor naming another unit forged the form.
  if (named !== undefined && named !== user.unitId) throw new HttpError(403);
  return user.unitId;
}

/** Refuses an entry of another unit (403) before anything is read from the form or written. */
export function assertOwns(request: FastifyRequest, entryUnitId: number) {
  const user = request.user!;
  if (user.role !== 'admin' && user.unitId !== entryUnitId) throw new HttpError(403);
}
