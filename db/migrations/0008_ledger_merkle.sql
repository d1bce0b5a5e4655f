CREATE TABLE `ledger_checkpoints` (
	`org_id` text NOT NULL,
	`size` integer NOT NULL,
	`root_hash` text NOT NULL,
	`at` text NOT NULL,
	`key_id` text NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	PRIMARY KEY(`org_id`, `size`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ledger_nodes` (
	`org_id` text NOT NULL,
	`level` integer NOT NULL,
	`idx` integer NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`org_id`, `level`, `idx`)
);
--> statement-breakpoint
ALTER TABLE `organisations` ADD `ledger_frontier` text DEFAULT '[]' NOT NULL;