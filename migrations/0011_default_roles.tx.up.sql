-- The default roles and what each may do, as rows, so that a production
-- database has them from its first migration and a district can change them
-- without a release. The application enforces whatever these rows say; it
-- never checks a role by name.
--
-- A permission is (resource, action, scope). Scopes, narrowest first:
--   own       rows the user created
--   primary   students the user is the primary teacher of (user_student.is_primary)
--   assigned  students with a user_student row for the user
--   program   students of the user's active programs (user_program)
--   district  everything in the user's district
--   all       every district
INSERT INTO permission (name, resource, action, scope, description) VALUES
    ('student.read.assigned', 'student', 'read', 'assigned', 'See assigned students and their records'),
    ('student.read.program', 'student', 'read', 'program', 'See every student of the user''s programs'),
    ('student.read.district', 'student', 'read', 'district', 'See every student of the district'),
    ('student.create.program', 'student', 'create', 'program', 'Add students to the user''s programs'),
    ('student.create.district', 'student', 'create', 'district', 'Add students to any program of the district'),
    ('student.update.program', 'student', 'update', 'program', 'Edit student records of the user''s programs'),
    ('student.update.district', 'student', 'update', 'district', 'Edit student records of the district'),
    ('goal.read.assigned', 'goal', 'read', 'assigned', 'Read goals of assigned students'),
    ('goal.read.program', 'goal', 'read', 'program', 'Read goals of the user''s programs'),
    ('goal.read.district', 'goal', 'read', 'district', 'Read goals of the district'),
    ('goal.create.primary', 'goal', 'create', 'primary', 'Write goals for students the user is primary for'),
    ('goal.update.primary', 'goal', 'update', 'primary', 'Edit and close goals of students the user is primary for'),
    ('goal.delete.primary', 'goal', 'delete', 'primary', 'Delete goals without entries of students the user is primary for'),
    ('entry.read.assigned', 'entry', 'read', 'assigned', 'Read progress entries of assigned students'),
    ('entry.read.program', 'entry', 'read', 'program', 'Read progress entries of the user''s programs'),
    ('entry.read.district', 'entry', 'read', 'district', 'Read progress entries of the district'),
    ('entry.create.assigned', 'entry', 'create', 'assigned', 'Log progress entries for assigned students'),
    ('entry.update.own', 'entry', 'update', 'own', 'Edit one''s own progress entries'),
    ('entry.delete.own', 'entry', 'delete', 'own', 'Delete one''s own progress entries'),
    ('sensitive_entry.read.own', 'sensitive_entry', 'read', 'own', 'Read the content of one''s own sensitive entries'),
    ('sensitive_entry.read.primary', 'sensitive_entry', 'read', 'primary', 'Read sensitive entries of students the user is primary for'),
    ('sensitive_entry.create.assigned', 'sensitive_entry', 'create', 'assigned', 'Mark entries for assigned students as sensitive'),
    ('health_note.read.own', 'health_note', 'read', 'own', 'Read one''s own health notes'),
    ('health_note.read.primary', 'health_note', 'read', 'primary', 'Read health notes of students the user is primary for'),
    ('health_note.create.assigned', 'health_note', 'create', 'assigned', 'Write health notes for assigned students'),
    ('report.read.assigned', 'report', 'read', 'assigned', 'Read period reports of assigned students'),
    ('report.read.program', 'report', 'read', 'program', 'Read period reports of the user''s programs'),
    ('report.read.district', 'report', 'read', 'district', 'Read period reports of the district'),
    ('report.update.primary', 'report', 'update', 'primary', 'Edit summaries and progress codes of students the user is primary for'),
    ('report.finalize.primary', 'report', 'finalize', 'primary', 'Finalize period reports of students the user is primary for'),
    ('report.compile.program', 'report', 'compile', 'program', 'Compile period reports of the user''s programs'),
    ('report.compile.district', 'report', 'compile', 'district', 'Compile period reports of the district'),
    ('export.read.program', 'export', 'read', 'program', 'Download workbooks of the user''s programs'),
    ('export.read.district', 'export', 'read', 'district', 'Download workbooks of the district'),
    ('export.create.program', 'export', 'create', 'program', 'Request workbooks of the user''s programs'),
    ('export.create.district', 'export', 'create', 'district', 'Request workbooks of the district'),
    ('roster.manage.program', 'roster', 'manage', 'program', 'Add, edit and import the students of the user''s programs'),
    ('roster.manage.district', 'roster', 'manage', 'district', 'Add, edit, import and move students across the district'),
    ('assignment.manage.program', 'assignment', 'manage', 'program', 'Assign staff to students of the user''s programs'),
    ('assignment.manage.district', 'assignment', 'manage', 'district', 'Assign staff to students of the district'),
    ('program.manage.district', 'program', 'manage', 'district', 'Create and rename the district''s programs'),
    ('program.manage.all', 'program', 'manage', 'all', 'Create and rename programs of every district'),
    ('user.manage.district', 'user', 'manage', 'district', 'Create, deactivate and unlock the district''s users'),
    ('user.manage.all', 'user', 'manage', 'all', 'Manage users of every district'),
    ('role.manage.district', 'role', 'manage', 'district', 'Change what each role may do'),
    ('role.manage.all', 'role', 'manage', 'all', 'Change what each role may do, in every district'),
    ('calendar.manage.district', 'calendar', 'manage', 'district', 'Set the district''s reporting periods'),
    ('calendar.manage.all', 'calendar', 'manage', 'all', 'Set the reporting periods of every district'),
    ('audit.read.district', 'audit', 'read', 'district', 'Read the district''s audit log'),
    ('audit.read.all', 'audit', 'read', 'all', 'Read the audit log of every district'),
    ('district.manage.all', 'district', 'manage', 'all', 'Create and edit school districts');

