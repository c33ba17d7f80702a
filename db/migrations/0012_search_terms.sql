-- Each published pledge's distinct search tokens, as pledge_search's tokenizer holds them, so a
-- search page can check one pledge with a seek per term (src/pledges/queries.ts, probing) instead
-- of building every match first. The primary key is the whole row: WITHOUT ROWID keeps one
-- b-tree instead of a table plus its key's index.
CREATE TABLE `pledge_terms` (
	`pledge_id` integer NOT NULL,
	`token` text NOT NULL,
	PRIMARY KEY(`pledge_id`, `token`),
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- The tokens already indexed, read back from the full-text index itself (fts5vocab gives every
-- token of every row, already folded by the tokenizer), so the two agree from the start. Only
-- published pledges are indexed; the IN keeps out any row of a pledge no longer published.
CREATE VIRTUAL TABLE temp.`pledge_search_instances` USING fts5vocab(main, pledge_search, instance);
--> statement-breakpoint
INSERT OR IGNORE INTO `pledge_terms` (`pledge_id`, `token`)
SELECT doc, term FROM temp.`pledge_search_instances` WHERE doc IN (SELECT `id` FROM `pledges` WHERE `status` <> 'draft');
--> statement-breakpoint
DROP TABLE temp.`pledge_search_instances`;
