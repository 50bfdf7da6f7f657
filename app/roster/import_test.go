package roster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"goaltracker/app/problem"
)

func (f *fixture) stage(program int64, file string) *Preview {
	f.t.Helper()
	p, err := f.svc.Stage(context.Background(), f.who("district"), Upload{ProgramID: program,
		Filename: "roster.csv", Content: []byte(file)})
	if err != nil {
		f.t.Fatalf("stage: %v", err)
	}
	return p
}

func identifiers(items []Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Identifier)
	}
	return strings.Join(out, " ")
}

func TestPreviewSortsRowsAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.student(f.first, "SAME")
	f.student(f.first, "CHANGED")
	f.student(f.second, "ELSEWHERE")
	f.student(f.far, "FAR")

	p := f.stage(f.first, header+"NEW,,,\nsame,1,,\nSAME2,,,\nCHANGED,2,2026-09-01,\nelsewhere,,,\nFAR,1,,\n")
	if got := identifiers(p.New); got != "NEW SAME2 FAR" {
		t.Errorf("new = %q", got)
	}
	if got := identifiers(p.Unchanged); got != "" {
		t.Errorf("unchanged = %q", got)
	}
	if got := identifiers(p.Changed); got != "same CHANGED" {
		t.Errorf("changed = %q", got)
	}
	if ch := p.Changed[1].Changes; len(ch) != 2 || ch[0] != (Change{"program_year", "1", "2"}) ||
		ch[1] != (Change{"enrollment_date", "", "2026-09-01"}) {
		t.Errorf("changes of CHANGED = %+v", ch)
	}
	if len(p.Errors) != 1 || p.Errors[0].Line != 6 || !strings.Contains(p.Errors[0].Message, "(Second)") {
		t.Errorf("errors = %v", p.Errors)
	}
	if n := f.count(`SELECT count(*) FROM student`); n != 4 {
		t.Errorf("the preview wrote students: %d", n)
	}
	if n := f.count(`SELECT count(*) FROM roster_import WHERE committed_at IS NULL`); n != 1 {
		t.Errorf("%d staged imports", n)
	}
}

func TestCommitIsAllOrNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, who := context.Background(), f.who("district")

	bad := f.stage(f.first, header+"A,1,,\nB,x,,\n")
	_, err := f.svc.Commit(ctx, who, bad.Import.ID)
	refused, ok := IsRefused(err)
	if !ok || len(refused.Errors) != 1 || refused.Errors[0].Line != 3 {
		t.Fatalf("commit of a bad file: %v", err)
	}

	// A file fine at preview but not at commit is refused too.
	late := f.stage(f.first, header+"C,1,,\nD,1,,\n")
	f.student(f.second, "d")
	_, err = f.svc.Commit(ctx, who, late.Import.ID)
	if refused, ok := IsRefused(err); !ok || refused.Errors[0].Line != 3 {
		t.Fatalf("commit after the roster changed: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM student WHERE id_program = ?`, f.first); n != 0 {
		t.Errorf("refused commits wrote %d students", n)
	}
	if n := f.count(`SELECT count(*) FROM roster_import WHERE committed_at IS NOT NULL`); n != 0 {
		t.Errorf("%d refused imports marked committed", n)
	}
}

