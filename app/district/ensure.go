package district

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// EnsureDistrict returns the district named name (compared without regard
// to case), creating it, with the default calendar of cal, when there is
// none.
func (s *Service) EnsureDistrict(ctx context.Context, name string, cal Calendar) (*District, error) {
	name = strings.TrimSpace(name)
	d := new(District)
	err := s.db.NewSelect().Model(d).Where("lower(sd.name) = lower(?)", name).
		OrderExpr("sd.id_school_district").Limit(1).Scan(ctx)
	if err == nil {
		return d, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("look up district %q: %w", name, err)
	}
	d = &District{Name: name}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return insertDistrict(ctx, tx, d, cal)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// OnlyDistrict returns the installation's district when there is exactly
// one, for commands that may leave the district unnamed.
func (s *Service) OnlyDistrict(ctx context.Context) (*District, error) {
	var ds []*District
	if err := s.db.NewSelect().Model(&ds).Limit(2).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list districts: %w", err)
	}
	if len(ds) != 1 {
		return nil, fmt.Errorf("there are %d districts: name one", len(ds))
	}
	return ds[0], nil
}

// EnsureProgram returns the program of district named name, creating it
// when there is none.
func (s *Service) EnsureProgram(ctx context.Context, districtID int64, name string) (*Program, error) {
	name = strings.TrimSpace(name)
	p := new(Program)
	err := s.db.NewSelect().Model(p).
		Where("p.id_school_district = ? AND lower(p.name) = lower(?)", districtID, name).
		OrderExpr("p.id_program").Limit(1).Scan(ctx)
	if err == nil {
		return p, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("look up program %q: %w", name, err)
	}
	p = &Program{DistrictID: districtID, Name: name}
	if _, err := s.db.NewInsert().Model(p).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create program %q: %w", name, err)
	}
	return p, nil
}
