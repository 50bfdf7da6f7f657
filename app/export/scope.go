package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/problem"
	"goaltracker/app/report"
)

// scopeInfo is a checked scope with the names and dates a workbook shows.
type scopeInfo struct {
	Scope
	DistrictName string
	ProgramName  string
	StartsOn     time.Time
	EndsOn       time.Time
}

// name is what the workbook is named after: the program, or the district.
func (i scopeInfo) name() string {
	if i.ProgramID != 0 {
		return i.ProgramName
	}
	return i.DistrictName
}

// validate checks the form of scope; a malformed one is a *problem.Invalid
// naming the fields district, year and period.
func validate(scope Scope) error {
	v := problem.NewInvalid()
	if scope.DistrictID <= 0 && scope.ProgramID <= 0 {
		v.Add("district", "Choose a district or a program.")
	}
	if scope.DistrictID < 0 || scope.ProgramID < 0 {
		v.Add("district", "Choose an existing district or program.")
	}
	if scope.Year < 2000 || scope.Year > 2200 {
		v.Add("year", "Give the year the school year starts in, such as 2026.")
	}
	if !report.IsPeriodCode(scope.Period) {
		v.Add("period", "Choose a period: Q1 to Q4, S1 or S2.")
	}
	return v.Err()
}

// resolve checks scope against the database and returns it with its names
// and the period's dates. A program scope without a district gets the
// program's. A district, program or period that does not exist, or a
// program of another district, is an error wrapping problem.ErrNotFound.
func resolve(ctx context.Context, db bun.IDB, scope Scope) (scopeInfo, error) {
	if err := validate(scope); err != nil {
		return scopeInfo{}, err
	}
	info := scopeInfo{Scope: scope}
	if scope.ProgramID != 0 {
		var district int64
		err := db.QueryRowContext(ctx, `SELECT id_school_district, coalesce(name, '') FROM program
			WHERE id_program = ?`, scope.ProgramID).Scan(&district, &info.ProgramName)
		if err := notFound(err, "program %d", scope.ProgramID); err != nil {
			return info, err
		}
		if scope.DistrictID != 0 && scope.DistrictID != district {
			return info, fmt.Errorf("program %d in district %d: %w", scope.ProgramID, scope.DistrictID,
				problem.ErrNotFound)
		}
		info.DistrictID = district
	}

	err := db.QueryRowContext(ctx, `SELECT coalesce(name, '') FROM school_district
		WHERE id_school_district = ?`, info.DistrictID).Scan(&info.DistrictName)
	if err := notFound(err, "district %d", info.DistrictID); err != nil {
		return info, err
	}
	err = db.QueryRowContext(ctx, `SELECT starts_on, ends_on FROM reporting_period
		WHERE id_school_district = ? AND year = ? AND period = ?`,
		info.DistrictID, scope.Year, scope.Period).Scan(&info.StartsOn, &info.EndsOn)
	return info, notFound(err, "period %s %d of district %d", scope.Period, scope.Year, info.DistrictID)
}

// notFound wraps err of loading what format and args name: no rows
// becomes problem.ErrNotFound.
func notFound(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("load %s: %w", what, problem.ErrNotFound)
	}
	return fmt.Errorf("load %s: %w", what, err)
}

// periodLabel names a period for people: "Q2 2026-27".
func periodLabel(period string, year int) string {
	return fmt.Sprintf("%s %d-%02d", period, year, (year+1)%100)
}
