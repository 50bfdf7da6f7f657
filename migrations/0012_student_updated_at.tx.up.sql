-- The student record is edited in place like goals are, and two people may
-- edit it at once. updated_at is the version an edit starts from: a stale
-- edit is refused instead of silently overwriting the other.
ALTER TABLE student ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
