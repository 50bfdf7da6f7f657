package roster

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"goaltracker/app/access"
	"goaltracker/app/audit"
)

// batchSize is how many students one INSERT or UPDATE statement of an
// import carries: large enough that 10,000 rows take ten round trips, small
// enough that a statement stays well under a megabyte.
const batchSize = 1000

// Result is what a commit did. AlreadyCommitted is set when the import had
// been committed before; the counts are then the first commit's.
type Result struct {
	Import           *Import
	ProgramName      string
	Added            int
	Changed          int
	Unchanged        int
	AlreadyCommitted bool
}

// RefusedError is a commit refused because the file, checked again, has
// problems. Nothing was written; Preview lists them.
type RefusedError struct {
	Preview *Preview
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("commit roster import %d: %d problems in the file", e.Preview.Import.ID,
		len(e.Preview.Errors))
}

// Commit writes staged import id: every row or none. It checks the file
// again against the roster as it is, under the district's roster lock so
// that no other add or import can take an identifier meanwhile, and
// refuses with a *RefusedError when any row has a problem. New students are
// added, changed ones updated, unchanged ones left alone, and one audit
// event records the counts. Committing an import a second time changes
// nothing and returns the first commit's counts. An import outside who's
// reach is an error wrapping problem.ErrNotFound.
func (s *Service) Commit(ctx context.Context, who *access.Principal, id int64) (*Result, error) {
	imp, err := s.loadImport(ctx, s.db, who, id, false)
	if err != nil {
		return nil, err
	}
	prog, err := s.program(ctx, who, imp.ProgramID)
	if err != nil {
		return nil, err
	}

	res := &Result{ProgramName: prog.Name}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The lock comes before the import's row is read again, so a
		// second commit of the same import waits for the first and then
		// sees it committed.
		if err := lockDistrict(ctx, tx, imp.DistrictID); err != nil {
			return err
		}
		if imp, err = s.loadImport(ctx, tx, who, id, true); err != nil {
			return err
		}
		res.Import = imp
		if imp.IsCommitted() {
			res.AlreadyCommitted = true
			res.Added, res.Changed, res.Unchanged = imp.Added, imp.Changed, imp.Unchanged
			return nil
		}
		return commit(ctx, tx, who, imp, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func commit(ctx context.Context, tx bun.Tx, who *access.Principal, imp *Import, res *Result) error {
	p, err := check(ctx, tx, imp, res.ProgramName)
	if err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return &RefusedError{Preview: p}
	}
	if err := insertStudents(ctx, tx, imp.ProgramID, p.New); err != nil {
		return err
	}
	if err := updateStudents(ctx, tx, p.Changed); err != nil {
		return err
	}

	res.Added, res.Changed, res.Unchanged = len(p.New), len(p.Changed), len(p.Unchanged)
	_, err = tx.NewUpdate().Model(imp).
		Set("committed_at = now(), added_count = ?, changed_count = ?, unchanged_count = ?",
			res.Added, res.Changed, res.Unchanged).
		// A committed file is not needed again: a second commit only
		// reports the counts. Its rows are the students now.
		Set("content = ''::bytea").
		WherePK().Returning("committed_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark roster import %d committed: %w", imp.ID, err)
	}
	imp.Added, imp.Changed, imp.Unchanged = res.Added, res.Changed, res.Unchanged
	return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionRosterImport,
		UserID: who.UserID, ActorEmail: who.Email, DistrictID: imp.DistrictID,
		RecordType: "roster_import", RecordID: imp.ID,
		Details: map[string]any{"id_program": imp.ProgramID, "filename": imp.Filename,
			"added": res.Added, "changed": res.Changed, "unchanged": res.Unchanged}})
}

// insertStudents adds items to program, batchSize rows a statement. The
// rows travel as arrays, one per column, that unnest turns back into rows.
func insertStudents(ctx context.Context, tx bun.Tx, programID int64, items []Item) error {
	for start := 0; start < len(items); start += batchSize {
		cols := columnsOf(items[start:min(start+batchSize, len(items))])
		_, err := tx.NewRaw(`INSERT INTO student (id_program, identifier, program_year,
				enrollment_date, expected_grad)
			SELECT ?, v.identifier, NULLIF(v.program_year, '')::integer,
				NULLIF(v.enrollment_date, '')::date, NULLIF(v.expected_grad, '')::date
			FROM unnest(?::text[], ?::text[], ?::text[], ?::text[])
				AS v (identifier, program_year, enrollment_date, expected_grad)`,
			programID, pgArray(cols.identifiers), pgArray(cols.years), pgArray(cols.enrolled),
			pgArray(cols.grads)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("add students %d to %d of an import: %w", start+1, start+len(cols.ids), err)
		}
	}
	return nil
}

// updateStudents writes the new values of changed items, batchSize rows a
// statement.
func updateStudents(ctx context.Context, tx bun.Tx, items []Item) error {
	for start := 0; start < len(items); start += batchSize {
		cols := columnsOf(items[start:min(start+batchSize, len(items))])
		_, err := tx.NewRaw(`UPDATE student AS st SET identifier = v.identifier,
				program_year = NULLIF(v.program_year, '')::integer,
				enrollment_date = NULLIF(v.enrollment_date, '')::date,
				expected_grad = NULLIF(v.expected_grad, '')::date, updated_at = now()
			FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
				AS v (id_student, identifier, program_year, enrollment_date, expected_grad)
			WHERE st.id_student = v.id_student`,
			pgArray(cols.ids), pgArray(cols.identifiers), pgArray(cols.years), pgArray(cols.enrolled),
			pgArray(cols.grads)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update students %d to %d of an import: %w", start+1, start+len(cols.ids), err)
		}
	}
	return nil
}

// columns are a batch of items, column by column, as text ("" for none).
type columns struct {
	ids                                 []int64
	identifiers, years, enrolled, grads []string
}

func columnsOf(items []Item) columns {
	var c columns
	for _, it := range items {
		c.ids = append(c.ids, it.studentID)
		c.identifiers = append(c.identifiers, it.values.Identifier)
		c.years = append(c.years, yearText(it.values.ProgramYear))
		c.enrolled = append(c.enrolled, dayText(it.values.EnrollmentDate))
		c.grads = append(c.grads, dayText(it.values.ExpectedGrad))
	}
	return c
}

func pgArray(v any) any { return pgdialect.Array(v) }

// IsRefused returns the preview of a refused commit, if err is one.
func IsRefused(err error) (*Preview, bool) {
	var r *RefusedError
	if errors.As(err, &r) {
		return r.Preview, true
	}
	return nil, false
}
