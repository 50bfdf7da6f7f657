package audit

import (
	"context"
	"testing"
	"time"

	"goaltracker/app/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestEscapeLike(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"a%b": `a\%b`, "a_b": `a\_b`, `a\b`: `a\\b`, "plain": "plain"} {
		if got := escapeLike(in); got != want {
			t.Errorf("escapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReaderPagesAndFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	if _, err := d.ExecContext(ctx, `INSERT INTO school_district (name) VALUES ('A'), ('B')`); err != nil {
		t.Fatalf("districts: %v", err)
	}
	log := NewLog(d)
	for i := range 7 {
		district := int64(1 + i%2)
		e := Actor{Email: "p" + string(rune('a'+i)) + "_x@x.example"}.Event(ActionSignIn, district, "user", int64(i), nil)
		e.OccurredAt = time.Date(2026, time.November, 1+i, 9, 0, 0, 0, time.UTC)
		if err := log.Record(ctx, e); err != nil {
			t.Fatalf("record: %v", err)
		}
	}
	r := NewReader(d)

	page, more, err := r.Page(ctx, Filter{}, 3)
	if err != nil || !more || len(page) != 3 || page[0].RecordID != 6 {
		t.Fatalf("first page: %v %v %+v", err, more, page)
	}
	var all []int64
	if err := r.Each(ctx, Filter{DistrictID: 1}, func(row Row) error {
		all = append(all, row.RecordID)
		return nil
	}); err != nil {
		t.Fatalf("each: %v", err)
	}
	if len(all) != 4 || all[0] != 6 || all[3] != 0 {
		t.Errorf("district 1's events: %v", all)
	}

	day := func(d int) time.Time { return time.Date(2026, time.November, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		f    Filter
		want int
	}{
		{"email with a literal underscore", Filter{Email: "C_X"}, 1},
		{"a wildcard matches itself only", Filter{Email: "%"}, 0},
		{"both days included", Filter{From: day(2), To: day(3)}, 2},
		{"record", Filter{RecordType: "user", RecordID: 4}, 1},
		{"older than", Filter{BeforeID: 3}, 2},
	} {
		rows, _, err := r.Page(ctx, tc.f, 50)
		if err != nil || len(rows) != tc.want {
			t.Errorf("%s: %d rows (%v), want %d", tc.name, len(rows), err, tc.want)
		}
	}
}
