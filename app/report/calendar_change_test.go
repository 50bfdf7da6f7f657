package report

import (
	"context"
	"errors"
	"testing"
	"time"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/problem"
)

func TestCalendarChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	if _, err := d.ExecContext(ctx, `INSERT INTO school_district (name) VALUES ('A'), ('B')`); err != nil {
		t.Fatalf("districts: %v", err)
	}
	s := NewService(d)
	admin := access.NewPrincipal(access.Principal{DistrictID: 1}, []string{"calendar.manage.district"})

	if err := s.AddDefaultYear(ctx, admin, audit.Actor{}, 1, 2026, time.August); err != nil {
		t.Fatalf("default year: %v", err)
	}
	if err := s.AddDefaultYear(ctx, admin, audit.Actor{}, 1, 2026, time.August); err == nil {
		t.Error("a second default calendar of 2026 was accepted")
	}
	if err := s.AddDefaultYear(ctx, admin, audit.Actor{}, 2, 2026, time.August); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("another district's calendar: %v, want not found", err)
	}
	periods, _ := s.Periods(ctx, 1)
	if len(periods) != 6 {
		t.Fatalf("%d periods, want 6", len(periods))
	}

	for _, tc := range []struct {
		in    PeriodInput
		field string
	}{
		{PeriodInput{Year: 2027, Code: "Q1", StartsOn: "2027-06-30", EndsOn: "2027-09-01"}, "starts_on"},
		{PeriodInput{Year: 2027, Code: "Q1", StartsOn: "2027-07-01", EndsOn: "2028-09-01"}, "ends_on"},
		{PeriodInput{Year: 2026, Code: "Q2", StartsOn: "2027-07-01", EndsOn: "2027-08-01"}, "code"},
		{PeriodInput{Year: 1999, Code: "Q1", StartsOn: "1999-09-01", EndsOn: "1999-10-01"}, "year"},
	} {
		_, err := s.AddPeriod(ctx, admin, audit.Actor{}, 1, tc.in)
		if inv, ok := problem.AsInvalid(err); !ok || !inv.Has(tc.field) {
			t.Errorf("%+v: %v, want a message for %s", tc.in, err, tc.field)
		}
	}
	// The window's edges are inside.
	p, err := s.AddPeriod(ctx, admin, audit.Actor{}, 1, PeriodInput{Year: 2027, Code: "Q1",
		StartsOn: "2027-07-01", EndsOn: "2028-08-31"})
	if err != nil {
		t.Fatalf("a period filling the window: %v", err)
	}
	if _, err := s.UpdatePeriod(ctx, admin, audit.Actor{}, p.ID, "2027-08-01", "2027-10-01"); err != nil {
		t.Errorf("update: %v", err)
	}
	if err := s.DeletePeriod(ctx, admin, audit.Actor{}, p.ID); err != nil {
		t.Errorf("delete: %v", err)
	}
	if _, err := s.PeriodIn(ctx, admin, p.ID); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("deleted period: %v, want not found", err)
	}
}

func TestPeriodWriteErrorKeepsOtherFailures(t *testing.T) {
	t.Parallel()
	err := periodWriteError(errors.New("disk full"), &Period{Code: "Q1", Year: 2026})
	if _, ok := problem.AsInvalid(err); ok {
		t.Errorf("a plain failure became a message: %v", err)
	}
}
