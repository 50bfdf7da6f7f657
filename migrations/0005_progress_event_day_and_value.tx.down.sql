ALTER TABLE progress_event DROP COLUMN value, DROP COLUMN occurred_on;
