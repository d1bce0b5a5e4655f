DROP INDEX `deadlines_status_due`;--> statement-breakpoint
CREATE INDEX `deadlines_status_due_item` ON `deadlines` (`status`,`due_at`,`item_id`);