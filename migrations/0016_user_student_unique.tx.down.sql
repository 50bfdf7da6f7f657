DROP INDEX user_student_one_primary_key;
DROP INDEX user_student_pair_key;
