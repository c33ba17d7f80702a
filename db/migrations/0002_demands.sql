CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	`last_used_at` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `demands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tracking_no` text NOT NULL,
	`channel` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`external_ref` text,
	`campaign_id` integer,
	`category_id` integer,
	`district_unit_id` integer,
	`text` text NOT NULL,
	`public_text` text NOT NULL,
	`text_hidden` integer DEFAULT false NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`reported_at` text NOT NULL,
	`reporter_name` text DEFAULT '' NOT NULL,
	`reporter_phone` text DEFAULT '' NOT NULL,
	`reporter_contact` text DEFAULT '' NOT NULL,
	`contact_erased_at` text,
	`status` text DEFAULT 'new' NOT NULL,
	`duplicate_of_id` integer,
	`suggested_unit_id` integer,
	`decline_reason` text DEFAULT '' NOT NULL,
	`declined_by_unit_id` integer,
	`closed_at` text,
	`import_batch_id` integer,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`district_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`duplicate_of_id`) REFERENCES `demands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`suggested_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declined_by_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `demands_tracking_no_idx` ON `demands` (`tracking_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `demands_channel_external_ref_idx` ON `demands` (`channel`,`external_ref`) WHERE external_ref IS NOT NULL;--> statement-breakpoint
CREATE INDEX `demands_status_idx` ON `demands` (`status`,`reported_at`);--> statement-breakpoint
CREATE INDEX `demands_reported_idx` ON `demands` (`reported_at`);--> statement-breakpoint
CREATE INDEX `demands_category_idx` ON `demands` (`category_id`);--> statement-breakpoint
CREATE INDEX `demands_district_idx` ON `demands` (`district_unit_id`);--> statement-breakpoint
CREATE INDEX `demands_suggested_unit_idx` ON `demands` (`suggested_unit_id`);--> statement-breakpoint
CREATE INDEX `demands_duplicate_of_idx` ON `demands` (`duplicate_of_id`);--> statement-breakpoint
CREATE INDEX `demands_closed_idx` ON `demands` (`closed_at`);--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`file_name` text NOT NULL,
	`format` text NOT NULL,
	`encoding` text DEFAULT '' NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`stored_count` integer DEFAULT 0 NOT NULL,
	`skipped_count` integer DEFAULT 0 NOT NULL,
	`refused_count` integer DEFAULT 0 NOT NULL,
	`refused_rows` text DEFAULT '[]' NOT NULL,
	`refused_erased_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pledge_demands` (
	`demand_id` integer PRIMARY KEY NOT NULL,
	`pledge_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`claimed_by` integer,
	`claimed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`demand_id`) REFERENCES `demands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pledge_demands_pledge_idx` ON `pledge_demands` (`pledge_id`);--> statement-breakpoint
CREATE INDEX `pledge_demands_unit_idx` ON `pledge_demands` (`unit_id`);