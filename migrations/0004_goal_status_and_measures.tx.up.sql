-- Goals are closed, not deleted, once they have entries, so they carry a
-- status and the note written when closing. A goal with a unit is
-- measurable: its baseline, target and target date draw the aim line of its
-- chart and drive the period report's trend.
ALTER TABLE goal
    ADD COLUMN status varchar(20) NOT NULL DEFAULT 'active'
        CONSTRAINT goal_status_check CHECK (status IN ('active', 'met', 'not_met', 'discontinued')),
    ADD COLUMN baseline_value numeric(12, 2),
    ADD COLUMN target_value numeric(12, 2),
    ADD COLUMN unit varchar(50),
    ADD COLUMN target_date date,
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN close_note text;
