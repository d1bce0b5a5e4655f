CREATE TABLE `policy_versions` (
	`org_id` text NOT NULL,
	`version` integer NOT NULL,
	`effective_from` text NOT NULL,
	`policy` text NOT NULL,
	`hash` text NOT NULL,
	`changed_by_key_id` text,
	`changed_by_role` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`org_id`, `version`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `ledger_events` ADD `policy_version` integer;--> statement-breakpoint
ALTER TABLE `organisations` ADD `policy_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `policy` text;