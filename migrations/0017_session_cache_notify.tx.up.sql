-- Each server process keeps the sessions it has read in memory, so that a
-- request need not read its session, user, role grants and programs from
-- the database every time. These triggers tell every listening process,
-- on the channel session_cache, when any of that changes: the payload
-- 'user:<id>' names the one user whose sessions to drop, 'all' drops
-- every session. A notification is delivered when its transaction
-- commits, and only then. Writes that cannot change what a session
-- carries (the once-a-minute last_seen_at, failed sign-in counters) do
-- not notify.

CREATE FUNCTION session_cache_notify_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('session_cache', 'user:' || OLD.id_user);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('session_cache', 'user:' || NEW.id_user);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION session_cache_notify_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('session_cache', 'all');
    RETURN NULL;
END;
$$;

-- A session revoked, moved to another program or shortened. Deleting
-- sessions (many at a time when old ones are cleared) drops them all.
CREATE TRIGGER session_cache_session
    AFTER UPDATE OF revoked_at, id_program, expires_at, id_user ON session
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify_user();
CREATE TRIGGER session_cache_session_delete
    AFTER DELETE OR TRUNCATE ON session
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();

-- A user deactivated, given another role, district, name or email, or
-- removed.
CREATE TRIGGER session_cache_user
    AFTER UPDATE OF is_active, id_role, id_school_district, email, name ON "user"
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify_user();
CREATE TRIGGER session_cache_user_delete
    AFTER DELETE OR TRUNCATE ON "user"
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();

-- A user's program memberships.
CREATE TRIGGER session_cache_user_program
    AFTER INSERT OR UPDATE OR DELETE ON user_program
    FOR EACH ROW EXECUTE FUNCTION session_cache_notify_user();
CREATE TRIGGER session_cache_user_program_truncate
    AFTER TRUNCATE ON user_program
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();

-- What roles grant, role names and program names are shared by many
-- sessions, and change rarely: any change drops every session.
CREATE TRIGGER session_cache_role_permission
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_permission
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();
CREATE TRIGGER session_cache_permission
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON permission
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();
CREATE TRIGGER session_cache_role
    AFTER UPDATE OR DELETE OR TRUNCATE ON role
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();
CREATE TRIGGER session_cache_program
    AFTER UPDATE OF name OR DELETE OR TRUNCATE ON program
    FOR EACH STATEMENT EXECUTE FUNCTION session_cache_notify_all();
