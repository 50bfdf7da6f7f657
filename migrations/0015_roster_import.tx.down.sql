DROP INDEX student_identifier_lower_idx;
DROP TABLE roster_import;
