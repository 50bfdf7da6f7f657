package district

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Service reads and changes districts and programs.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// ListPrograms returns every program ordered by name. It returns an empty
// slice, not an error, when there are none.
func (s *Service) ListPrograms(ctx context.Context) ([]*Program, error) {
	var programs []*Program
	err := s.db.NewSelect().Model(&programs).OrderExpr("p.name, p.id_program").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list programs: %w", err)
	}
	return programs, nil
}
