// Suggestions (建言献策): every read and write, behind one repository. What the public sees is
// in public-queries.ts, the office's moderation and the units' answers in moderation.ts; what
// stays here is taking a new suggestion in.
//
// Privacy: the author's contact and the address key are written here and read back only by
// moderation.ts's officeView() (the office's moderation page).
import { and, count, eq, gte } from 'drizzle-orm';
import { suggestions, type SuggestionTarget } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { createPublicSuggestionQueries } from './public-queries.ts';
import { createSuggestionModeration } from './moderation.ts';

export interface NewSuggestion {
  campaignId: number;
  targetKind: SuggestionTarget;
  pledgeId: number | null;
  unitId: number | null;
  authorName: string;
  authorContact: string;
  body: string;
  addressKey: string;
}

export function createSuggestionRepository(db: Db) {
  return {
    ...createPublicSuggestionQueries(db),
    ...createSuggestionModeration(db),

    async create(input: NewSuggestion): Promise<{ id: number }> {
      return db.transaction((tx) => {
        const row = tx.insert(suggestions).values(input).returning({ id: suggestions.id }).get();
        // The log names no one and keeps no text: the author's address and contact are personal, the log is forever.
        appendAudit(tx, { userId: null, username: '', ip: '' }, {
          action: 'suggestion.create',
          entity: 'suggestion',
          entityId: row.id,
          after: { targetKind: input.targetKind, pledgeId: input.pledgeId, unitId: input.unitId, status: 'pending' },
        });
        return row;
      });
    },

    /** Posts from one address since a moment (a limit that outlives a restart, unlike the in-memory one). */
    async countFromAddress(addressKey: string, sinceIso: string): Promise<number> {
      return db.select({ n: count() }).from(suggestions).where(and(eq(suggestions.addressKey, addressKey), gte(suggestions.createdAt, sinceIso))).get()!.n;
    },
  };
}
export type SuggestionRepository = ReturnType<typeof createSuggestionRepository>;
