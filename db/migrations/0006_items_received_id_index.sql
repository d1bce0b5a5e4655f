DROP INDEX `items_org_received`;--> statement-breakpoint
CREATE INDEX `items_org_received_id` ON `items` (`org_id`,`received_at`,`id`);