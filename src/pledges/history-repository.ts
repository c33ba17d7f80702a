// A pledge's recorded changes (deadline moves and amendments of its wording), read the same
// way by the public page and the unit workspace. Staff usernames are for the workspace only.
import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { deadlineChanges, pledgeAmendments, users } from '../../db/schema.ts';
import type { DbLike } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';

/** Both histories as prepared queries: the public pledge page reads them on every view. */
function historyQueries(db: DbLike) {
  const approver = alias(users, 'approver');
  return {
    deadlines: preparedOnce(() =>
      db
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
        .where(eq(deadlineChanges.pledgeId, sql.placeholder('pledgeId')))
        .orderBy(desc(deadlineChanges.createdAt), desc(deadlineChanges.id))
        .prepare(),
    ),
    amendments: preparedOnce(() =>
      db
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
        .where(eq(pledgeAmendments.pledgeId, sql.placeholder('pledgeId')))
        .orderBy(desc(pledgeAmendments.createdAt), desc(pledgeAmendments.id))
        .prepare(),
    ),
  };
}

// Callers hand in their connection (the app's, kept for its life) rather than a repository
// object, so the prepared queries are kept per connection handle. A transaction handle gets its
// own, dropped with it.
const preparedFor = new WeakMap<DbLike, ReturnType<typeof historyQueries>>();
function queriesOf(db: DbLike) {
  let found = preparedFor.get(db);
  if (!found) preparedFor.set(db, (found = historyQueries(db)));
  return found;
}

export function deadlineHistory(db: DbLike, pledgeId: number, opts: { withStaff?: boolean } = {}) {
  return queriesOf(db)
    .deadlines()
    .all({ pledgeId })
    .map((d) => (opts.withStaff ? d : { ...d, requestedBy: null, approvedBy: null }));
}

export function amendmentHistory(db: DbLike, pledgeId: number, opts: { withStaff?: boolean } = {}) {
  return queriesOf(db)
    .amendments()
    .all({ pledgeId })
    .map((a) => (opts.withStaff ? a : { ...a, username: null }));
}
