-- Each goal gets one report per period: the compile job upserts on this key,
-- so running it twice cannot make two rows. Teachers set a progress code and
-- finalize, which locks the report against later compiles; updated_by
-- records who last changed it by hand.
ALTER TABLE progress_report
    ADD COLUMN progress_code varchar(20)
        CONSTRAINT progress_report_code_check
        CHECK (progress_code IN ('mastered', 'sufficient', 'insufficient', 'not_addressed')),
    ADD COLUMN status varchar(10) NOT NULL DEFAULT 'draft'
        CONSTRAINT progress_report_status_check CHECK (status IN ('draft', 'final')),
    ADD COLUMN finalized_at timestamptz,
    ADD COLUMN updated_by integer REFERENCES "user" (id_user),
    ADD CONSTRAINT progress_report_period_key UNIQUE (id_student, id_goal, period, year);
CREATE INDEX progress_report_updated_by_idx ON progress_report (updated_by);
