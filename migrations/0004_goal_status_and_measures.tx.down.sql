ALTER TABLE goal
    DROP COLUMN close_note,
    DROP COLUMN closed_at,
    DROP COLUMN target_date,
    DROP COLUMN unit,
    DROP COLUMN target_value,
    DROP COLUMN baseline_value,
    DROP COLUMN status;
