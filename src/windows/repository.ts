// Service windows (四推一诺): a unit's service commitments (限时办结) and staff post cards (亮牌上岗).
// Every write is audited in its own transaction; the photo bytes never go into the audit log.
import { and, asc, eq, sql } from 'drizzle-orm';
import { serviceCommitments, staffCards, units } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type Commitment = typeof serviceCommitments.$inferSelect;
export type StaffCard = Omit<typeof staffCards.$inferSelect, 'photo'> & { hasPhoto: boolean };
export type CommitmentInput = Pick<Commitment, 'item' | 'standard' | 'timeLimitWorkingDays'>;
export type StaffInput = Pick<StaffCard, 'name' | 'post' | 'duties' | 'promise'>;
export type WindowKind = 'commitment' | 'staff';
export type Move = 'up' | 'down';

const staffColumns = {
  id: staffCards.id,
  unitId: staffCards.unitId,
  name: staffCards.name,
  post: staffCards.post,
  duties: staffCards.duties,
  promise: staffCards.promise,
  photoMime: staffCards.photoMime,
  hasPhoto: sql<boolean>`${staffCards.photo} IS NOT NULL`.mapWith(Boolean),
  sortOrder: staffCards.sortOrder,
  active: staffCards.active,
  createdAt: staffCards.createdAt,
  updatedAt: staffCards.updatedAt,
};

function tableOf(kind: WindowKind) {
  return kind === 'commitment' ? serviceCommitments : staffCards;
}

/** Audit snapshot of a staff card: everything but the photo's bytes. */
function staffSnapshot(tx: DbLike, id: number) {
  return tx.select(staffColumns).from(staffCards).where(eq(staffCards.id, id)).get();
}

function nextSortOrder(tx: DbLike, kind: WindowKind, unitId: number): number {
  const t = tableOf(kind);
  const row = tx.select({ max: sql<number | null>`max(${t.sortOrder})` }).from(t).where(eq(t.unitId, unitId)).get();
  return Number(row?.max ?? 0) + 1;
}

