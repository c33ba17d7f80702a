// Search beside the full-text index. pledge_search (migration 0001, an FTS5 table drizzle cannot
// describe) answers MATCH; these tables answer "does pledge (or demand) N have token T" with one
// b-tree seek (demand_search, migration 0003, likewise).
import { sqliteTable, integer, text, primaryKey } from 'drizzle-orm/sqlite-core';
import { pledges } from './record.ts';
import { demands } from './demands.ts';

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

/**
 * The same for demands: every distinct token of each report, exactly as demand_search holds it
 * (src/search/fold.ts), written wherever demand_search is (src/demands/search-index.ts). Hidden
 * texts are indexed too and kept out by the board's query, as with the full-text index. The
 * board's search walks its own order and checks each report here (src/demands/board-search.ts).
 */
export const demandTerms = sqliteTable(
  'demand_terms',
  {
    demandId: integer('demand_id')
      .notNull()
      .references(() => demands.id, { onDelete: 'cascade' }),
    token: text('token').notNull(),
  },
  (t) => [primaryKey({ columns: [t.demandId, t.token] })],
);
