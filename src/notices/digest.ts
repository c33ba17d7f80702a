// What changed between two notices of the same outlet, from their snapshots alone (the record as
// each notice printed it, not as it is now): new pledges, completed, newly overdue, deadline moved,
// and pledges the later notice no longer carries.
import type { NoticeDocument, NoticeRow } from '../press/render/types.ts';

export interface DigestEntry {
  pledgeId: number;
  title: string;
  unitName: string;
  before: NoticeRow | null;
  after: NoticeRow | null;
}

export interface Digest {
  added: DigestEntry[];
  completed: DigestEntry[];
  newlyOverdue: DigestEntry[];
  deadlineMoved: DigestEntry[];
  dropped: DigestEntry[];
}

function rowsById(doc: NoticeDocument): Map<number, NoticeRow> {
  return new Map(doc.groups.flatMap((g) => g.rows).map((r) => [r.pledgeId, r]));
}

/** `older` is the earlier notice, `newer` the later one. */
export function digest(older: NoticeDocument, newer: NoticeDocument): Digest {
  const a = rowsById(older);
  const b = rowsById(newer);
  const out: Digest = { added: [], completed: [], newlyOverdue: [], deadlineMoved: [], dropped: [] };
  const entry = (before: NoticeRow | null, after: NoticeRow | null): DigestEntry => {
    const r = (after ?? before)!;
    return { pledgeId: r.pledgeId, title: r.title, unitName: r.leadUnitName, before, after };
  };
  for (const [id, now] of b) {
    const then = a.get(id) ?? null;
    if (!then) out.added.push(entry(null, now));
    // A pledge the older notice did not carry counts as newly completed or overdue only when that
    // happened after the older notice's date; otherwise it is simply new to this outlet's readers.
    const completedSince = then ? then.status !== 'completed' : !!now.completedOn && now.completedOn > older.publishedOn;
    const overdueSince = then ? !then.overdue : now.dueOn >= older.publishedOn;
    if (now.status === 'completed' && completedSince) out.completed.push(entry(then, now));
    if (now.overdue && overdueSince) out.newlyOverdue.push(entry(then, now));
    if (then && then.dueOn !== now.dueOn) out.deadlineMoved.push(entry(then, now));
  }
  for (const [id, then] of a) if (!b.has(id)) out.dropped.push(entry(then, null));
  return out;
}
