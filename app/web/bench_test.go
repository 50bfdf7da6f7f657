package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"

	"goaltracker/app/account"
	"goaltracker/app/db"
	"goaltracker/app/demo"
	"goaltracker/static"
)

// statementCounter counts the SQL statements Bun and pgx run and, while
// keep is set, keeps them to be replayed as a baseline.
type statementCounter struct {
	n    atomic.Int64
	keep atomic.Bool
	mu   sync.Mutex
	kept []keptStatement
}

// keptStatement is a statement as the server received it: Bun's with its
// values written into the text, pgx's with arguments.
type keptStatement struct {
	sql  string
	args []any
}

func (s *statementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (s *statementCounter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	s.n.Add(1)
	s.add(keptStatement{sql: e.Query})
}

// TraceQueryStart counts the statements sent through pgx directly.
func (s *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn,
	data pgx.TraceQueryStartData) context.Context {
	s.n.Add(1)
	s.add(keptStatement{sql: data.SQL, args: data.Args})
	return ctx
}

func (s *statementCounter) add(st keptStatement) {
	if !s.keep.Load() {
		return
	}
	s.mu.Lock()
	s.kept = append(s.kept, st)
	s.mu.Unlock()
}

func (s *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// bigStudent loads the demo district, adds a student of the demo teacher
// with 20 goals (5 of them with 3 sub-goals) and 400 entries, and signs the
// teacher in.
func bigStudent(b *testing.B) (*testApp, int64) {
	b.Helper()
	a := newTestApp(b)
	ctx := context.Background()
	if err := demo.Load(ctx, a.db, demo.Options{Password: a.srv.cfg.DemoPassword}); err != nil {
		b.Fatalf("load demo: %v", err)
	}
	var teacher, student int64
	err := a.db.QueryRowContext(ctx, `SELECT id_user FROM "user" WHERE email = 'teacher@demo.test'`).Scan(&teacher)
	if err == nil {
		err = a.db.QueryRowContext(ctx, `INSERT INTO student (id_program, identifier, program_year)
			SELECT id_program, 'BIG-001', 2 FROM program ORDER BY id_program LIMIT 1
			RETURNING id_student`).Scan(&student)
	}
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO user_student (id_user, id_student, access_level, is_primary) VALUES (?0, ?1, 'editor', true)`,
		`INSERT INTO goal (id_student, id_user_created, title, category, unit, baseline_value, target_value,
			target_date, created_at)
			SELECT ?1, ?0, 'Goal ' || i, 'Reading', '% accuracy', 30, 80, current_date + 120,
				current_date - 150 FROM generate_series(1, 15) AS i`,
		`INSERT INTO goal (id_student, id_goal_parent, id_user_created, title)
			SELECT ?1, g.id_goal, ?0, 'Step ' || i FROM generate_series(1, 1) AS i,
			(SELECT id_goal FROM goal WHERE id_student = ?1 ORDER BY id_goal LIMIT 5) AS g`,
		`INSERT INTO progress_event (id_student, id_goal, id_user_created, content, value, is_sensitive,
				occurred_on)
			SELECT ?1, g.id_goal, ?0, 'Observation ' || i || ': worked through the task with one prompt',
				30 + (i % 50), i % 40 = 0, current_date - (i % 140)
			FROM generate_series(1, 400) AS i
			JOIN LATERAL (SELECT id_goal FROM goal WHERE id_student = ?1 AND id_goal_parent IS NULL
				ORDER BY id_goal OFFSET (i % 15) LIMIT 1) AS g ON true`,
	} {
		if _, err := a.db.NewRaw(q, teacher, student).Exec(ctx); err != nil {
			b.Fatalf("seed %q: %v", q, err)
		}
	}
	a.signIn(teacher)
	return a, student
}

// BenchmarkStudentPage renders the workspace of a student with 20 goals
// and 400 entries as the demo teacher, and reports the median server
// time, the SQL statements per request, the HTML size and the size of the
// JavaScript the app ships.
func BenchmarkStudentPage(b *testing.B) {
	a, student := bigStudent(b)
	counter := &statementCounter{}
	app := countingApp(b, a, counter)
	path := fmt.Sprintf("/students/%d", student)

	var times []time.Duration
	var htmlBytes int
	counter.n.Store(0)
	requests := 0
	// Each round is 50 requests, so even -benchtime 1x gives a median of
	// warm requests.
	for b.Loop() {
		for range 50 {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Cookie", a.cookie)
			start := time.Now()
			res, err := app.Test(req, -1)
			if err != nil || res.StatusCode != http.StatusOK {
				b.Fatalf("student page: %v %v", err, res)
			}
			body, _ := io.ReadAll(res.Body)
			times = append(times, time.Since(start))
			htmlBytes = len(body)
			requests++
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(counter.n.Load())/float64(requests), "statements/req")
	b.ReportMetric(float64(htmlBytes), "html-bytes")
	js := 0
	for _, name := range []string{"vendor/htmx.min.js", "app.js"} {
		asset, _ := static.Lookup(static.URL(name))
		js += len(asset.Content)
	}
	b.ReportMetric(float64(js), "js-bytes")
}

// countingApp is a second server on a's database whose statements counter
// counts.
func countingApp(b *testing.B, a *testApp, counter *statementCounter) *fiber.App {
	b.Helper()
	cfg := a.db.Pool.Config()
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatalf("counting pool: %v", err)
	}
	b.Cleanup(pool.Close)
	hooked := &db.DB{DB: a.db.WithQueryHook(counter), Pool: pool}
	accounts, err := account.NewService(hooked, testSettings(a.srv.cfg))
	if err != nil {
		b.Fatalf("accounts: %v", err)
	}
	srv, err := New(Deps{Config: a.srv.cfg, Logger: a.srv.log, DB: hooked, Accounts: accounts})
	if err != nil {
		b.Fatalf("server: %v", err)
	}
	return srv.App()
}

// BenchmarkInlineEditLoad runs, one after the other in the same process,
// inline goal title edits through the HTTP server and bare pgx single-row
// UPDATEs of goal titles, each by the same number of concurrent workers
// for the same time, and reports both rates and their ratio (target at
// least 0.4). Each worker is a teacher's browser of its own, with its own
// session, goal and connection (see editor); the server runs as serve
// does, with the session cache listening. Besides the rates it reports
// the processor time per operation: the whole machine's, PostgreSQL's,
// and this process's (the server and its clients, or pgx).
func BenchmarkInlineEditLoad(b *testing.B) {
	const workers, rounds = 8, 3
	const phase = 2 * time.Second
	a, student := bigStudent(b)
	ctx := context.Background()
	var goals []int64
	if err := a.db.NewSelect().Table("goal").Column("id_goal").Where("id_student = ?", student).
		Where("id_goal_parent IS NULL").Limit(workers).Scan(ctx, &goals); err != nil {
		b.Fatalf("goals: %v", err)
	}
	var teacher int64
	if err := a.db.NewSelect().Table("user").Column("id_user").Where("email = 'teacher@demo.test'").
		Scan(ctx, &teacher); err != nil {
		b.Fatalf("teacher: %v", err)
	}
	watchSessions(b, a)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatalf("listen: %v", err)
	}
	go func() { _ = a.app.Listener(ln) }()
	defer func() { _ = a.app.Shutdown() }()
	browsers := make([]*editor, workers)
	for w := range browsers {
		a.signIn(teacher)
		browsers[w] = &editor{addr: ln.Addr().String(), cookie: a.cookie, csrf: a.csrf, goal: goals[w]}
		defer browsers[w].close()
	}

	// Edits and bare UPDATEs take turns, rounds phases long each, so that
	// whatever else the machine does weighs on both alike.
	for b.Loop() {
		var edits, updates loadResult
		for range rounds {
			// The bare UPDATEs of the round before changed every goal.
			for w := range browsers {
				browsers[w].version = ""
			}
			edits.add(runLoad(workers, phase, func(w int, i int64, _ *string) error {
				return browsers[w].edit(i)
			}))
			updates.add(runLoad(workers, phase, func(w int, i int64, _ *string) error {
				_, err := a.db.Pool.Exec(ctx, `UPDATE goal SET title = $1, updated_at = now() WHERE id_goal = $2`,
					fmt.Sprintf("Bare title %d", i), goals[w])
				return err
			}))
		}
		edits.report(b, "edit")
		updates.report(b, "bare")
		b.ReportMetric(edits.perSecond()/updates.perSecond(), "edits/updates")
	}
}

// watchSessions runs a's session cache, as serve does, until the test
// ends, and waits until it listens.
func watchSessions(tb testing.TB, a *testApp) {
	tb.Helper()
	tb.Cleanup(a.accounts.StartWatchingSessions(a.srv.log))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.accounts.AwaitSessionCache(ctx); err != nil {
		tb.Fatal(err)
	}
}
