CREATE INDEX `completion_checks_updated_idx` ON `completion_checks` (`updated_at`);--> statement-breakpoint
CREATE INDEX `ratings_updated_idx` ON `ratings` (`updated_at`);