ALTER TABLE student DROP COLUMN updated_at;
