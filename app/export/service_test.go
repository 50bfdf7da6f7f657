package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/export"
)

// request records an export of scope for userID in its own transaction.
func (s *setup) request(t *testing.T, scope export.Scope, userID int64) (*export.Export, error) {
	t.Helper()
	var e *export.Export
	err := s.d.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		e, err = export.NewService(s.d).RequestTx(ctx, tx, scope, userID)
		return err
	})
	return e, err
}

func (s *setup) leader(t *testing.T) int64 {
	t.Helper()
	return int64(s.count(t, `SELECT id_user FROM "user" WHERE email = 'leader@demo.test'`))
}

func TestRequestRecordsTheExportAndAudits(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	leader := s.leader(t)

	e, err := s.request(t, s.scope, leader)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	want := export.Filename("Riverside Unified School District", s.scope.Year, s.scope.Period)
	if e.ID == 0 || e.State != export.StateQueued || e.RequestedBy != leader || e.Filename != want ||
		e.CreatedAt.IsZero() {
		t.Errorf("export = %+v, want queued for the leader as %s", e, want)
	}
	audited := s.count(t, `SELECT count(*) FROM audit_event WHERE action = 'export_requested'
		AND record_type = 'report_export' AND record_id = ? AND id_user = ? AND id_school_district = ?`,
		e.ID, leader, s.scope.DistrictID)
	if audited != 1 {
		t.Errorf("%d export_requested events, want 1", audited)
	}

	var program int64
	_ = s.d.QueryRowContext(context.Background(), `SELECT id_program FROM program WHERE name = 'Transition Program'`).
		Scan(&program)
	pe, err := s.request(t, export.Scope{ProgramID: program, Year: s.scope.Year, Period: "S1"}, 0)
	if err != nil {
		t.Fatalf("request a program's workbook: %v", err)
	}
	if pe.DistrictID != s.scope.DistrictID || pe.ProgramID != program || pe.RequestedBy != 0 ||
		!strings.HasPrefix(pe.Filename, "transition-program-") || !strings.HasSuffix(pe.Filename, "-S1.xlsx") {
		t.Errorf("program export = %+v", pe)
	}

	before := s.count(t, `SELECT count(*) FROM report_export`)
	if _, err := s.request(t, export.Scope{DistrictID: s.scope.DistrictID, Year: 2001, Period: "Q1"}, leader); !isNotFound(err) {
		t.Errorf("a period missing from the calendar: %v, want not found", err)
	}
	if _, err := s.request(t, export.Scope{Year: s.scope.Year, Period: "Q1"}, leader); !isInvalid(err, "district") {
		t.Errorf("no district nor program: %v, want it invalid", err)
	}
	if after := s.count(t, `SELECT count(*) FROM report_export`); after != before {
		t.Errorf("refused requests left %d rows", after-before)
	}
}

