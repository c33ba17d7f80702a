CREATE TABLE `calendar_days` (
	`day` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `completion_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pledge_id` integer NOT NULL,
	`voter_id` text NOT NULL,
	`address_key` text DEFAULT '' NOT NULL,
	`verdict` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`comment_status` text DEFAULT 'none' NOT NULL,
	`flag_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flag_id`) REFERENCES `vote_flags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `completion_checks_pledge_voter_idx` ON `completion_checks` (`pledge_id`,`voter_id`);--> statement-breakpoint
CREATE INDEX `completion_checks_address_idx` ON `completion_checks` (`address_key`,`created_at`);--> statement-breakpoint
CREATE TABLE `deadline_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pledge_id` integer NOT NULL,
	`old_due_on` text NOT NULL,
	`requested_due_on` text NOT NULL,
	`reason` text NOT NULL,
	`requested_by` integer,
	`requested_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`decision_note` text DEFAULT '' NOT NULL,
	`deadline_change_id` integer,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deadline_change_id`) REFERENCES `deadline_changes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deadline_requests_pledge_idx` ON `deadline_requests` (`pledge_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `deadline_requests_status_idx` ON `deadline_requests` (`status`,`requested_at`);--> statement-breakpoint
CREATE TABLE `evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`progress_update_id` integer NOT NULL,
	`pledge_id` integer NOT NULL,
	`kind` text NOT NULL,
	`mime` text NOT NULL,
	`original_name` text DEFAULT '' NOT NULL,
	`bytes` blob NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`width` integer,
	`height` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`uploaded_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`progress_update_id`) REFERENCES `progress_updates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_update_idx` ON `evidence` (`progress_update_id`,`position`);--> statement-breakpoint
CREATE INDEX `evidence_pledge_idx` ON `evidence` (`pledge_id`);--> statement-breakpoint
CREATE TABLE `outlets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`language` text DEFAULT 'zh-CN' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outlets_name_unique` ON `outlets` (`name`);--> statement-breakpoint
CREATE TABLE `publication_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`publication_id` integer NOT NULL,
	`format` text NOT NULL,
	`file_name` text NOT NULL,
	`mime` text NOT NULL,
	`bytes` blob NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	FOREIGN KEY (`publication_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `publication_files_format_idx` ON `publication_files` (`publication_id`,`format`);--> statement-breakpoint
CREATE TABLE `publication_pledges` (
	`publication_id` integer NOT NULL,
	`pledge_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`publication_id`, `pledge_id`),
	FOREIGN KEY (`publication_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publication_pledges_pledge_idx` ON `publication_pledges` (`pledge_id`);--> statement-breakpoint
CREATE TABLE `publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`outlet_id` integer NOT NULL,
	`kind` text NOT NULL,
	`notice_no` text NOT NULL,
	`edition` text DEFAULT '' NOT NULL,
	`published_on` text NOT NULL,
	`title` text NOT NULL,
	`language` text DEFAULT 'zh-CN' NOT NULL,
	`selection` text NOT NULL,
	`snapshot` text NOT NULL,
	`row_count` integer NOT NULL,
	`corrects_id` integer,
	`chain_head` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outlet_id`) REFERENCES `outlets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrects_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publications_outlet_idx` ON `publications` (`outlet_id`,`published_on`);--> statement-breakpoint
CREATE INDEX `publications_campaign_idx` ON `publications` (`campaign_id`,`published_on`);--> statement-breakpoint
CREATE TABLE `rating_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`batch` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rating_codes_hash_idx` ON `rating_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `rating_codes_unit_idx` ON `rating_codes` (`unit_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_key` text NOT NULL,
	`pledge_id` integer,
	`unit_id` integer,
	`voter_id` text NOT NULL,
	`address_key` text DEFAULT '' NOT NULL,
	`value` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`comment_status` text DEFAULT 'none' NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`rating_code_id` integer,
	`flag_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rating_code_id`) REFERENCES `rating_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flag_id`) REFERENCES `vote_flags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_target_voter_idx` ON `ratings` (`target_key`,`voter_id`);--> statement-breakpoint
CREATE INDEX `ratings_pledge_idx` ON `ratings` (`pledge_id`);--> statement-breakpoint
CREATE INDEX `ratings_unit_idx` ON `ratings` (`unit_id`);--> statement-breakpoint
CREATE INDEX `ratings_address_idx` ON `ratings` (`address_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_comment_idx` ON `ratings` (`comment_status`,`created_at`);--> statement-breakpoint
CREATE TABLE `service_commitments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer NOT NULL,
	`item` text NOT NULL,
	`standard` text DEFAULT '' NOT NULL,
	`time_limit_working_days` integer NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_commitments_unit_idx` ON `service_commitments` (`unit_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `staff_cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_id` integer NOT NULL,
	`name` text NOT NULL,
	`post` text NOT NULL,
	`duties` text DEFAULT '' NOT NULL,
	`promise` text DEFAULT '' NOT NULL,
	`photo` blob,
	`photo_mime` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_cards_unit_idx` ON `staff_cards` (`unit_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`target_kind` text NOT NULL,
	`pledge_id` integer,
	`unit_id` integer,
	`author_name` text DEFAULT '' NOT NULL,
	`author_contact` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reject_reason` text DEFAULT '' NOT NULL,
	`moderated_by` integer,
	`moderated_at` text,
	`reply` text DEFAULT '' NOT NULL,
	`reply_unit_id` integer,
	`replied_by` integer,
	`replied_at` text,
	`address_key` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`moderated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reply_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replied_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_status_idx` ON `suggestions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `suggestions_pledge_idx` ON `suggestions` (`pledge_id`,`status`);--> statement-breakpoint
CREATE INDEX `suggestions_unit_idx` ON `suggestions` (`unit_id`,`status`);--> statement-breakpoint
CREATE INDEX `suggestions_campaign_idx` ON `suggestions` (`campaign_id`,`target_kind`,`status`);--> statement-breakpoint
CREATE INDEX `suggestions_address_idx` ON `suggestions` (`address_key`,`created_at`);--> statement-breakpoint
CREATE TABLE `vote_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_key` text NOT NULL,
	`address_key` text NOT NULL,
	`first_at` text NOT NULL,
	`last_at` text NOT NULL,
	`vote_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vote_flags_status_idx` ON `vote_flags` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `vote_flags_target_address_idx` ON `vote_flags` (`target_key`,`address_key`);