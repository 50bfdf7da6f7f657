package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"goaltracker/app/account"
	"goaltracker/app/config"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testEnv is an Env on a fresh migrated database; run runs one command
// with stdin and returns what it printed.
type testEnv struct {
	t   *testing.T
	env Env
	dsn string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	cfg.DatabaseURL = dbtest.NewDSN(t)
	return &testEnv{t: t, dsn: cfg.DatabaseURL,
		env: Env{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
}

func (e *testEnv) run(stdin string, args ...string) (string, error) {
	e.t.Helper()
	var out bytes.Buffer
	env := e.env
	env.Out, env.In = &out, strings.NewReader(stdin)
	err := Run(context.Background(), env, args)
	return out.String(), err
}

func (e *testEnv) signIn(email, password string) error {
	e.t.Helper()
	d, err := db.Open(context.Background(), e.dsn)
	if err != nil {
		e.t.Fatalf("open: %v", err)
	}
	defer d.Close()
	svc, err := account.NewService(d, accountSettings(e.env))
	if err != nil {
		e.t.Fatalf("account service: %v", err)
	}
	_, err = svc.SignIn(context.Background(), email, password, "127.0.0.1")
	return err
}

func TestUserCommandBootstrapsAnInstallation(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)

	out, err := e.run("a strong first passphrase\n", "user", "add", "--email", "Boss@Lakeside.example",
		"--name", "Rosa Park", "--role", "district_admin", "--district", "Lakeside Schools",
		"--program", "Bridge Program")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out, "added boss@lakeside.example (district_admin) in Lakeside Schools") ||
		strings.Contains(out, "passphrase") {
		t.Errorf("output:\n%s", out)
	}
	if err := e.signIn("boss@lakeside.example", "a strong first passphrase"); err != nil {
		t.Errorf("sign in as the new admin: %v", err)
	}

	// The district now exists, so a second user may leave it out.
	out, err = e.run("", "user", "add", "--email", "t@lakeside.example", "--name", "Tom",
		"--role", "teacher")
	if err != nil {
		t.Fatalf("second user add: %v", err)
	}
	generated := strings.TrimSpace(out[strings.Index(out, "(shown once): ")+len("(shown once): "):])
	if len(generated) != 20 {
		t.Fatalf("generated password %q, output:\n%s", generated, out)
	}
	if err := e.signIn("t@lakeside.example", generated); err != nil {
		t.Errorf("sign in with the generated password: %v", err)
	}
}

func TestUserCommandRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)

	cases := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"a strong first passphrase\n", []string{"user", "add", "--email", "x@y.example", "--name", "X",
			"--role", "wizard", "--district", "D"}, `no role named "wizard"`},
		{"short\n", []string{"user", "add", "--email", "x@y.example", "--name", "X",
			"--role", "teacher", "--district", "D"}, "at least 12 characters"},
		{"a strong first passphrase\n", []string{"user", "add", "--email", "not-an-email",
			"--name", "X", "--role", "teacher", "--district", "D"}, "email"},
		{"", []string{"user", "unlock", "--email", "ghost@y.example"}, "not found"},
		{"", []string{"user", "add"}, "needs --email"},
	}
	for _, tc := range cases {
		_, err := e.run(tc.stdin, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to mention %q", tc.args, err, tc.want)
		}
	}
}

func TestUserCommandUnlockResetDeactivate(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if _, err := e.run("a strong first passphrase\n", "user", "add", "--email", "p@y.example",
		"--name", "P", "--role", "paraeducator", "--district", "D"); err != nil {
		t.Fatalf("add: %v", err)
	}
	for range e.env.Config.LockoutThreshold {
		_ = e.signIn("p@y.example", "wrong guess of a password")
	}
	if err := e.signIn("p@y.example", "a strong first passphrase"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("the account is not locked: %v", err)
	}
	if _, err := e.run("", "user", "unlock", "--email", "p@y.example"); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	if err := e.signIn("p@y.example", "a strong first passphrase"); err != nil {
		t.Fatalf("sign in after unlock: %v", err)
	}

	if _, err := e.run("a strong second passphrase\n", "user", "reset-password", "--email", "p@y.example"); err != nil {
		t.Fatalf("reset-password: %v", err)
	}
	if err := e.signIn("p@y.example", "a strong second passphrase"); err != nil {
		t.Fatalf("sign in with the reset password: %v", err)
	}
	if _, err := e.run("", "user", "deactivate", "--email", "p@y.example"); err != nil {
		t.Fatalf("deactivate: %v", err)
	}
	if err := e.signIn("p@y.example", "a strong second passphrase"); err == nil {
		t.Error("a deactivated account signed in")
	}
}

func TestMigrateAndDemoCommands(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)

	out, err := e.run("", "migrate", "status")
	if err != nil || !strings.Contains(out, "0011_default_roles") || strings.Contains(out, "pending") {
		t.Fatalf("migrate status: %v\n%s", err, out)
	}
	if out, err := e.run("", "migrate", "up"); err != nil || !strings.Contains(out, "nothing") {
		t.Errorf("migrate up on a current schema: %v\n%s", err, out)
	}
	if _, err := e.run("", "migrate", "sideways"); !errors.Is(err, ErrUsage) {
		t.Errorf("migrate sideways: %v, want a usage error", err)
	}
	out, err = e.run("", "demo", "--students", "5")
	if err != nil || !strings.Contains(out, "added 5 students") {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if err := e.signIn("teacher@demo.test", e.env.Config.DemoPassword); err != nil {
		t.Errorf("sign in as the demo teacher: %v", err)
	}
}

func TestReportCompileCommand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if _, err := e.run("", "demo"); err != nil {
		t.Fatalf("demo: %v", err)
	}
	d, err := db.Open(context.Background(), e.dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer d.Close()
	var district int64
	var year int
	if err := d.QueryRowContext(context.Background(), `SELECT id_school_district, year FROM reporting_period
		WHERE period = 'Q1' ORDER BY year LIMIT 1`).Scan(&district, &year); err != nil {
		t.Fatalf("period: %v", err)
	}

	out, err := e.run("", "report", "compile", "--district", fmt.Sprint(district), "--year", fmt.Sprint(year),
		"--period", "Q1")
	if err != nil || !strings.Contains(out, "100%") || !strings.Contains(out, "compile finished") {
		t.Fatalf("report compile: %v\n%s", err, out)
	}
	var reports int
	_ = d.QueryRowContext(context.Background(), `SELECT count(*) FROM progress_report WHERE period = 'Q1'`).Scan(&reports)
	if reports == 0 {
		t.Error("the compile wrote no reports")
	}
	_, err = e.run("", "report", "compile", "--district", "1", "--year", "2026", "--period", "Q9")
	if !errors.Is(err, ErrUsage) {
		t.Errorf("a bad period code: %v, want a usage error", err)
	}
}
