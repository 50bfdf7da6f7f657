ALTER TABLE progress_report
    DROP CONSTRAINT progress_report_period_key,
    DROP COLUMN updated_by,
    DROP COLUMN finalized_at,
    DROP COLUMN status,
    DROP COLUMN progress_code;
