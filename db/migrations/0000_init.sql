CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`platform` text NOT NULL,
	`handle` text NOT NULL,
	`url` text,
	`purpose` text,
	`audience` text,
	`owner_unit` text,
	`responsible` text,
	`substitute` text,
	`admins` text NOT NULL,
	`status` text NOT NULL,
	`machine` text NOT NULL,
	`state` text NOT NULL,
	`context` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `accounts_org_status` ON `accounts` (`org_id`,`status`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`role` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `contents` (
	`hash` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`item_id` text NOT NULL,
	`role` text NOT NULL,
	`body` text,
	`salt` text,
	`created_at` text NOT NULL,
	`erased_at` text,
	`erased_reason` text
);
--> statement-breakpoint
CREATE INDEX `contents_item` ON `contents` (`item_id`);--> statement-breakpoint
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
CREATE TABLE `idempotency_keys` (
	`key_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`item_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`applied` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`key_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_item` ON `idempotency_keys` (`item_id`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`account_id` text NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`direction` text NOT NULL,
	`received_at` text NOT NULL,
	`machine` text NOT NULL,
	`status` text NOT NULL,
	`state` text NOT NULL,
	`context` text NOT NULL,
	`version` integer NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_account_external` ON `items` (`account_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `items_org_id` ON `items` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `items_org_status_id` ON `items` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `items_org_account_id` ON `items` (`org_id`,`account_id`,`id`);--> statement-breakpoint
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
CREATE TABLE `ledger_events` (
	`org_id` text NOT NULL,
	`org_seq` integer NOT NULL,
	`subject` text NOT NULL,
	`subject_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`actor_key_id` text,
	`actor_role` text NOT NULL,
	`at` text NOT NULL,
	`machine` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`payload` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`org_id`, `org_seq`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_subject_seq` ON `ledger_events` (`subject_id`,`seq`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`preset` text NOT NULL,
	`policy_overrides` text NOT NULL,
	`ledger_seq` integer DEFAULT 0 NOT NULL,
	`ledger_head` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_slug_unique` ON `organisations` (`slug`);--> statement-breakpoint
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