CREATE TABLE `rating_tallies` (
	`target_key` text NOT NULL,
	`flag_key` integer NOT NULL,
	`verified` integer NOT NULL,
	`value` text NOT NULL,
	`pledge_id` integer,
	`unit_id` integer,
	`n` integer NOT NULL,
	PRIMARY KEY(`target_key`, `flag_key`, `verified`, `value`)
);
--> statement-breakpoint
-- The tallies start from the votes already stored (the flag's NULL grouped as one, as GROUP BY
-- does, and stored as 0). pledge_id and unit_id are the same on every vote of a target.
INSERT INTO rating_tallies (target_key, flag_key, verified, value, pledge_id, unit_id, n)
SELECT target_key, coalesce(flag_id, 0), verified, value, min(pledge_id), min(unit_id), count(*)
FROM ratings GROUP BY target_key, flag_id, verified, value;
--> statement-breakpoint
-- From here on the tallies are kept exact inside the transaction that writes a vote, whoever
-- writes it (the app, the CLI, the dataset generator). A group that reaches 0 is deleted, so the
-- table always equals a GROUP BY over ratings.
CREATE TRIGGER ratings_tally_insert AFTER INSERT ON ratings
BEGIN
  INSERT INTO rating_tallies (target_key, flag_key, verified, value, pledge_id, unit_id, n)
  VALUES (NEW.target_key, coalesce(NEW.flag_id, 0), NEW.verified, NEW.value, NEW.pledge_id, NEW.unit_id, 1)
  ON CONFLICT (target_key, flag_key, verified, value) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER ratings_tally_delete AFTER DELETE ON ratings
BEGIN
  UPDATE rating_tallies SET n = n - 1
  WHERE target_key = OLD.target_key AND flag_key = coalesce(OLD.flag_id, 0) AND verified = OLD.verified AND value = OLD.value;
  DELETE FROM rating_tallies
  WHERE target_key = OLD.target_key AND flag_key = coalesce(OLD.flag_id, 0) AND verified = OLD.verified AND value = OLD.value AND n <= 0;
END;
--> statement-breakpoint
-- A changed vote, a verification, a vote put into a stuffing flag: the old group loses it, the new
-- one gains it. A second vote with the same answer rewrites `value` unchanged (the vote's UPSERT),
-- so the WHEN skips rows whose tallied columns did not really change.
CREATE TRIGGER ratings_tally_update AFTER UPDATE OF target_key, flag_id, verified, value ON ratings
WHEN OLD.target_key IS NOT NEW.target_key OR OLD.flag_id IS NOT NEW.flag_id OR OLD.verified IS NOT NEW.verified OR OLD.value IS NOT NEW.value
BEGIN
  UPDATE rating_tallies SET n = n - 1
  WHERE target_key = OLD.target_key AND flag_key = coalesce(OLD.flag_id, 0) AND verified = OLD.verified AND value = OLD.value;
  DELETE FROM rating_tallies
  WHERE target_key = OLD.target_key AND flag_key = coalesce(OLD.flag_id, 0) AND verified = OLD.verified AND value = OLD.value AND n <= 0;
  INSERT INTO rating_tallies (target_key, flag_key, verified, value, pledge_id, unit_id, n)
  VALUES (NEW.target_key, coalesce(NEW.flag_id, 0), NEW.verified, NEW.value, NEW.pledge_id, NEW.unit_id, 1)
  ON CONFLICT (target_key, flag_key, verified, value) DO UPDATE SET n = n + 1;
END;
