-- Free-text search over items' text for the items page: an FTS5 index kept by triggers on
-- `contents`. THIN erases an item's content (body set to null); the trigger deletes its text here
-- too, with secure-delete on so the removed words do not linger in the index's pages.
CREATE VIRTUAL TABLE `item_text` USING fts5(`text`, `item_id` UNINDEXED, `org_id` UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `item_text` (`item_text`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
INSERT INTO `item_text` (`rowid`, `text`, `item_id`, `org_id`)
  SELECT `rowid`, json_extract(`body`, '$.text'), `item_id`, `org_id` FROM `contents` WHERE `role` = 'content' AND `body` IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `contents_text_insert` AFTER INSERT ON `contents` WHEN new.`role` = 'content' AND new.`body` IS NOT NULL BEGIN
  INSERT INTO `item_text` (`rowid`, `text`, `item_id`, `org_id`) VALUES (new.`rowid`, json_extract(new.`body`, '$.text'), new.`item_id`, new.`org_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `contents_text_erase` AFTER UPDATE OF `body` ON `contents` WHEN old.`role` = 'content' AND new.`body` IS NULL BEGIN
  DELETE FROM `item_text` WHERE `rowid` = old.`rowid`;
END;