func TestCommitIsIdempotent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, who := context.Background(), f.who("program")
	f.student(f.first, "OLD")
	file := header + "OLD,3,,\nNEW-1,1,2026-09-01,2030-06-01\nNEW-2,,,\n"

	p := f.stage(f.first, file)
	res, err := f.svc.Commit(ctx, who, p.Import.ID)
	if err != nil || res.Added != 2 || res.Changed != 1 || res.Unchanged != 0 || res.AlreadyCommitted {
		t.Fatalf("first commit: %+v, %v", res, err)
	}
	again, err := f.svc.Commit(ctx, who, p.Import.ID)
	if err != nil || !again.AlreadyCommitted || again.Added != 2 || again.Changed != 1 {
		t.Fatalf("second commit: %+v, %v", again, err)
	}

	second := f.stage(f.first, file)
	if len(second.New)+len(second.Changed) != 0 || len(second.Unchanged) != 3 {
		t.Fatalf("the same file again: %d new, %d changed, %d unchanged", len(second.New),
			len(second.Changed), len(second.Unchanged))
	}
	res, err = f.svc.Commit(ctx, who, second.Import.ID)
	if err != nil || res.Added != 0 || res.Unchanged != 3 {
		t.Fatalf("commit of the same file: %+v, %v", res, err)
	}
	if n := f.count(`SELECT count(*) FROM student`); n != 3 {
		t.Errorf("%d students, want 3", n)
	}
	if n := f.count(`SELECT count(*) FROM student WHERE identifier = 'OLD' AND program_year = 3`); n != 1 {
		t.Error("OLD was not updated")
	}
	if n := f.count(`SELECT count(*) FROM audit_event WHERE action = 'roster_import'`); n != 2 {
		t.Errorf("%d import events, want one per committed import", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_event WHERE action = 'roster_import'
		AND (details->>'added')::int = 2 AND (details->>'changed')::int = 1
		AND (details->>'unchanged')::int = 0`); n != 1 {
		t.Error("the first import's event lacks its counts")
	}
}

// TestConcurrentImportsCreateNoDuplicates commits two imports of the same
// new identifiers at once: the district's roster lock lets one add them
// and the other find them there.
func TestConcurrentImportsCreateNoDuplicates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var b strings.Builder
	b.WriteString(header)
	for i := range 500 {
		fmt.Fprintf(&b, "C-%d,1,,\n", i)
	}
	first, second := f.stage(f.first, b.String()), f.stage(f.first, b.String())
	other := f.stage(f.second, b.String())

	var wg sync.WaitGroup
	results := make([]error, 3)
	for i, id := range []int64{first.Import.ID, second.Import.ID, other.Import.ID} {
		wg.Go(func() {
			_, results[i] = f.svc.Commit(context.Background(), f.who("district"), id)
		})
	}
	wg.Wait()

	refused := 0
	for _, err := range results {
		if _, ok := IsRefused(err); ok {
			refused++
		} else if err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
	if n := f.count(`SELECT count(DISTINCT lower(identifier)) FROM student`); n != 500 {
		t.Errorf("%d distinct identifiers", n)
	}
	if n := f.count(`SELECT count(*) FROM student`); n != 500 {
		t.Errorf("%d students for 500 identifiers", n)
	}
	// Whichever program won, the other program's import is refused, or
	// both imports of the first program went through.
	if refused == 0 || refused == 3 {
		t.Errorf("%d of 3 commits refused", refused)
	}
}

func TestImportsStayInReach(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	p := f.stage(f.second, header+"A,,,\n")
	if _, err := f.svc.Commit(ctx, f.who("program"), p.Import.ID); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("commit by a manager of another program: %v", err)
	}
	_, err := f.svc.Stage(ctx, f.who("program"), Upload{ProgramID: f.second, Filename: "f.csv",
		Content: []byte(header)})
	if !isInvalidOn(err, "program") {
		t.Errorf("stage into another program: %v", err)
	}
	_, err = f.svc.Stage(ctx, f.who("district"), Upload{ProgramID: f.far, Filename: "f.csv",
		Content: []byte(header)})
	if !isInvalidOn(err, "program") {
		t.Errorf("stage into another district: %v", err)
	}
}

// BenchmarkRosterImport previews and commits a 10,000-row file into an
// empty program, and reports the seconds one import takes.
func BenchmarkRosterImport(b *testing.B) {
	f := newFixture(b)
	ctx, who := context.Background(), f.who("all")
	var sb strings.Builder
	sb.WriteString(header)
	for i := range 10_000 {
		fmt.Fprintf(&sb, "B-%05d,%d,9/1/2026,2030-06-%02d\n", i, 1+i%12, 1+i%28)
	}
	file := []byte(sb.String())

	var total float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		district := f.insert(`INSERT INTO school_district (name) VALUES (?) RETURNING id_school_district`,
			fmt.Sprintf("Bench %d", i))
		program := f.insert(`INSERT INTO program (id_school_district, name) VALUES (?, 'Bench')
			RETURNING id_program`, district)
		b.StartTimer()

		p, err := f.svc.Stage(ctx, who, Upload{ProgramID: program, Filename: "bench.csv", Content: file})
		if err != nil || len(p.New) != 10_000 {
			b.Fatalf("stage: %v", err)
		}
		res, err := f.svc.Commit(ctx, who, p.Import.ID)
		if err != nil || res.Added != 10_000 {
			b.Fatalf("commit: %+v, %v", res, err)
		}
	}
	total = b.Elapsed().Seconds()
	b.ReportMetric(total/float64(b.N), "s/import")
}

func TestStagingDropsStalePreviews(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.stage(f.first, header+"A,,,\n")
	f.insert(`UPDATE roster_import SET created_at = now() - interval '8 days'
		WHERE id_roster_import = ? RETURNING id_roster_import`, old.Import.ID)
	fresh := f.stage(f.first, header+"B,,,\n")
	if _, err := f.svc.Commit(context.Background(), f.who("district"), old.Import.ID); !errors.Is(err,
		problem.ErrNotFound) {
		t.Errorf("commit of a stale preview: %v, want not found", err)
	}
	if _, err := f.svc.Commit(context.Background(), f.who("district"), fresh.Import.ID); err != nil {
		t.Errorf("commit of a fresh preview: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM roster_import WHERE length(content) > 0`); n != 0 {
		t.Errorf("%d files kept after their commit or their time", n)
	}
}