INSERT INTO role (name, description) VALUES
    ('teacher', 'Teacher: writes goals for the students they are primary for, logs progress for assigned students, reviews and finalizes period reports.'),
    ('paraeducator', 'Paraeducator: logs progress and writes health notes for assigned students.'),
    ('program_admin', 'Program admin: manages a program''s roster and assignments, compiles reports and requests program workbooks.'),
    ('district_leader', 'District leader: reads everything non-sensitive in the district and downloads period workbooks.'),
    ('district_admin', 'District admin: manages programs, users, roles, the reporting calendar and reads the audit log.'),
    ('system_admin', 'System admin: manages school districts and their administrators across the installation.');

INSERT INTO role_permission (id_role, id_permission)
SELECT r.id_role, p.id_permission
FROM (VALUES
    ('teacher', 'student.read.assigned'),
    ('teacher', 'goal.read.assigned'),
    ('teacher', 'goal.create.primary'),
    ('teacher', 'goal.update.primary'),
    ('teacher', 'goal.delete.primary'),
    ('teacher', 'entry.read.assigned'),
    ('teacher', 'entry.create.assigned'),
    ('teacher', 'entry.update.own'),
    ('teacher', 'entry.delete.own'),
    ('teacher', 'sensitive_entry.read.own'),
    ('teacher', 'sensitive_entry.read.primary'),
    ('teacher', 'sensitive_entry.create.assigned'),
    ('teacher', 'health_note.read.own'),
    ('teacher', 'health_note.read.primary'),
    ('teacher', 'health_note.create.assigned'),
    ('teacher', 'report.read.assigned'),
    ('teacher', 'report.update.primary'),
    ('teacher', 'report.finalize.primary'),
    ('paraeducator', 'student.read.assigned'),
    ('paraeducator', 'goal.read.assigned'),
    ('paraeducator', 'entry.read.assigned'),
    ('paraeducator', 'entry.create.assigned'),
    ('paraeducator', 'entry.update.own'),
    ('paraeducator', 'entry.delete.own'),
    ('paraeducator', 'sensitive_entry.read.own'),
    ('paraeducator', 'sensitive_entry.create.assigned'),
    ('paraeducator', 'health_note.read.own'),
    ('paraeducator', 'health_note.create.assigned'),
    ('program_admin', 'student.read.program'),
    ('program_admin', 'student.create.program'),
    ('program_admin', 'student.update.program'),
    ('program_admin', 'goal.read.program'),
    ('program_admin', 'entry.read.program'),
    ('program_admin', 'report.read.program'),
    ('program_admin', 'report.compile.program'),
    ('program_admin', 'export.read.program'),
    ('program_admin', 'export.create.program'),
    ('program_admin', 'roster.manage.program'),
    ('program_admin', 'assignment.manage.program'),
    ('district_leader', 'student.read.district'),
    ('district_leader', 'goal.read.district'),
    ('district_leader', 'entry.read.district'),
    ('district_leader', 'report.read.district'),
    ('district_leader', 'export.read.district'),
    ('district_leader', 'export.create.district'),
    ('district_admin', 'student.read.district'),
    ('district_admin', 'student.create.district'),
    ('district_admin', 'student.update.district'),
    ('district_admin', 'goal.read.district'),
    ('district_admin', 'entry.read.district'),
    ('district_admin', 'report.read.district'),
    ('district_admin', 'report.compile.district'),
    ('district_admin', 'export.read.district'),
    ('district_admin', 'export.create.district'),
    ('district_admin', 'roster.manage.district'),
    ('district_admin', 'assignment.manage.district'),
    ('district_admin', 'program.manage.district'),
    ('district_admin', 'user.manage.district'),
    ('district_admin', 'role.manage.district'),
    ('district_admin', 'calendar.manage.district'),
    ('district_admin', 'audit.read.district'),
    ('system_admin', 'district.manage.all'),
    ('system_admin', 'program.manage.all'),
    ('system_admin', 'user.manage.all'),
    ('system_admin', 'role.manage.all'),
    ('system_admin', 'calendar.manage.all'),
    ('system_admin', 'audit.read.all')
) AS grant_row (role_name, permission_name)
JOIN role r ON r.name = grant_row.role_name
JOIN permission p ON p.name = grant_row.permission_name;

-- Lookups by name happen at every sign-in and in the admin screens.
CREATE UNIQUE INDEX role_name_key ON role (name);
CREATE UNIQUE INDEX permission_name_key ON permission (name);
CREATE UNIQUE INDEX role_permission_pair_key ON role_permission (id_role, id_permission);
