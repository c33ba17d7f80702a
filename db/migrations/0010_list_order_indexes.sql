DROP INDEX `pledges_lead_unit_idx`;--> statement-breakpoint
CREATE INDEX `pledges_lead_unit_due_idx` ON `pledges` (`lead_unit_id`,`due_on`);--> statement-breakpoint
CREATE INDEX `pledges_status_progress_idx` ON `pledges` (`status`,"progress" DESC,`due_on`);--> statement-breakpoint
CREATE INDEX `pledges_tier_due_idx` ON `pledges` (`tier`,`due_on`);--> statement-breakpoint
CREATE INDEX `pledges_progress_idx` ON `pledges` (`progress`,`due_on`);--> statement-breakpoint
CREATE INDEX `pledges_progress_desc_idx` ON `pledges` ("progress" DESC,`due_on`);--> statement-breakpoint
CREATE INDEX `pledges_title_idx` ON `pledges` (`title`);--> statement-breakpoint
CREATE INDEX `pledges_updated_idx` ON `pledges` (`updated_at`);--> statement-breakpoint
DROP INDEX `evidence_pledge_idx`;--> statement-breakpoint
CREATE INDEX `evidence_pledge_items_idx` ON `evidence` (`pledge_id`,`progress_update_id`,`position`,`id`,`kind`,`mime`,`original_name`,`size`,`width`,`height`);--> statement-breakpoint
CREATE INDEX `progress_updates_unit_idx` ON `progress_updates` (`unit_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `completion_checks_flag_idx` ON `completion_checks` (`flag_id`) WHERE flag_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ratings_burst_idx` ON `ratings` (`target_key`,`address_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_flag_idx` ON `ratings` (`flag_id`) WHERE flag_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `publication_files_info_idx` ON `publication_files` (`publication_id`,`id`,`format`,`file_name`,`mime`,`size`,`sha256`);