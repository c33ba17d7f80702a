// A pledge's recorded changes (deadline moves and amendments of its wording), read the same
// way by the public page and the unit workspace. Staff usernames are for the workspace only.
import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { deadlineChanges, pledgeAmendments, users } from '../../db/schema.ts';
import type { DbLike } from '../plugins/db.ts';

export function deadlineHistory(db: DbLike, pledgeId: number, opts: { withStaff?: boolean } = {}) {
  const approver = alias(users, 'approver');
  return db
    .select({
      id: deadlineChanges.id,
      oldDueOn: deadlineChanges.oldDueOn,
      newDueOn: deadlineChanges.newDueOn,
      reason: deadlineChanges.reason,
      createdAt: deadlineChanges.createdAt,
      requestedBy: users.username,
      approvedBy: approver.username,
    })
    .from(deadlineChanges)
    .leftJoin(users, eq(users.id, deadlineChanges.requestedBy))
    .leftJoin(approver, eq(approver.id, deadlineChanges.approvedBy))
    .where(eq(deadlineChanges.pledgeId, pledgeId))
    .orderBy(desc(deadlineChanges.createdAt), desc(deadlineChanges.id))
    .all()
    .map((d) => (opts.withStaff ? d : { ...d, requestedBy: null, approvedBy: null }));
}

export function amendmentHistory(db: DbLike, pledgeId: number, opts: { withStaff?: boolean } = {}) {
  return db
    .select({
      id: pledgeAmendments.id,
      field: pledgeAmendments.field,
      oldValue: pledgeAmendments.oldValue,
      newValue: pledgeAmendments.newValue,
      reason: pledgeAmendments.reason,
      createdAt: pledgeAmendments.createdAt,
      username: users.username,
    })
    .from(pledgeAmendments)
    .leftJoin(users, eq(users.id, pledgeAmendments.userId))
    .where(eq(pledgeAmendments.pledgeId, pledgeId))
    .orderBy(desc(pledgeAmendments.createdAt), desc(pledgeAmendments.id))
    .all()
    .map((a) => (opts.withStaff ? a : { ...a, username: null }));
}
