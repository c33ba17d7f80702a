-- Search index for demands, tokenised like pledge_search (src/search/tokens.ts). It holds only
-- the redacted public text and the street-level location, so no search can find a report by a
-- reporter's name, number or house number.
CREATE VIRTUAL TABLE `demand_search` USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
-- Reports are never deleted: duplicates are merged by pointing at their canonical demand.
CREATE TRIGGER `demands_no_delete` BEFORE DELETE ON `demands`
BEGIN SELECT RAISE(ABORT, 'demands are never deleted'); END;
