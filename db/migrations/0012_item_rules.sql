CREATE TABLE `item_rules` (
	`ref` text PRIMARY KEY NOT NULL,
	`rules` text NOT NULL
);
