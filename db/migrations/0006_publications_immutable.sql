-- A published notice is permanent: its row, its files and its pledge list are never updated
-- or deleted (a correction is a later publication naming the one it corrects).
CREATE TRIGGER IF NOT EXISTS publications_no_update BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are permanent'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS publications_no_delete BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are permanent'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS publication_files_no_update BEFORE UPDATE ON publication_files
BEGIN SELECT RAISE(ABORT, 'publication files are permanent'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS publication_files_no_delete BEFORE DELETE ON publication_files
BEGIN SELECT RAISE(ABORT, 'publication files are permanent'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS publication_pledges_no_update BEFORE UPDATE ON publication_pledges
BEGIN SELECT RAISE(ABORT, 'publication pledges are permanent'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS publication_pledges_no_delete BEFORE DELETE ON publication_pledges
BEGIN SELECT RAISE(ABORT, 'publication pledges are permanent'); END;
--> statement-breakpoint
-- The original text of a suggestion is never changed (moderation decides only its visibility).
CREATE TRIGGER IF NOT EXISTS suggestions_body_kept BEFORE UPDATE OF body ON suggestions
WHEN NEW.body IS NOT OLD.body
BEGIN SELECT RAISE(ABORT, 'a suggestion''s original text is kept'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS suggestions_no_delete BEFORE DELETE ON suggestions
BEGIN SELECT RAISE(ABORT, 'suggestions are never deleted'); END;
