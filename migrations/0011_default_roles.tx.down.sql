DROP INDEX role_permission_pair_key;
DROP INDEX permission_name_key;
DROP INDEX role_name_key;
-- Rolling back removes the roles, so no account may point at one.
UPDATE "user" SET id_role = NULL;
DELETE FROM role_permission;
DELETE FROM role;
DELETE FROM permission;
