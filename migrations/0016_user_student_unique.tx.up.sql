-- Staff assignments are now edited from the administration pages, where
-- making someone a student's primary clears the previous primary. The
-- database enforces what the pages rely on: one row per person and
-- student, and at most one primary per student, so that two concurrent
-- changes cannot leave two primaries behind.
--
-- Rows written before these rules held are folded first, keeping the
-- oldest row of each pair and the oldest primary of each student.
DELETE FROM user_student AS us
USING user_student AS older
WHERE older.id_user = us.id_user AND older.id_student = us.id_student
    AND older.id_user_student < us.id_user_student;

UPDATE user_student AS us SET is_primary = false
WHERE us.is_primary AND EXISTS (SELECT 1 FROM user_student AS older
    WHERE older.id_student = us.id_student AND older.is_primary
        AND older.id_user_student < us.id_user_student);

CREATE UNIQUE INDEX user_student_pair_key ON user_student (id_user, id_student);
CREATE UNIQUE INDEX user_student_one_primary_key ON user_student (id_student) WHERE is_primary;
