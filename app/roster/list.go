package roster

import (
	"context"
	"fmt"
	"strings"

	"goaltracker/app/access"
)

// PageSize is how many students one page of the roster shows.
const PageSize = 25

// ListParams filter and page the roster of one district. Query matches
// anywhere in the identifier, ignoring case; ProgramID zero means every
// program the person manages; Page counts from 1.
type ListParams struct {
	DistrictID int64
	Query      string
	ProgramID  int64
	Page       int
}

// Page is one page of the roster and the total it is part of.
type Page struct {
	Rows  []Student
	Total int
	Page  int
	Pages int
}

// List returns one page of the students of p.DistrictID whose roster who
// manages, ordered by identifier. The programs are filtered in the query,
// so no other student is read. A district or program outside who's reach
// gives an empty page, as does a page past the end.
func (s *Service) List(ctx context.Context, who *access.Principal, p ListParams) (Page, error) {
	page := Page{Page: max(p.Page, 1), Pages: 1}
	programs, err := s.Programs(ctx, who, p.DistrictID)
	if err != nil {
		return page, err
	}
	var ids []int64
	for _, prog := range programs {
		if p.ProgramID == 0 || p.ProgramID == prog.ID {
			ids = append(ids, prog.ID)
		}
	}
	if len(ids) == 0 {
		return page, nil
	}

	q := studentQuery(s.db).Where("st.id_program IN (?)", bunList(ids))
	if p.Query != "" {
		q = q.Where("st.identifier ILIKE ?", "%"+escapeLike(p.Query)+"%")
	}
	q = q.OrderExpr("lower(st.identifier), st.id_student").
		Limit(PageSize).Offset(int64((page.Page - 1) * PageSize))
	total, err := q.ScanAndCount(ctx, &page.Rows)
	if err != nil {
		return page, fmt.Errorf("list roster of district %d: %w", p.DistrictID, err)
	}
	page.Total = int(total)
	page.Pages = max(1, (page.Total+PageSize-1)/PageSize)
	return page, nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
