-- Search index for pledges. The application writes pre-tokenised text (src/search/tokens.ts):
-- Han runs become single characters plus overlapping bigrams, other words are lower-cased,
-- so one- and two-character Chinese queries (水, 供暖) are answered from the index.
CREATE VIRTUAL TABLE `pledge_search` USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
