-- The reference leaves every created_at without a default. Rows written by
-- hand, by imports and by the demo loader should still say when they were
-- made, so the database fills them in.
ALTER TABLE role ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE school_district ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE "user" ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE password_history ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE password_reset_token ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE program ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE user_program ALTER COLUMN joined_at SET DEFAULT now();
ALTER TABLE student ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE goal ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE goal ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE health_note ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE progress_event ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE progress_event ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE progress_report ALTER COLUMN generated_at SET DEFAULT now();