func TestExportLifecycle(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	ctx := context.Background()
	svc := export.NewService(s.d)
	e, err := s.request(t, s.scope, s.leader(t))
	if err != nil {
		t.Fatalf("request: %v", err)
	}

	started, err := svc.Start(ctx, e.ID)
	if err != nil || started.State != export.StateRunning || started.StartedAt.IsZero() {
		t.Fatalf("start: %+v, %v", started, err)
	}
	progress := svc.Progress(ctx, e.ID)
	progress(3)
	if got, _ := svc.Get(ctx, e.ID); got.ProgressPercent != 0 {
		t.Errorf("progress %d%% written before a step of %d%%", got.ProgressPercent, export.ProgressStep)
	}
	progress(7)
	if got, _ := svc.Get(ctx, e.ID); got.ProgressPercent != 7 {
		t.Errorf("progress = %d%%, want 7%%", got.ProgressPercent)
	}

	if err := svc.Fail(ctx, e.ID, context.DeadlineExceeded); err != nil {
		t.Fatalf("fail: %v", err)
	}
	if got, _ := svc.Get(ctx, e.ID); got.State != export.StateFailed || got.Error == "" || got.FinishedAt.IsZero() {
		t.Errorf("after a failure: %+v", got)
	}
	again, err := svc.Start(ctx, e.ID)
	if err != nil || again.State != export.StateRunning || again.Error != "" || !again.FinishedAt.IsZero() {
		t.Errorf("restart: %+v, %v; want running with the error cleared", again, err)
	}

	content := []byte("PK not really a workbook")
	if err := svc.Finish(ctx, e.ID, content); err != nil {
		t.Fatalf("finish: %v", err)
	}
	sum := sha256.Sum256(content)
	done, err := svc.Content(ctx, e.ID)
	if err != nil || done.State != export.StateDone || !bytes.Equal(done.Content, content) ||
		done.SizeBytes != int64(len(content)) || done.SHA256 != hex.EncodeToString(sum[:]) ||
		done.ProgressPercent != 100 {
		t.Errorf("content: %+v, %v", done, err)
	}
	if got, _ := svc.Start(ctx, e.ID); got.State != export.StateDone || !got.FinishedAt.Equal(done.FinishedAt) {
		t.Errorf("starting a done export changed it: %+v", got)
	}
	if got, _ := svc.Get(ctx, e.ID); got.Content != nil {
		t.Error("Get returned the content")
	}

	if err := svc.RecordDownload(ctx, done, s.leader(t), "192.0.2.7"); err != nil {
		t.Fatalf("record download: %v", err)
	}
	if n := s.count(t, `SELECT count(*) FROM audit_event WHERE action = 'export_download' AND record_id = ?
		AND ip = '192.0.2.7'`, e.ID); n != 1 {
		t.Errorf("%d download events, want 1", n)
	}
	if _, err := svc.Get(ctx, 999999); !isNotFound(err) {
		t.Errorf("a missing export: %v, want not found", err)
	}
	if err := svc.Finish(ctx, 999999, content); !isNotFound(err) {
		t.Errorf("finishing a missing export: %v, want not found", err)
	}
}

func TestListAndDeleteOlderThan(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	ctx := context.Background()
	svc := export.NewService(s.d)
	var ids []int64
	for range 3 {
		e, err := s.request(t, s.scope, 0)
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		ids = append(ids, e.ID)
	}
	if err := svc.Finish(ctx, ids[2], []byte("file")); err != nil {
		t.Fatalf("finish: %v", err)
	}
	if _, err := s.d.ExecContext(ctx, `UPDATE report_export SET created_at = now() - interval '40 days'
		WHERE id_report_export IN (?, ?)`, ids[0], ids[1]); err != nil {
		t.Fatalf("age exports: %v", err)
	}

	list, err := svc.List(ctx, s.scope.DistrictID, 0)
	if err != nil || len(list) != 3 || list[0].ID != ids[2] || list[0].Content != nil {
		t.Fatalf("list: %d exports, %v; want 3, newest first, without content", len(list), err)
	}
	if other, _ := svc.List(ctx, s.scope.DistrictID+1000, 10); other == nil || len(other) != 0 {
		t.Errorf("another district's list = %v, want empty", other)
	}

	n, err := svc.DeleteOlderThan(ctx, 30*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("delete: %d, %v; want 2", n, err)
	}
	if list, _ := svc.List(ctx, s.scope.DistrictID, 10); len(list) != 1 || list[0].ID != ids[2] {
		t.Errorf("left after delete: %v", list)
	}
}

func TestFilename(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, period string
		year         int
		want         string
	}{
		{"Riverside Unified School District", "Q2", 2026, "riverside-unified-school-district-2026-Q2.xlsx"},
		{"  Escuela Pública Nº 5 / Año ", "S1", 2027, "escuela-publica-no-5-ano-2027-S1.xlsx"},
		{"../../etc/passwd", "Q1", 2026, "etc-passwd-2026-Q1.xlsx"},
		{"", "Q4", 2026, "workbook-2026-Q4.xlsx"},
		{"日本語", "Q3", 2026, "workbook-2026-Q3.xlsx"},
		{strings.Repeat("long name ", 20), "Q1", 2026, strings.TrimRight(strings.Repeat("long-name-", 8), "-") + "-2026-Q1.xlsx"},
	} {
		if got := export.Filename(tc.name, tc.year, tc.period); got != tc.want {
			t.Errorf("Filename(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
