package roster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// bunList is ids for an IN (?) placeholder.
func bunList(ids []int64) any { return bun.List(ids) }

// Create adds a student to in.ProgramID. It returns a *problem.Invalid for
// values that do not fit, a program who may not manage, or an identifier
// another student of the district already has (compared without regard to
// case). The addition is audited in the same transaction.
func (s *Service) Create(ctx context.Context, who *access.Principal, in Input) (*Student, error) {
	v, inv := in.check()
	prog, err := s.program(ctx, who, in.ProgramID)
	if errors.Is(err, problem.ErrNotFound) {
		inv.Add("program", "Choose a program from the list.")
	} else if err != nil {
		return nil, err
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}

	var id int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := claimIdentifier(ctx, tx, prog.DistrictID, v.Identifier, 0); err != nil {
			return err
		}
		err := tx.NewRaw(`INSERT INTO student (id_program, identifier, program_year, enrollment_date,
			expected_grad) VALUES (?, ?, ?, ?, ?) RETURNING id_student`, prog.ID, v.Identifier,
			nullInt(v.ProgramYear), nullDay(v.EnrollmentDate), nullDay(v.ExpectedGrad)).Scan(ctx, &id)
		if err != nil {
			return fmt.Errorf("add student %q: %w", v.Identifier, err)
		}
		return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionStudentCreated,
			UserID: who.UserID, ActorEmail: who.Email, DistrictID: prog.DistrictID,
			RecordType: "student", RecordID: id, StudentID: id,
			Details: map[string]any{"identifier": v.Identifier, "id_program": prog.ID}})
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, s.db, id)
}

// Update sets the identifier, program year and dates of student id (its
// program stays; see Move). It returns an error wrapping
// problem.ErrNotFound for a student outside who's reach, a
// *problem.Invalid for values that do not fit, and an error wrapping
// problem.ErrConflict when the student changed since version. A save that
// changes nothing writes nothing.
func (s *Service) Update(ctx context.Context, who *access.Principal, id int64, in Input,
	version time.Time) (*Student, error) {
	cur, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, err
	}
	v, inv := in.check()
	if err := inv.Err(); err != nil {
		return nil, err
	}

	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := claimIdentifier(ctx, tx, cur.DistrictID, v.Identifier, id); err != nil {
			return err
		}
		var before []Student
		err := studentQuery(tx).Where("st.id_student = ? AND st.updated_at = ?", id, version).
			For("UPDATE OF st").Scan(ctx, &before)
		if err != nil {
			return fmt.Errorf("lock student %d: %w", id, err)
		}
		if len(before) == 0 {
			return fmt.Errorf("update student %d: %w", id, problem.ErrConflict)
		}
		changes := diff(before[0], v)
		if len(changes) == 0 {
			return nil
		}
		return saveStudent(ctx, tx, who, &before[0], v, changes)
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, s.db, id)
}

func saveStudent(ctx context.Context, tx bun.Tx, who *access.Principal, st *Student, v values,
	changes []Change) error {
	_, err := tx.NewRaw(`UPDATE student SET identifier = ?, program_year = ?, enrollment_date = ?,
		expected_grad = ?, updated_at = now() WHERE id_student = ?`, v.Identifier, nullInt(v.ProgramYear),
		nullDay(v.EnrollmentDate), nullDay(v.ExpectedGrad), st.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update student %d: %w", st.ID, err)
	}
	details := map[string]any{"identifier": v.Identifier}
	for _, c := range changes {
		details[c.Field] = map[string]string{"from": c.From, "to": c.To}
	}
	return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionStudentUpdated,
		UserID: who.UserID, ActorEmail: who.Email, DistrictID: st.DistrictID,
		RecordType: "student", RecordID: st.ID, StudentID: st.ID, Details: details})
}

// Move puts student id in programID, another program of the same
// district. It needs roster.manage in the district or all scope: someone
// who manages only some programs gets an error wrapping
// problem.ErrForbidden. A student outside who's reach is an error
// wrapping problem.ErrNotFound; a program not of the student's district, or
// the one it is already in, a *problem.Invalid on "program".
func (s *Service) Move(ctx context.Context, who *access.Principal, id, programID int64) (*Student, error) {
	cur, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if !CanMove(who, cur.DistrictID) {
		return nil, fmt.Errorf("move student %d: %w", id, problem.ErrForbidden)
	}
	target, err := s.program(ctx, who, programID)
	if err != nil && !errors.Is(err, problem.ErrNotFound) {
		return nil, err
	}
	if err != nil || target.DistrictID != cur.DistrictID || target.ID == cur.ProgramID {
		inv := problem.NewInvalid()
		inv.Add("program", "Choose another program of the district.")
		return nil, inv
	}

	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`UPDATE student SET id_program = ?, updated_at = now()
			WHERE id_student = ?`, target.ID, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("move student %d to program %d: %w", id, target.ID, err)
		}
		return audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionStudentMoved,
			UserID: who.UserID, ActorEmail: who.Email, DistrictID: cur.DistrictID,
			RecordType: "student", RecordID: id, StudentID: id,
			Details: map[string]any{"identifier": cur.Identifier, "from_program": cur.ProgramID,
				"to_program": target.ID}})
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, s.db, id)
}

// claimIdentifier takes the district's roster lock for the rest of tx and
// returns a *problem.Invalid on "identifier" when a student of the
// district other than except already has identifier, ignoring case.
func claimIdentifier(ctx context.Context, tx bun.Tx, districtID int64, identifier string,
	except int64) error {
	if err := lockDistrict(ctx, tx, districtID); err != nil {
		return err
	}
	taken, err := tx.NewSelect().TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		Where("p.id_school_district = ? AND lower(st.identifier) = lower(?)", districtID, identifier).
		Where("st.id_student <> ?", except).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up identifier %q: %w", identifier, err)
	}
	if taken {
		inv := problem.NewInvalid()
		inv.Add("identifier", "Another student of the district already has the identifier "+identifier+".")
		return inv
	}
	return nil
}

// Change is one value of a student that an edit or an import changes,
// written as the roster shows it ("" for none).
type Change struct {
	Field string
	From  string
	To    string
}

// diff lists what setting v would change on st.
func diff(st Student, v values) []Change {
	var out []Change
	add := func(field, from, to string) {
		if from != to {
			out = append(out, Change{Field: field, From: from, To: to})
		}
	}
	add("identifier", st.Identifier, v.Identifier)
	add("program_year", yearText(st.ProgramYear), yearText(v.ProgramYear))
	add("enrollment_date", dayText(st.EnrollmentDate), dayText(v.EnrollmentDate))
	add("expected_grad", dayText(st.ExpectedGrad), dayText(v.ExpectedGrad))
	return out
}

func yearText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func nullInt(n int) sql.NullInt64 { return sql.NullInt64{Int64: int64(n), Valid: n != 0} }

func nullDay(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}
