package student

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
)

// PageSize is how many students one page of the list shows.
const PageSize = 25

// Service reads and changes students.
type Service struct {
	db bun.IDB
}

// NewService returns a Service on db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// ListParams filter and page the student list. Query matches anywhere in
// the identifier, ignoring case; ProgramID zero means every program; Page
// counts from 1.
type ListParams struct {
	Query     string
	ProgramID int64
	Page      int
	// Mine keeps the students the person is assigned to.
	Mine bool
	// QuietSince keeps students with no entry on or after this day.
	QuietSince time.Time
	// PeriodStart and PeriodEnd bound the reporting period whose entries
	// are counted; zero counts none.
	PeriodStart time.Time
	PeriodEnd   time.Time
	// PeriodCode and PeriodYear name that period, for its report state.
	PeriodCode string
	PeriodYear int
}

// Row is one line of the student list.
type Row struct {
	ID           int64     `bun:"id_student"`
	Identifier   string    `bun:"identifier"`
	ProgramID    int64     `bun:"id_program"`
	ProgramName  string    `bun:"program_name"`
	ProgramYear  int       `bun:"program_year"`
	ActiveGoals  int       `bun:"active_goals"`
	PeriodCount  int       `bun:"period_entries"`
	ReportsTotal int       `bun:"reports_total"`
	ReportsFinal int       `bun:"reports_final"`
	LastEntryOn  time.Time `bun:"last_entry_on"`
	ExpectedGrad time.Time `bun:"expected_grad"`
}

// ListPage is one page of the student list and the total it is part of.
type ListPage struct {
	Rows  []Row
	Total int
	Page  int
	Pages int
}

// List returns one page of the students who may read, ordered by
// identifier. A page past the end is empty, not an error.
func (s *Service) List(ctx context.Context, who *access.Principal, p ListParams) (ListPage, error) {
	if p.Page < 1 {
		p.Page = 1
	}
	page := ListPage{Page: p.Page}

	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = access.Filter(q, who, "student", "read", access.Students)
		if p.Query != "" {
			q = q.Where("st.identifier ILIKE ?", "%"+escapeLike(p.Query)+"%")
		}
		if p.ProgramID != 0 {
			q = q.Where("st.id_program = ?", p.ProgramID)
		}
		if p.Mine {
			q = q.Where(`EXISTS (SELECT 1 FROM user_student AS us_mine
				WHERE us_mine.id_student = st.id_student AND us_mine.id_user = ?)`, who.UserID)
		}
		if !p.QuietSince.IsZero() {
			q = q.Where(`NOT EXISTS (SELECT 1 FROM progress_event AS pe_quiet
				WHERE pe_quiet.id_student = st.id_student AND pe_quiet.occurred_on >= ?)`,
				p.QuietSince.Format(time.DateOnly))
		}
		return q
	}

	total, err := filter(s.db.NewSelect().TableExpr("student AS st")).Count(ctx)
	if err != nil {
		return page, fmt.Errorf("count students: %w", err)
	}
	page.Total = int(total)
	page.Pages = max(1, (page.Total+PageSize-1)/PageSize)

	// The goal count and last entry come from correlated subqueries so that
	// only the students on this page pay for them; both use the
	// (id_student, ...) indexes.
	q := s.db.NewSelect().
		TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, st.id_program, st.program_year, st.expected_grad").
		ColumnExpr("p.name AS program_name").
		ColumnExpr(`(SELECT count(*) FROM goal AS g
			WHERE g.id_student = st.id_student AND g.status = 'active') AS active_goals`).
		ColumnExpr(`(SELECT max(pe.occurred_on) FROM progress_event AS pe
			WHERE pe.id_student = st.id_student) AS last_entry_on`).
		ColumnExpr(`(SELECT count(*) FROM progress_event AS pe WHERE pe.id_student = st.id_student
			AND pe.occurred_on BETWEEN ? AND ?) AS period_entries`, dateArg(p.PeriodStart), dateArg(p.PeriodEnd)).
		ColumnExpr(`(SELECT count(*) FROM progress_report AS pr WHERE pr.id_student = st.id_student
			AND pr.period = ? AND pr.year = ?) AS reports_total`, p.PeriodCode, p.PeriodYear).
		ColumnExpr(`(SELECT count(*) FROM progress_report AS pr WHERE pr.id_student = st.id_student
			AND pr.period = ? AND pr.year = ? AND pr.status = 'final') AS reports_final`, p.PeriodCode, p.PeriodYear).
		OrderExpr("st.identifier, st.id_student").
		Limit(PageSize).
		Offset(int64((p.Page - 1) * PageSize))
	if err := filter(q).Scan(ctx, &page.Rows); err != nil {
		return page, fmt.Errorf("list students: %w", err)
	}
	return page, nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// VisiblePrograms returns the programs that hold at least one student who
// may read, ordered by name: the choices of the list's program filter.
func (s *Service) VisiblePrograms(ctx context.Context, who *access.Principal) ([]ProgramRef, error) {
	var programs []ProgramRef
	q := s.db.NewSelect().
		TableExpr("program AS p").
		ColumnExpr("p.id_program, p.name").
		Where(`EXISTS (?)`, access.Filter(s.db.NewSelect().TableExpr("student AS st").ColumnExpr("1").
			Where("st.id_program = p.id_program"), who, "student", "read", access.Students)).
		OrderExpr("p.name, p.id_program")
	if err := q.Scan(ctx, &programs); err != nil {
		return nil, fmt.Errorf("list programs of visible students: %w", err)
	}
	return programs, nil
}

// ProgramRef names a program.
type ProgramRef struct {
	ID   int64  `bun:"id_program"`
	Name string `bun:"name"`
}

// dateArg is a date column's value for t; the zero time matches no row.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}
