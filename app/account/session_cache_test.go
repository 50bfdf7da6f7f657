package account_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"goaltracker/app/account"
)

// watch runs w's session cache until the test ends and waits until it
// listens.
func (w *staffWorld) watch() {
	w.t.Helper()
	w.t.Cleanup(w.svc.StartWatchingSessions(slog.New(slog.NewTextHandler(io.Discard, nil))))
	eventually(w.t, "the cache listens", w.svc.SessionCacheLive)
}

// eventually fails the test unless ok becomes true within five seconds:
// a change reaches the cache when its notification is heard, a moment
// after it commits.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
	}
}

// cachedSession signs userID in and reads the session twice, checking
// that the second read came from memory, and returns its token.
func (w *staffWorld) cachedSession(userID int64) string {
	w.t.Helper()
	ctx := context.Background()
	token, err := w.svc.StartSession(ctx, &account.User{ID: userID}, "127.0.0.1", "test")
	if err != nil {
		w.t.Fatalf("start session: %v", err)
	}
	first, err := w.svc.SessionByToken(ctx, token)
	if err != nil {
		w.t.Fatalf("first lookup: %v", err)
	}
	second, err := w.svc.SessionByToken(ctx, token)
	if err != nil {
		w.t.Fatalf("second lookup: %v", err)
	}
	if first != second {
		w.t.Fatal("the second lookup read the database again")
	}
	return token
}

// TestSessionCacheHearsEveryChange caches a session, then changes each
// thing a session carries from another connection, as another server
// process or the command line would, and waits for the cache to show it.
func TestSessionCacheHearsEveryChange(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	teacher := w.user("teacher@a.example", "teacher", w.distA, "the teacher password")
	w.exec(`INSERT INTO user_program (id_user, id_program, is_primary) VALUES (?, ?, true)`, teacher, w.progA[0])
	w.watch()
	ctx := context.Background()
	current := func(token string) *account.Current {
		cur, err := w.svc.SessionByToken(ctx, token)
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		return cur
	}
	gone := func(token string) func() bool {
		return func() bool {
			_, err := w.svc.SessionByToken(ctx, token)
			return errors.Is(err, account.ErrNoSession)
		}
	}

	token := w.cachedSession(teacher)
	w.exec(`UPDATE "user" SET name = 'Renamed Teacher' WHERE id_user = ?`, teacher)
	eventually(t, "a new name", func() bool { return current(token).User.Name == "Renamed Teacher" })

	token = w.cachedSession(teacher)
	w.exec(`INSERT INTO user_program (id_user, id_program) VALUES (?, ?)`, teacher, w.progA[1])
	eventually(t, "a second program", func() bool { return len(current(token).Programs) == 2 })

	token = w.cachedSession(teacher)
	w.exec(`UPDATE program SET name = 'One, renamed' WHERE id_program = ?`, w.progA[0])
	eventually(t, "a renamed program", func() bool { return current(token).Programs[0].Name == "One, renamed" })

	token = w.cachedSession(teacher)
	if !current(token).Principal().Can("goal", "update") {
		t.Fatal("a teacher should update goals")
	}
	w.exec(`DELETE FROM role_permission WHERE id_role = (SELECT id_role FROM role WHERE name = 'teacher')
		AND id_permission IN (SELECT id_permission FROM permission WHERE resource = 'goal' AND action = 'update')`)
	eventually(t, "a grant taken from the role", func() bool {
		return !current(token).Principal().Can("goal", "update")
	})

	token = w.cachedSession(teacher)
	w.exec(`UPDATE "user" SET id_role = (SELECT id_role FROM role WHERE name = 'paraeducator') WHERE id_user = ?`,
		teacher)
	eventually(t, "another role", func() bool { return current(token).RoleName == "paraeducator" })

	token = w.cachedSession(teacher)
	w.exec(`UPDATE session SET revoked_at = now() WHERE id_user = ?`, teacher)
	eventually(t, "a revoked session", gone(token))

	token = w.cachedSession(teacher)
	w.exec(`UPDATE "user" SET is_active = false WHERE id_user = ?`, teacher)
	eventually(t, "a deactivated user", gone(token))
}

