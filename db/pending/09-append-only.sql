-- Issue 9: the progress timeline and the other history tables are append-only at the database
-- level, like audit_log. Nothing in the application updates or deletes these rows; a correction
-- is a later row. Applied idempotently by openDatabase (src/plugins/db.ts) until it becomes a
-- numbered migration (then keep IF NOT EXISTS, so databases that already have them migrate).
CREATE TRIGGER IF NOT EXISTS progress_updates_no_update BEFORE UPDATE ON progress_updates
BEGIN SELECT RAISE(ABORT, 'progress_updates is append-only'); END;
CREATE TRIGGER IF NOT EXISTS progress_updates_no_delete BEFORE DELETE ON progress_updates
BEGIN SELECT RAISE(ABORT, 'progress_updates is append-only'); END;
CREATE TRIGGER IF NOT EXISTS deadline_changes_no_update BEFORE UPDATE ON deadline_changes
BEGIN SELECT RAISE(ABORT, 'deadline_changes is append-only'); END;
CREATE TRIGGER IF NOT EXISTS deadline_changes_no_delete BEFORE DELETE ON deadline_changes
BEGIN SELECT RAISE(ABORT, 'deadline_changes is append-only'); END;
CREATE TRIGGER IF NOT EXISTS pledge_amendments_no_update BEFORE UPDATE ON pledge_amendments
BEGIN SELECT RAISE(ABORT, 'pledge_amendments is append-only'); END;
CREATE TRIGGER IF NOT EXISTS pledge_amendments_no_delete BEFORE DELETE ON pledge_amendments
BEGIN SELECT RAISE(ABORT, 'pledge_amendments is append-only'); END;
