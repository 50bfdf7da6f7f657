package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/demo"
	"goaltracker/app/export"
	"goaltracker/app/problem"
	"goaltracker/app/report"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// setup is a fresh database holding the demo district with its current
// quarter compiled, and the scope of that quarter's district workbook.
type setup struct {
	d     *db.DB
	scope export.Scope
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	if err := demo.Load(ctx, d, demo.Options{Password: "demo-password-2026",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	var district int64
	if err := d.QueryRowContext(ctx, `SELECT id_school_district FROM school_district`).Scan(&district); err != nil {
		t.Fatalf("district: %v", err)
	}
	p, ok, err := report.NewService(d).Current(ctx, district, time.Now())
	if err != nil || !ok {
		t.Fatalf("current period: %v %v", ok, err)
	}
	rs := report.Scope{DistrictID: district, Year: p.Year, Period: p.Code}
	if _, err := report.NewCompiler(d).Run(ctx, 1, rs, 0); err != nil {
		t.Fatalf("compile: %v", err)
	}
	return &setup{d: d, scope: export.Scope{DistrictID: district, Year: p.Year, Period: p.Code}}
}

// build builds the workbook of scope and returns its bytes and stats.
func (s *setup) build(t *testing.T, scope export.Scope) ([]byte, export.Stats) {
	t.Helper()
	var buf bytes.Buffer
	stats, err := export.Build(context.Background(), s.d, scope, "Marcus Bell", &buf, nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if stats.Bytes != int64(buf.Len()) {
		t.Errorf("stats say %d bytes, %d written", stats.Bytes, buf.Len())
	}
	return buf.Bytes(), stats
}

// count runs a count query.
func (s *setup) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

// open reopens a workbook with excelize.
func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// parts returns every file of the workbook's zip by name.
func parts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open zip: %v", err)
	}
	out := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatalf("open %s: %v", zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", zf.Name, err)
		}
		out[zf.Name] = string(data)
	}
	return out
}

// rows returns a sheet's rows as text.
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	return rs
}

func isNotFound(err error) bool { return errors.Is(err, problem.ErrNotFound) }

func isInvalid(err error, field string) bool {
	var v *problem.Invalid
	return errors.As(err, &v) && v.Has(field)
}
