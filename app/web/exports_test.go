package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// exportsApp signs in a district leader of a district with a Q2 period.
func exportsApp(t *testing.T) (*testApp, int64) {
	t.Helper()
	a := newTestApp(t)
	first, _ := a.seedLeader()
	district := a.districtOf(first)
	a.exec(`INSERT INTO reporting_period (id_school_district, year, period, starts_on, ends_on)
		VALUES (?, 2026, 'Q2', '2026-10-26', '2027-01-03')`, district)
	return a, district
}

func TestExportsPage(t *testing.T) {
	t.Parallel()
	a, _ := exportsApp(t)

	res := a.get("/exports")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("exports page = %d", res.StatusCode)
	}
	mustContain(t, res.body, "Workbooks", "Build workbook", "Whole district", `value="2026-Q2"`,
		`id="export-rows"`)
}

func TestRequestExportEnqueuesOneJob(t *testing.T) {
	t.Parallel()
	a, _ := exportsApp(t)

	res := a.postHTMX("/exports", "scope", "district", "period", "2026-Q2")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("request = %d:\n%s", res.StatusCode, shorten(res.body))
	}
	// The row travels in a template: outside a table the HTML parser would
	// flatten it.
	mustContain(t, res.body, "<template><tbody hx-swap-oob=\"afterbegin:#export-rows\">", "Waiting for a worker",
		`hx-trigger="every 1s"`)

	var exports, jobs, audits int
	ctx := context.Background()
	_ = a.db.QueryRowContext(ctx, `SELECT count(*) FROM report_export WHERE state = 'queued'`).Scan(&exports)
	_ = a.db.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report_export'`).Scan(&jobs)
	_ = a.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_event WHERE action = 'export_requested'`).Scan(&audits)
	if exports != 1 || jobs != 1 || audits != 1 {
		t.Errorf("%d exports, %d jobs, %d audit events; want one of each", exports, jobs, audits)
	}

	bad := a.postHTMX("/exports", "scope", "x", "period", "2026-Q2")
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad scope = %d, want 422", bad.StatusCode)
	}
	mustContain(t, bad.body, "Choose the district or one of your programs.")
	missing := a.postHTMX("/exports", "scope", "district", "period", "2031-Q4")
	if missing.StatusCode != http.StatusNotFound {
		t.Errorf("a period the calendar lacks = %d, want 404", missing.StatusCode)
	}
}

func TestExportRowAndDownload(t *testing.T) {
	t.Parallel()
	a, district := exportsApp(t)
	var done, running int64
	ctx := context.Background()
	insert := `INSERT INTO report_export (id_school_district, year, period, state, progress_percent, filename,
		content, size_bytes) VALUES (?, 2026, 'Q2', ?, ?, 'test-district-2026-Q2.xlsx', 'PK-bytes', 8)
		RETURNING id_report_export`
	if err := a.db.QueryRowContext(ctx, insert, district, "done", 100).Scan(&done); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if err := a.db.QueryRowContext(ctx, insert, district, "running", 40).Scan(&running); err != nil {
		t.Fatalf("seed: %v", err)
	}

	row := a.get(fmt.Sprintf("/exports/%d", running), "HX-Request", "true")
	mustContain(t, row.body, "Building: 40%", `value="40"`, `hx-trigger="every 1s"`)
	finished := a.get(fmt.Sprintf("/exports/%d", done), "HX-Request", "true")
	mustContain(t, finished.body, "test-district-2026-Q2.xlsx")
	mustNotContain(t, finished.body, "hx-trigger")

	res := a.get(fmt.Sprintf("/exports/%d/download", done))
	if res.StatusCode != http.StatusOK || res.body != "PK-bytes" {
		t.Fatalf("download = %d %q", res.StatusCode, res.body)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="test-district-2026-Q2.xlsx"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	var audits int
	_ = a.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_event WHERE action = 'export_download'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d download audit events, want 1", audits)
	}
	if res := a.get(fmt.Sprintf("/exports/%d/download", running)); res.StatusCode != http.StatusNotFound {
		t.Errorf("downloading an unfinished workbook = %d, want 404", res.StatusCode)
	}
}
