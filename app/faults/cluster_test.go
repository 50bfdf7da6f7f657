//go:build faults

package faults

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTwoServersAndAWorker runs two servers, both with workers, and a
// worker process on one database: a session started on one server works
// on the other and ends on both when its person signs out on either; the
// nightly round, which every process schedules when it starts, is
// enqueued once; a workbook requested on one server is built once.
func TestTwoServersAndAWorker(t *testing.T) {
	ctx := context.Background()
	d := drill.db
	// Earlier drills' processes enqueued today's round already; clear it so
	// this drill sees the three processes compete for it.
	if _, err := d.ExecContext(ctx, `DELETE FROM river_job WHERE kind = 'report_schedule'`); err != nil {
		t.Fatalf("clear the round: %v", err)
	}
	a := serve(t, "serve-a", "RUN_WORKERS=true")
	b := serve(t, "serve-b", "RUN_WORKERS=true")
	start(t, "worker-c", nil, "worker")

	// One person, one cookie, either server: what a load balancer does.
	leader := signIn(t, a.addr, "leader@demo.test")
	for _, srv := range []*proc{a, b} {
		if status, body := leader.get(t, srv.addr+"/students"); status != http.StatusOK ||
			!strings.Contains(body, "nav-user") {
			t.Errorf("%s with the session from serve-a: %d", srv.name, status)
		}
	}

	var round int
	waitFor(ctx, 30*time.Second, 200*time.Millisecond, func() bool {
		err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report_schedule'`).Scan(&round)
		return err == nil && round > 0
	})
	time.Sleep(5 * time.Second)
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report_schedule'`).
		Scan(&round); err != nil || round != 1 {
		t.Errorf("the nightly round was enqueued %d times (%v), want once", round, err)
	}

	var last int64
	_ = d.QueryRowContext(ctx, `SELECT coalesce(max(id_report_export), 0) FROM report_export`).Scan(&last)
	var year int
	var code string
	if err := d.QueryRowContext(ctx, `SELECT year, period FROM reporting_period
		WHERE period LIKE 'Q%' AND current_date BETWEEN starts_on AND ends_on LIMIT 1`).Scan(&year, &code); err != nil {
		t.Fatalf("current period: %v", err)
	}
	if status, body := leader.post(t, a.addr+"/exports", url.Values{"scope": {"district"},
		"period": {fmt.Sprintf("%d-%s", year, code)}}, "HX-Request", "true"); status != http.StatusOK {
		t.Fatalf("request a workbook on serve-a: %d\n%s", status, body)
	}
	var id int64
	var state string
	built := waitFor(ctx, 2*time.Minute, 250*time.Millisecond, func() bool {
		err := d.QueryRowContext(ctx, `SELECT id_report_export, state FROM report_export
			WHERE id_report_export > ? ORDER BY id_report_export LIMIT 1`, last).Scan(&id, &state)
		return err == nil && (state == "done" || state == "failed")
	})
	var rows, jobRows, attempts int
	_ = d.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM report_export WHERE id_report_export > ?),
		(SELECT count(*) FROM river_job WHERE kind = 'report_export' AND (args->>'export_id')::bigint = ?),
		(SELECT coalesce(max(attempt), 0) FROM river_job WHERE kind = 'report_export' AND (args->>'export_id')::bigint = ?)`,
		last, id, id).Scan(&rows, &jobRows, &attempts)
	if !built || state != "done" || rows != 1 || jobRows != 1 || attempts != 1 {
		t.Errorf("workbook: %s; %d workbooks, %d jobs, %d attempts; want one of each, done", state, rows, jobRows, attempts)
	}
	// Downloaded through the other server.
	if status, _ := leader.get(t, fmt.Sprintf("%s/exports/%d/download", b.addr, id)); status != http.StatusOK {
		t.Errorf("download on serve-b: %d", status)
	}

	// Signing out on serve-b ends the session on serve-a too, which has it
	// in its session cache: as soon as serve-a hears of the change, a
	// moment after it commits.
	leader.refreshCSRF(t, b.addr)
	if status, _ := leader.post(t, b.addr+"/logout", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("sign out on serve-b: %d", status)
	}
	signedOut, stale := time.Now(), 0
	ended := waitFor(ctx, time.Second, time.Millisecond, func() bool {
		status, _ := leader.get(t, a.addr+"/students")
		if status == http.StatusOK {
			stale++
		}
		return status == http.StatusSeeOther
	})
	lag := time.Since(signedOut)
	if !ended {
		t.Errorf("serve-a still answers the session a second after signing out on serve-b")
	}

	outcome := "pass"
	if t.Failed() {
		outcome = "FAIL"
	}
	record("two servers and a worker on one database", outcome,
		"session shared, and ended on serve-a %s after signing out on serve-b (%d request(s) answered meanwhile); "+
			"nightly round enqueued %d×; workbook built %d× in %d attempt(s)",
		lag.Round(100*time.Microsecond), stale, round, jobRows, attempts)
}

var versionInput = regexp.MustCompile(`name="version" value="([^"]*)"`)

