package report

import (
	"context"
	"fmt"

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