export function createWindowRepository(db: Db) {
  // Every unit page shows its window's commitments and staff: built once, not per request.
  const commitmentsWhere = (active: boolean) =>
    and(eq(serviceCommitments.unitId, sql.placeholder('unitId')), active ? eq(serviceCommitments.active, true) : undefined);
  const commitmentsQuery = (active: boolean) =>
    preparedOnce(() =>
      db.select().from(serviceCommitments).where(commitmentsWhere(active)).orderBy(asc(serviceCommitments.sortOrder), asc(serviceCommitments.id)).prepare(),
    );
  const commitmentsOf = { active: commitmentsQuery(true), all: commitmentsQuery(false) };
  const staffQuery = (active: boolean) =>
    preparedOnce(() =>
      db
        .select(staffColumns)
        .from(staffCards)
        .where(and(eq(staffCards.unitId, sql.placeholder('unitId')), active ? eq(staffCards.active, true) : undefined))
        .orderBy(asc(staffCards.sortOrder), asc(staffCards.id))
        .prepare(),
    );
  const staffOf = { active: staffQuery(true), all: staffQuery(false) };
  return {
    /** Active units flagged as service windows, by name (the office's picker in the workspace). */
    async windowUnits() {
      return db
        .select({ id: units.id, slug: units.slug, name: units.name })
        .from(units)
        .where(and(eq(units.isServiceWindow, true), eq(units.active, true)))
        .orderBy(asc(units.name))
        .all();
    },

    async commitments(unitId: number, opts: { includeInactive?: boolean } = {}): Promise<Commitment[]> {
      return (opts.includeInactive ? commitmentsOf.all : commitmentsOf.active)().all({ unitId });
    },

    async staff(unitId: number, opts: { includeInactive?: boolean } = {}): Promise<StaffCard[]> {
      return (opts.includeInactive ? staffOf.all : staffOf.active)().all({ unitId });
    },

    async commitment(id: number): Promise<Commitment | undefined> {
      return db.select().from(serviceCommitments).where(eq(serviceCommitments.id, id)).get();
    },

    async staffCard(id: number): Promise<StaffCard | undefined> {
      return db.select(staffColumns).from(staffCards).where(eq(staffCards.id, id)).get();
    },

    /** An active card's photo, for the public: nothing for a deactivated card. */
    async photo(id: number): Promise<{ bytes: Buffer; mime: string; updatedAt: string } | undefined> {
      const row = db
        .select({ bytes: staffCards.photo, mime: staffCards.photoMime, updatedAt: staffCards.updatedAt })
        .from(staffCards)
        .innerJoin(units, eq(units.id, staffCards.unitId))
        .where(and(eq(staffCards.id, id), eq(staffCards.active, true), eq(units.active, true), eq(units.isServiceWindow, true)))
        .get();
      if (!row?.bytes || !row.mime) return undefined;
      return { bytes: row.bytes, mime: row.mime, updatedAt: row.updatedAt };
    },

    async addCommitment(actor: Actor, unitId: number, input: CommitmentInput): Promise<Commitment> {
      return db.transaction((tx) => {
        const row = tx
          .insert(serviceCommitments)
          .values({ ...input, unitId, sortOrder: nextSortOrder(tx, 'commitment', unitId) })
          .returning()
          .get();
        appendAudit(tx, actor, { action: 'window.commitment.create', entity: 'service_commitment', entityId: row.id, after: row });
        return row;
      });
    },

    async updateCommitment(actor: Actor, id: number, input: CommitmentInput): Promise<Commitment | undefined> {
      return db.transaction((tx) => {
        const before = tx.select().from(serviceCommitments).where(eq(serviceCommitments.id, id)).get();
        if (!before) return undefined;
        const after = tx
          .update(serviceCommitments)
          .set({ ...input, updatedAt: new Date().toISOString() })
          .where(eq(serviceCommitments.id, id))
          .returning()
          .get();
        appendAudit(tx, actor, { action: 'window.commitment.update', entity: 'service_commitment', entityId: id, before, after });
        return after;
      });
    },

    async addStaff(actor: Actor, unitId: number, input: StaffInput): Promise<StaffCard> {
      return db.transaction((tx) => {
        const { id } = tx
          .insert(staffCards)
          .values({ ...input, unitId, sortOrder: nextSortOrder(tx, 'staff', unitId) })
          .returning({ id: staffCards.id })
          .get();
        const after = staffSnapshot(tx, id)!;
        appendAudit(tx, actor, { action: 'window.staff.create', entity: 'staff_card', entityId: id, after });
        return after;
      });
    },

    async updateStaff(actor: Actor, id: number, input: StaffInput): Promise<StaffCard | undefined> {
      return db.transaction((tx) => {
        const before = staffSnapshot(tx, id);
        if (!before) return undefined;
        tx.update(staffCards)
          .set({ ...input, updatedAt: new Date().toISOString() })
          .where(eq(staffCards.id, id))
          .run();
        const after = staffSnapshot(tx, id)!;
        appendAudit(tx, actor, { action: 'window.staff.update', entity: 'staff_card', entityId: id, before, after });
        return after;
      });
    },

    /** Sets (bytes) or removes (null) a staff card's photo. */
    async setPhoto(actor: Actor, id: number, photo: { bytes: Buffer; mime: string } | null): Promise<boolean> {
      return db.transaction((tx) => {
        const before = staffSnapshot(tx, id);
        if (!before) return false;
        tx.update(staffCards)
          .set({ photo: photo?.bytes ?? null, photoMime: photo?.mime ?? null, updatedAt: new Date().toISOString() })
          .where(eq(staffCards.id, id))
          .run();
        appendAudit(tx, actor, {
          action: photo ? 'window.staff.photo' : 'window.staff.photo_remove',
          entity: 'staff_card',
          entityId: id,
          before: { photoMime: before.photoMime, hasPhoto: before.hasPhoto },
          after: photo ? { photoMime: photo.mime, size: photo.bytes.length } : { hasPhoto: false },
        });
        return true;
      });
    },

    /** Deactivates (hides from the public, kept for the record) or reactivates an entry. */
    async setActive(actor: Actor, kind: WindowKind, id: number, active: boolean): Promise<boolean> {
      const t = tableOf(kind);
      return db.transaction((tx) => {
        const before = tx.select({ id: t.id, active: t.active }).from(t).where(eq(t.id, id)).get();
        if (!before) return false;
        if (before.active === active) return true;
        tx.update(t).set({ active, updatedAt: new Date().toISOString() }).where(eq(t.id, id)).run();
        appendAudit(tx, actor, {
          action: `window.${kind}.${active ? 'activate' : 'deactivate'}`,
          entity: kind === 'commitment' ? 'service_commitment' : 'staff_card',
          entityId: id,
          before: { active: before.active },
          after: { active },
        });
        return true;
      });
    },

    /** Swaps an entry with its neighbour in the unit's order (inactive entries included). */
    async move(actor: Actor, kind: WindowKind, id: number, direction: Move): Promise<boolean> {
      const t = tableOf(kind);
      return db.transaction((tx) => {
        const row = tx.select({ id: t.id, unitId: t.unitId }).from(t).where(eq(t.id, id)).get();
        if (!row) return false;
        const list = tx
          .select({ id: t.id, sortOrder: t.sortOrder })
          .from(t)
          .where(eq(t.unitId, row.unitId))
          .orderBy(asc(t.sortOrder), asc(t.id))
          .all();
        const at = list.findIndex((r) => r.id === id);
        const other = direction === 'up' ? at - 1 : at + 1;
        if (other < 0 || other >= list.length) return true;
        [list[at], list[other]] = [list[other], list[at]];
        // Renumber the whole list: equal or missing sort orders (rows written by other tools) settle too.
        list.forEach((r, i) => tx.update(t).set({ sortOrder: i + 1 }).where(eq(t.id, r.id)).run());
        appendAudit(tx, actor, {
          action: `window.${kind}.move`,
          entity: kind === 'commitment' ? 'service_commitment' : 'staff_card',
          entityId: id,
          after: { direction, order: list.map((r) => r.id) },
        });
        return true;
      });
    },
  };
}
export type WindowRepository = ReturnType<typeof createWindowRepository>;
