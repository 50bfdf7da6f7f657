package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestDatabaseOutageAnswers503AndRecovers cuts the app off its database
// (every connection ended, new ones refused), checks that a page answers
// the friendly 503, then lets connections in again and checks that the
// same server comes back by itself, answering 503 and never 500 meanwhile.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()
	if res := a.get("/students"); res.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: %d", res.StatusCode)
	}

	ctx := context.Background()
	cfg := a.db.Pool.Config().ConnConfig.Copy()
	name := cfg.Database
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("admin connection: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close(ctx) })
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+
			" ALLOW_CONNECTIONS "+map[bool]string{true: "true", false: "false"}[on]); err != nil {
			t.Fatalf("allow connections %v: %v", on, err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1`, name); err != nil {
		t.Fatalf("end connections: %v", err)
	}

	for _, headers := range [][]string{nil, htmx} {
		res := a.get("/students", headers...)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("during the outage: %d, want 503\n%s", res.StatusCode, res.body)
		}
		mustContain(t, res.body, "Temporarily unavailable")
	}

	// Connections that died in the outage are found and replaced; until
	// then a request may still meet one, and must get the 503 again,
	// never a 500.
	allow(true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := a.get("/students")
		if res.StatusCode == http.StatusOK {
			break
		}
		if res.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("after the outage: %d\n%s", res.StatusCode, res.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
