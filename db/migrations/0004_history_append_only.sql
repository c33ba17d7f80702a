-- The progress timeline and the other history tables are append-only, like audit_log: nothing
-- updates or deletes these rows; a correction is a later row. IF NOT EXISTS: databases that ran
-- the interim start-up copy of these triggers migrate cleanly.
CREATE TRIGGER IF NOT EXISTS progress_updates_no_update BEFORE UPDATE ON progress_updates
BEGIN SELECT RAISE(ABORT, 'progress_updates is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS progress_updates_no_delete BEFORE DELETE ON progress_updates
BEGIN SELECT RAISE(ABORT, 'progress_updates is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS deadline_changes_no_update BEFORE UPDATE ON deadline_changes
BEGIN SELECT RAISE(ABORT, 'deadline_changes is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS deadline_changes_no_delete BEFORE DELETE ON deadline_changes
BEGIN SELECT RAISE(ABORT, 'deadline_changes is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS pledge_amendments_no_update BEFORE UPDATE ON pledge_amendments
BEGIN SELECT RAISE(ABORT, 'pledge_amendments is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS pledge_amendments_no_delete BEFORE DELETE ON pledge_amendments
BEGIN SELECT RAISE(ABORT, 'pledge_amendments is append-only'); END;
