// Search beside the full-text index. pledge_search (migration 0001, an FTS5 table drizzle cannot
// describe) answers MATCH; this table answers "does pledge N have token T" with one b-tree seek.
import { sqliteTable, integer, text, primaryKey } from 'drizzle-orm/sqlite-core';
import { pledges } from './record.ts';

/**
 * Every distinct token of each published pledge, exactly as pledge_search's tokenizer holds it
 * (src/search/fold.ts), written in the same transaction as pledge_search (src/search/repository.ts).
 * A search page that walks the list's own order checks each candidate pledge here instead of
 * building the full set of matches first (src/pledges/queries.ts). WITHOUT ROWID in the
 * migration (drizzle cannot say it): the primary key is the whole row.
 */
export const pledgeTerms = sqliteTable(
  'pledge_terms',
  {
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id, { onDelete: 'cascade' }),
    token: text('token').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pledgeId, t.token] })],
);
