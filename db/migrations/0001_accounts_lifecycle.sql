CREATE TABLE `monitoring_days` (
	`account_id` text NOT NULL,
	`day` text NOT NULL,
	`status` text NOT NULL,
	`recorded_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `snapshot_files` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`account_id` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	`bytes` blob NOT NULL,
	`uploaded_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `snapshot_files_account_sha` ON `snapshot_files` (`account_id`,`sha256`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `profile` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `monitoring_checked_through` text;--> statement-breakpoint
CREATE INDEX `items_account_direction_received` ON `items` (`account_id`,`direction`,`received_at`);