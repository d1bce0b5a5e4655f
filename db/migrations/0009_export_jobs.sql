CREATE TABLE `export_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`format` text NOT NULL,
	`from_at` text NOT NULL,
	`to_at` text NOT NULL,
	`account_id` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`progress_done` integer DEFAULT 0 NOT NULL,
	`progress_total` integer DEFAULT 0 NOT NULL,
	`files` integer,
	`bytes` integer,
	`sha256` text,
	`validation_errors` text DEFAULT '[]' NOT NULL,
	`error` text,
	`requested_by` text,
	`created_at` text NOT NULL,
	`heartbeat_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `export_jobs_org_created` ON `export_jobs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `export_jobs_one_running` ON `export_jobs` (`org_id`,`format`,`from_at`,`to_at`,`account_id`) WHERE status = 'running';