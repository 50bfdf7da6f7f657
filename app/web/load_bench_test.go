package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BenchmarkLoadStudentPage loads the workspace of a student with 20 goals
// and 400 entries from 8 concurrent clients over HTTP, then replays the
// very statements one page request ran (recorded as the server received
// them) straight through pgx from 8 goroutines: the bare database work of
// the page. It reports both rates with their median and 99th percentile
// latencies, and the ratio of the rates.
func BenchmarkLoadStudentPage(b *testing.B) {
	const workers = 8
	const phase = 3 * time.Second
	a, student := bigStudent(b)
	ctx := context.Background()
	path := fmt.Sprintf("/students/%d", student)

	recorder := &statementCounter{}
	recording := countingApp(b, a, recorder)
	recorder.keep.Store(true)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Cookie", a.cookie)
	if res, err := recording.Test(req, -1); err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("record the page's statements: %v %v", err, res)
	}
	recorder.keep.Store(false)
	statements := recorder.kept

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatalf("listen: %v", err)
	}
	go func() { _ = a.app.Listener(ln) }()
	defer func() { _ = a.app.Shutdown() }()
	url := "http://" + ln.Addr().String() + path
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	for b.Loop() {
		pages := runLoad(workers, phase, func(int, int64, *string) error {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Cookie", a.cookie)
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("student page: %d", res.StatusCode)
			}
			return nil
		})
		bare := runLoad(workers, phase, func(int, int64, *string) error {
			return replay(ctx, a, statements)
		})
		pages.report(b, "page")
		bare.report(b, "bare")
		b.ReportMetric(pages.perSecond()/bare.perSecond(), "pages/bare")
		b.ReportMetric(float64(len(statements)), "statements")
	}
}

// replay runs statements through pgx, reading every row as the app does:
// Bun's inlined text in one round trip each, pgx's with their arguments.
func replay(ctx context.Context, a *testApp, statements []keptStatement) error {
	for _, st := range statements {
		args := st.args
		if args == nil {
			args = []any{pgx.QueryExecModeExec}
		}
		rows, err := a.db.Pool.Query(ctx, st.sql, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if _, err := rows.Values(); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("replay %.60q: %w", st.sql, err)
		}
	}
	return nil
}
