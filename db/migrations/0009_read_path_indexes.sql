DROP INDEX `suggestions_unit_idx`;--> statement-breakpoint
CREATE INDEX `suggestions_unit_idx` ON `suggestions` (`unit_id`,`status`,`target_kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_target_tally_idx` ON `ratings` (`target_key`,`flag_id`,`verified`,`value`);--> statement-breakpoint
CREATE INDEX `ratings_published_comment_idx` ON `ratings` (`target_key`,`updated_at`) WHERE comment_status = 'published';