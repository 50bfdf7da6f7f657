package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/account"
	"goaltracker/app/config"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/jobs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testApp is a Fiber app on a fresh database, and the database for setting
// up rows.
type testApp struct {
	t        testing.TB
	srv      *Server
	app      *fiber.App
	db       *db.DB
	accounts *account.Service
	// cookie is sent with every request when set: a signed-in session.
	cookie string
	// csrf is the token sent with requests that change something.
	csrf string
}

// cheapHash keeps tests fast; production uses account.DefaultHashParams.
var cheapHash = account.HashParams{MemoryKiB: 1024, Iterations: 1, Lanes: 1, SaltLen: 16, KeyLen: 32}

func testSettings(cfg *config.Config) account.Settings {
	return account.Settings{Hash: cheapHash, Policy: account.DefaultPasswordPolicy,
		HistoryCount: cfg.PasswordHistory, LockoutThreshold: cfg.LockoutThreshold,
		LockoutDuration: cfg.LockoutDuration, SessionIdle: cfg.SessionIdleTimeout,
		SessionLifetime: cfg.SessionLifetime, ResetTokenLifetime: cfg.ResetTokenLifetime}
}

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppWith(t, nil)
}

// newTestAppWith is newTestApp with the configuration changed by adjust.
func newTestAppWith(t testing.TB, adjust func(*config.Config)) *testApp {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	cfg.BodyLimitBytes = 64 << 10
	cfg.LoginRatePerMinute = 1000
	cfg.ResetRatePerMinute = 1000
	if adjust != nil {
		adjust(cfg)
	}
	d := dbtest.New(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts, err := account.NewService(d, testSettings(cfg))
	if err != nil {
		t.Fatalf("new account service: %v", err)
	}
	inserter, err := jobs.NewInserter(d.SQL())
	if err != nil {
		t.Fatalf("new job inserter: %v", err)
	}
	srv, err := New(Deps{Config: cfg, Logger: logger, DB: d, Accounts: accounts, Jobs: inserter})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	t.Cleanup(srv.Wait)
	return &testApp{t: t, srv: srv, app: srv.App(), db: d, accounts: accounts}
}

// addUser creates an active user with role in district, member of
// programs (the first one primary), with password, and returns its id.
func (a *testApp) addUser(email, role string, district int64, password string, programs ...int64) int64 {
	a.t.Helper()
	hash, err := account.HashPassword(password, cheapHash)
	if err != nil {
		a.t.Fatalf("hash: %v", err)
	}
	var id int64
	err = a.db.QueryRowContext(context.Background(), `INSERT INTO "user"
			(id_role, id_school_district, email, name, password_hash)
		SELECT id_role, ?, ?, ?, ? FROM role WHERE name = ? RETURNING id_user`,
		district, email, "Test "+role, hash, role).Scan(&id)
	if err != nil {
		a.t.Fatalf("add user %s: %v", email, err)
	}
	for i, p := range programs {
		a.exec(`INSERT INTO user_program (id_user, id_program, is_primary) VALUES (?, ?, ?)`, id, p, i == 0)
	}
	return id
}

// signIn starts a session for userID directly (the sign-in form has tests
// of its own) and makes it the one later requests send.
func (a *testApp) signIn(userID int64) {
	a.t.Helper()
	token, err := a.accounts.StartSession(context.Background(), &account.User{ID: userID}, "127.0.0.1", "test")
	if err != nil {
		a.t.Fatalf("start session: %v", err)
	}
	a.cookie = "gt_session=" + token
	a.csrf = sessionCSRFToken(token)
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body string
}

// get requests path; headers are name, value pairs.
func (a *testApp) get(path string, headers ...string) response {
	a.t.Helper()
	return a.do(httptest.NewRequest(http.MethodGet, path, nil), headers...)
}

func (a *testApp) do(req *http.Request, headers ...string) response {
	a.t.Helper()
	if a.cookie != "" {
		req.Header.Set("Cookie", a.cookie)
	}
	if a.csrf != "" && req.Method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.app.Test(req, -1)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatalf("read body: %v", err)
	}
	return response{Response: res, body: string(b)}
}

// exec runs setup SQL, failing the test on error.
func (a *testApp) exec(query string, args ...any) {
	a.t.Helper()
	if _, err := a.db.ExecContext(context.Background(), query, args...); err != nil {
		a.t.Fatalf("setup %q: %v", query, err)
	}
}

// post sends form values (name, value pairs) to path.
func (a *testApp) post(path string, form ...string) response {
	a.t.Helper()
	return a.do(formRequest(path, form))
}

// postHTMX is post as htmx sends it.
func (a *testApp) postHTMX(path string, form ...string) response {
	a.t.Helper()
	return a.do(formRequest(path, form), "HX-Request", "true")
}

func formRequest(path string, form []string) *http.Request {
	values := url.Values{}
	for i := 0; i+1 < len(form); i += 2 {
		values.Add(form[i], form[i+1])
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// seedLeader seeds two programs and signs in a district leader of their
// district, who may read every student of it. It returns the programs.
func (a *testApp) seedLeader() (int64, int64) {
	a.t.Helper()
	first, second := a.seedPrograms()
	a.signIn(a.addUser("leader@test.example", "district_leader", a.districtOf(first), "unused password 1"))
	return first, second
}

func (a *testApp) districtOf(program int64) int64 {
	a.t.Helper()
	var d int64
	err := a.db.QueryRowContext(context.Background(),
		`SELECT id_school_district FROM program WHERE id_program = ?`, program).Scan(&d)
	if err != nil {
		a.t.Fatalf("district of program %d: %v", program, err)
	}
	return d
}

// seedPrograms makes a district with two programs and returns their ids.
func (a *testApp) seedPrograms() (int64, int64) {
	a.t.Helper()
	ctx := context.Background()
	var district, first, second int64
	err := a.db.QueryRowContext(ctx,
		`INSERT INTO school_district (name) VALUES ('Test District') RETURNING id_school_district`).Scan(&district)
	if err == nil {
		err = a.db.QueryRowContext(ctx, `INSERT INTO program (id_school_district, name)
			VALUES (?, 'Transition') RETURNING id_program`, district).Scan(&first)
	}
	if err == nil {
		err = a.db.QueryRowContext(ctx, `INSERT INTO program (id_school_district, name)
			VALUES (?, 'Learning Support') RETURNING id_program`, district).Scan(&second)
	}
	if err != nil {
		a.t.Fatalf("seed programs: %v", err)
	}
	return first, second
}

// seedStudents adds n students named prefix-001... to program.
func (a *testApp) seedStudents(program int64, prefix string, n int) {
	a.t.Helper()
	a.exec(`INSERT INTO student (id_program, identifier, program_year)
		SELECT ?, ? || '-' || lpad(i::text, 3, '0'), 1 + i % 4 FROM generate_series(1, ?) AS i`,
		program, prefix, n)
}

func mustContain(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("body lacks %q:\n%s", p, shorten(body))
		}
	}
}

func mustNotContain(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(body, p) {
			t.Errorf("body has %q:\n%s", p, shorten(body))
		}
	}
}

func shorten(s string) string {
	if len(s) > 2000 {
		return s[:2000] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}
