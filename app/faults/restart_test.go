//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"goaltracker/app/db"
)

// sample is one answer of the load: when it came and its status, zero
// when the server did not answer at all.
type sample struct {
	at     time.Time
	status int
}

// TestDatabaseRestartUnderLoad loads the student page from four clients
// while PostgreSQL stops and starts again. The server must stay up,
// answer only 200 or the friendly 503, and be back to 200s within a few
// seconds of the database, with no restart of its own.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	ctx := context.Background()
	srv := serve(t, "serve-restart", "RUN_WORKERS=false")
	teacher := signIn(t, srv.addr, "teacher@demo.test")
	var student int64
	if err := drill.db.QueryRowContext(ctx, `SELECT us.id_student FROM user_student us
		JOIN "user" u ON u.id_user = us.id_user WHERE u.email = 'teacher@demo.test' AND us.is_primary
		ORDER BY us.id_student LIMIT 1`).Scan(&student); err != nil {
		t.Fatalf("find a student: %v", err)
	}
	page := fmt.Sprintf("%s/students/%d", srv.addr, student)

	var mu sync.Mutex
	var samples []sample
	stopLoad := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Jar: teacher.client.Jar, Timeout: 10 * time.Second}
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				s := sample{}
				if res, err := client.Get(page); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					s.status = res.StatusCode
				}
				s.at = time.Now()
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}

	time.Sleep(3 * time.Second)
	down := time.Now()
	if err := drill.cluster.Stop(); err != nil {
		t.Fatalf("stop PostgreSQL: %v", err)
	}
	time.Sleep(3 * time.Second)
	cluster, err := db.StartCluster(ctx, filepath.Join(drill.dir, "pg"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start PostgreSQL again: %v", err)
	}
	drill.cluster = cluster
	up := time.Now()
	time.Sleep(6 * time.Second)
	close(stopLoad)
	wg.Wait()

	if !srv.alive() {
		t.Fatalf("the server exited during the restart")
	}
	counts := map[int]int{}
	var lastBad time.Time
	for _, s := range samples {
		counts[s.status]++
		if s.status != http.StatusOK {
			if s.at.Before(down) {
				t.Errorf("status %d before the database went down", s.status)
			}
			if s.at.After(lastBad) {
				lastBad = s.at
			}
		}
		if s.status != http.StatusOK && s.status != http.StatusServiceUnavailable {
			t.Errorf("status %d at %s: only 200 and 503 may be answered",
				s.status, s.at.Sub(down).Round(time.Millisecond))
		}
	}
	// Zero when no error came after the database was back.
	recovered := max(lastBad.Sub(up), 0)
	if recovered > 5*time.Second {
		t.Errorf("errors went on %s after the database was back", recovered)
	}
	outcome := "pass"
	if t.Failed() {
		outcome = "FAIL"
	}
	record("database restart under load", outcome,
		"%d requests: %d × 200, %d × 503, %d other; database down %.1f s; last error %.2f s after it was back",
		len(samples), counts[200], counts[503], len(samples)-counts[200]-counts[503],
		up.Sub(down).Seconds(), recovered.Seconds())
}
