-- The numbers a compile measured for each goal in a period, kept beside the
-- summary written from them: the review screen and the workbook show them,
-- and a teacher can check the wording against the data. is_edited marks a
-- summary or code a teacher changed, which later compiles leave alone
-- while they keep the numbers fresh.
ALTER TABLE progress_report
    ADD COLUMN entry_count integer NOT NULL DEFAULT 0,
    ADD COLUMN first_entry_on date,
    ADD COLUMN last_entry_on date,
    ADD COLUMN authors text,
    ADD COLUMN latest_value numeric(12, 2),
    ADD COLUMN weekly_trend numeric(12, 2),
    ADD COLUMN on_track boolean,
    ADD COLUMN subgoals_total integer NOT NULL DEFAULT 0,
    ADD COLUMN subgoals_met integer NOT NULL DEFAULT 0,
    ADD COLUMN suggested_code varchar(20)
        CONSTRAINT progress_report_suggested_code_check
        CHECK (suggested_code IN ('mastered', 'sufficient', 'insufficient', 'not_addressed')),
    ADD COLUMN is_edited boolean NOT NULL DEFAULT false,
    ADD COLUMN compiled_at timestamptz;
