DROP INDEX `items_org_status_id`;--> statement-breakpoint
CREATE INDEX `items_org_status_id_account` ON `items` (`org_id`,`status`,`id`,`account_id`);