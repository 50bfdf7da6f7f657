package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"goaltracker/app/db"
	"goaltracker/app/export"
)

func TestReportExportCommand(t *testing.T) {
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
	scope := []string{"--district", fmt.Sprint(district), "--year", fmt.Sprint(year), "--period", "Q1"}
	if out, err := e.run("", append([]string{"report", "compile"}, scope...)...); err != nil {
		t.Fatalf("report compile: %v\n%s", err, out)
	}

	path := filepath.Join(t.TempDir(), "q1.xlsx")
	out, err := e.run("", append([]string{"report", "export", "--out", path}, scope...)...)
	if err != nil || !strings.Contains(out, "saved "+path) {
		t.Fatalf("report export: %v\n%s", err, out)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the saved workbook: %v", err)
	}
	defer func() { _ = f.Close() }()
	want := []string{export.SheetOverview, export.SheetGoals, export.SheetEntries, export.SheetAbout}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	var reports int
	_ = d.QueryRowContext(context.Background(), `SELECT count(*) FROM progress_report WHERE period = 'Q1'`).
		Scan(&reports)
	if rows, _ := f.GetRows(export.SheetGoals); len(rows) != reports+1 || reports == 0 {
		t.Errorf("Goals has %d rows for %d reports", len(rows)-1, reports)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("saved file mode: %v, %v; want 0600", info.Mode(), err)
	}

	for _, args := range [][]string{
		{"--district", "1", "--year", "2026", "--period", "Q1"},
		{"--year", "2026", "--period", "Q1", "--out", path},
		{"--district", "1", "--year", "2026", "--period", "Q5", "--out", path},
	} {
		if _, err := e.run("", append([]string{"report", "export"}, args...)...); !errors.Is(err, ErrUsage) {
			t.Errorf("report export %q: %v, want a usage error", args, err)
		}
	}
}
