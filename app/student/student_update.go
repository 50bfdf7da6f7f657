package student

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Fields of the student record that can be edited in place.
var Fields = []string{"identifier", "program_year", "enrollment_date", "expected_grad"}

// IsField reports whether name is an editable field of the record.
func IsField(name string) bool {
	for _, f := range Fields {
		if f == name {
			return true
		}
	}
	return false
}

// Update sets one field of student id to value. It returns an error
// wrapping problem.ErrConflict when the record changed since version (a
// zero version skips the check), and a *problem.Invalid on field "value"
// for a value that does not fit.
func (s *Service) Update(ctx context.Context, who *access.Principal, id int64, field, value string,
	version time.Time) error {
	if err := access.NewChecker(s.db).Authorize(ctx, who, "update", access.StudentRecord(id)); err != nil {
		return err
	}
	q := s.db.NewUpdate().Table("student").Set("updated_at = now()").Where("id_student = ?", id)
	q, err := setStudentField(q, field, value)
	if err != nil {
		return err
	}
	if !version.IsZero() {
		q = q.Where("updated_at = ?", version)
	}

	var got int64
	err = q.Returning("id_student").Scan(ctx, &got)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("update student %d: %w", id, problem.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update student %d: %w", id, err)
	}
	return nil
}

func setStudentField(q *bun.UpdateQuery, field, value string) (*bun.UpdateQuery, error) {
	inv := problem.NewInvalid()
	value = strings.TrimSpace(value)
	switch field {
	case "identifier":
		switch {
		case !utf8.ValidString(value) || value == "":
			inv.Add("value", "Enter the student's identifier, such as a district id.")
		case utf8.RuneCountInString(value) > 50:
			inv.Add("value", "The identifier is at most 50 characters.")
		}
		q = q.Set("identifier = ?", value)
	case "program_year":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 12 {
			inv.Add("value", "The program year is a whole number from 1 to 12.")
		}
		q = q.Set("program_year = ?", n)
	case "enrollment_date", "expected_grad":
		d, err := time.Parse(time.DateOnly, value)
		if value != "" && (err != nil || d.Year() < 1990 || d.Year() > 2100) {
			inv.Add("value", "Enter a date, such as 2026-08-17.")
		}
		var v any
		if value != "" {
			v = value
		}
		q = q.Set("? = ?", bun.Ident(field), v)
	default:
		return nil, fmt.Errorf("update student field %q: %w", field, problem.ErrNotFound)
	}
	return q, inv.Err()
}
