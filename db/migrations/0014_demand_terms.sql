-- Each report's distinct search tokens, as demand_search's tokenizer holds them, so the board's
-- search can walk its own order and check one report with a seek per term (src/demands/
-- board-search.ts) instead of sorting every match. Like pledge_terms (0012): the primary key is
-- the whole row, so WITHOUT ROWID keeps one b-tree instead of a table plus its key's index.
CREATE TABLE `demand_terms` (
	`demand_id` integer NOT NULL,
	`token` text NOT NULL,
	PRIMARY KEY(`demand_id`, `token`),
	FOREIGN KEY (`demand_id`) REFERENCES `demands`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- The tokens already indexed, read back from the full-text index itself (fts5vocab gives every
-- token of every row, already folded by the tokenizer), so the two agree from the start. Every
-- report is in demand_search (hidden texts are kept out by the query), so every row is copied.
-- Ordered by the key, the b-tree is filled by appending rather than by scattered inserts.
CREATE VIRTUAL TABLE temp.`demand_search_instances` USING fts5vocab(main, demand_search, instance);
--> statement-breakpoint
INSERT OR IGNORE INTO `demand_terms` (`demand_id`, `token`)
SELECT doc, term FROM temp.`demand_search_instances` ORDER BY doc, term;
--> statement-breakpoint
DROP TABLE temp.`demand_search_instances`;
