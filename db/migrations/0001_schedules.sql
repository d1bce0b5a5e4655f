CREATE TABLE `deadlines` (
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`org_id` text NOT NULL,
	`due_at` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` text NOT NULL,
	`breached_at` text,
	`settled_at` text,
	PRIMARY KEY(`item_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `deadlines_status_due` ON `deadlines` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `deadlines_org_status_due` ON `deadlines` (`org_id`,`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `job_leases` (
	`job` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`as_of` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`counts` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_runs_job` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `thinning_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`decided_at` text NOT NULL,
	`rule` text NOT NULL,
	`preset` text NOT NULL,
	`job` text NOT NULL,
	`item_ids` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `thinning_decisions_org` ON `thinning_decisions` (`org_id`,`decided_at`);