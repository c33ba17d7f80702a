import { progressUpdates } from '../../db/schema.ts';

/** What the public may see of a progress update; every list of updates selects these. */
export const publicUpdateColumns = {
  id: progressUpdates.id,
  happenedOn: progressUpdates.happenedOn,
  body: progressUpdates.body,
  progress: progressUpdates.progress,
  status: progressUpdates.status,
  reason: progressUpdates.reason,
  createdAt: progressUpdates.createdAt,
};
