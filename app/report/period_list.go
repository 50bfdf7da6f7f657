package report

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Service reads the reporting calendar and the period reports.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Periods returns the reporting periods of a district in calendar order,
// quarters before the semesters that start on the same day. A district
// without a calendar gives an empty slice.
func (s *Service) Periods(ctx context.Context, districtID int64) ([]Period, error) {
	var ps []Period
	err := s.db.NewSelect().Model(&ps).Where("id_school_district = ?", districtID).
		OrderExpr("starts_on, period").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list reporting periods of district %d: %w", districtID, err)
	}
	return ps, nil
}

// Current returns the quarter of district's calendar that contains day, or
// false when the calendar has none (a holiday, or no calendar at all).
func (s *Service) Current(ctx context.Context, districtID int64, day time.Time) (Period, bool, error) {
	var ps []Period
	err := s.db.NewSelect().Model(&ps).
		Where("id_school_district = ? AND period LIKE 'Q%' AND ? BETWEEN starts_on AND ends_on",
			districtID, day.Format(time.DateOnly)).
		Limit(1).Scan(ctx)
	if err != nil {
		return Period{}, false, fmt.Errorf("find current period of district %d: %w", districtID, err)
	}
	if len(ps) == 0 {
		return Period{}, false, nil
	}
	return ps[0], true, nil
}

// Due returns the periods the nightly round compiles on day: every period
// of every district that contains day (drafts stay fresh), and every
// period that ended the day before (the final compile). Districts without
// a calendar for the day give none.
func (s *Service) Due(ctx context.Context, day time.Time) ([]Period, error) {
	var ps []Period
	d := day.Format(time.DateOnly)
	err := s.db.NewSelect().Model(&ps).
		Where("? BETWEEN starts_on AND ends_on OR ends_on = ?::date - 1", d, d).
		OrderExpr("id_school_district, starts_on, period").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("find periods due on %s: %w", d, err)
	}
	return ps, nil
}