// TestSessionCacheForgetsAtOnceWhatThisProcessChanges checks that a
// program switch and a sign-out through the service show on the very
// next lookup, before any notification could be heard.
func TestSessionCacheForgetsAtOnceWhatThisProcessChanges(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	teacher := w.user("teacher@a.example", "teacher", w.distA, "the teacher password")
	w.exec(`INSERT INTO user_program (id_user, id_program, is_primary) VALUES (?, ?, true), (?, ?, false)`,
		teacher, w.progA[0], teacher, w.progA[1])
	w.watch()
	ctx := context.Background()

	token := w.cachedSession(teacher)
	cur, _ := w.svc.SessionByToken(ctx, token)
	if err := w.svc.SwitchProgram(ctx, cur.SessionID, teacher, w.progA[1]); err != nil {
		t.Fatalf("switch: %v", err)
	}
	if cur, err := w.svc.SessionByToken(ctx, token); err != nil || cur.ProgramID != w.progA[1] {
		t.Fatalf("after the switch: %v, program %v", err, cur)
	}
	if err := w.svc.EndSession(ctx, token, "127.0.0.1"); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	if _, err := w.svc.SessionByToken(ctx, token); !errors.Is(err, account.ErrNoSession) {
		t.Fatalf("after signing out: %v", err)
	}
}

// TestSessionCacheOffWhileItsConnectionIsLost kills the listening
// connection and revokes a cached session while nobody listens: the
// notification is lost, so the cache must stop answering, and start
// again once it listens anew.
func TestSessionCacheOffWhileItsConnectionIsLost(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	teacher := w.user("teacher@a.example", "teacher", w.distA, "the teacher password")
	w.watch()
	ctx := context.Background()
	token := w.cachedSession(teacher)

	if n := w.count(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN session_cache'`); n != 1 {
		t.Fatalf("terminated %d listening connections, want 1", n)
	}
	w.exec(`UPDATE session SET revoked_at = now() WHERE id_user = ?`, teacher)
	eventually(t, "the revoked session refused", func() bool {
		_, err := w.svc.SessionByToken(ctx, token)
		return errors.Is(err, account.ErrNoSession)
	})
	eventually(t, "the cache listening again", w.svc.SessionCacheLive)
	w.cachedSession(teacher)
}

// TestCachedSessionLastsUntilItsNextTouch moves the clock past a minute:
// the session is read and touched again, so the idle timeout still counts
// from its last use, and a session past its lifetime is refused although
// it was cached.
func TestCachedSessionLastsUntilItsNextTouch(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	teacher := w.user("teacher@a.example", "teacher", w.distA, "the teacher password")
	now := time.Now()
	w.svc.SetClock(func() time.Time { return now })
	w.watch()
	ctx := context.Background()
	token := w.cachedSession(teacher)
	first, _ := w.svc.SessionByToken(ctx, token)

	now = now.Add(61 * time.Second)
	later, err := w.svc.SessionByToken(ctx, token)
	if err != nil || later == first {
		t.Fatalf("a minute later: %v, read again %v", err, later != first)
	}
	var seen time.Time
	if err := w.d.QueryRowContext(ctx, `SELECT last_seen_at FROM session WHERE id_user = ?`,
		teacher).Scan(&seen); err != nil || seen.Sub(now).Abs() > time.Millisecond {
		t.Fatalf("last seen %v, want %v (%v)", seen, now, err)
	}

	// A session that ends within the minute is not answered past its end.
	token, err = w.svc.StartSession(ctx, &account.User{ID: teacher}, "127.0.0.1", "test")
	if err != nil {
		t.Fatalf("start session: %v", err)
	}
	w.exec(`UPDATE session SET expires_at = ? WHERE token_hash = ?`, now.Add(30*time.Second),
		account.HashToken(token))
	eventually(t, "the shortened session cached", func() bool {
		a, errA := w.svc.SessionByToken(ctx, token)
		b, errB := w.svc.SessionByToken(ctx, token)
		return errA == nil && errB == nil && a == b
	})
	now = now.Add(31 * time.Second)
	if _, err := w.svc.SessionByToken(ctx, token); !errors.Is(err, account.ErrNoSession) {
		t.Fatalf("past its lifetime: %v", err)
	}
}