// TestTwoPeopleEditOneGoal has one teacher's laptop and phone, on the two
// servers, save the same goal title from the same starting version. The
// second save gets the conflict with both texts in it, nothing is saved
// over the first, and applying it anyway keeps the second.
func TestTwoPeopleEditOneGoal(t *testing.T) {
	ctx := context.Background()
	a := serve(t, "serve-edit-a", "RUN_WORKERS=false")
	b := serve(t, "serve-edit-b", "RUN_WORKERS=false")
	laptop := signIn(t, a.addr, "teacher@demo.test")
	phone := signIn(t, b.addr, "teacher@demo.test")
	var goal int64
	if err := drill.db.QueryRowContext(ctx, `SELECT g.id_goal FROM goal g
		JOIN user_student us ON us.id_student = g.id_student AND us.is_primary
		JOIN "user" u ON u.id_user = us.id_user
		WHERE u.email = 'teacher@demo.test' AND g.id_goal_parent IS NULL ORDER BY g.id_goal LIMIT 1`).
		Scan(&goal); err != nil {
		t.Fatalf("find a goal: %v", err)
	}
	field := fmt.Sprintf("/goals/%d/fields/title", goal)
	versionOn := func(br *browser, base string) string {
		_, body := br.get(t, base+field+"/edit", "HX-Request", "true")
		m := versionInput.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no version in the edit form on %s", base)
		}
		return m[1]
	}
	laptopVersion, phoneVersion := versionOn(laptop, a.addr), versionOn(phone, b.addr)

	status, _ := laptop.post(t, a.addr+field, url.Values{"value": {"Reads a page aloud (laptop)"},
		"version": {laptopVersion}}, "HX-Request", "true")
	if status != http.StatusOK {
		t.Fatalf("first save: %d", status)
	}
	status, body := phone.post(t, b.addr+field, url.Values{"value": {"Reads a page aloud (phone)"},
		"version": {phoneVersion}}, "HX-Request", "true")
	if status != http.StatusConflict || !strings.Contains(body, "(laptop)") || !strings.Contains(body, "(phone)") {
		t.Fatalf("second save: %d, want 409 showing both texts\n%s", status, body)
	}
	var title string
	_ = drill.db.QueryRowContext(ctx, `SELECT title FROM goal WHERE id_goal = ?`, goal).Scan(&title)
	if title != "Reads a page aloud (laptop)" {
		t.Errorf("after the conflict the title is %q; the first save was lost", title)
	}

	m := versionInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the conflict form has no version to apply over")
	}
	if status, _ := phone.post(t, b.addr+field, url.Values{"value": {"Reads a page aloud (phone)"},
		"version": {m[1]}}, "HX-Request", "true"); status != http.StatusOK {
		t.Errorf("apply mine anyway: %d", status)
	}
	_ = drill.db.QueryRowContext(ctx, `SELECT title FROM goal WHERE id_goal = ?`, goal).Scan(&title)
	if title != "Reads a page aloud (phone)" {
		t.Errorf("after applying anyway the title is %q", title)
	}
	outcome := "pass"
	if t.Failed() {
		outcome = "FAIL"
	}
	record("two people edit one goal", outcome,
		"second save answered 409 with both texts; first kept; reapplied on purpose")
}
