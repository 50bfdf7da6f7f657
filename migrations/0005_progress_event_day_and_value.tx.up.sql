-- created_at says when an entry was typed; occurred_on says which school day
-- the observation belongs to, which may be earlier (entries are back-dated).
-- Reporting periods and charts go by occurred_on, a date, so no time zone can
-- move an entry into another day. value holds the measurement of a
-- measurable goal.
ALTER TABLE progress_event
    ADD COLUMN occurred_on date NOT NULL DEFAULT current_date,
    ADD COLUMN value numeric(12, 2);
-- The student timeline and the period compile both read a student's or a
-- goal's entries by day.
CREATE INDEX progress_event_student_day_idx ON progress_event (id_student, occurred_on);
CREATE INDEX progress_event_goal_day_idx ON progress_event (id_goal, occurred_on);
