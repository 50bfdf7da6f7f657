-- District-level roles (leader, district admin) are scoped by the district a
-- user belongs to, which user_program alone cannot say for someone who is in
-- no program. is_active lets an administrator switch an account off without
-- deleting the history that points at it.
ALTER TABLE "user"
    ADD COLUMN id_school_district integer REFERENCES school_district (id_school_district),
    ADD COLUMN is_active boolean NOT NULL DEFAULT true;
CREATE INDEX user_id_school_district_idx ON "user" (id_school_district);
