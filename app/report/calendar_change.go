package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
)

// Years a calendar may be kept for.
const (
	minCalendarYear = 2000
	maxCalendarYear = 2100
)

// PeriodInput is a period as a person typed it: dates as yyyy-mm-dd.
type PeriodInput struct {
	Year     int
	Code     string
	StartsOn string
	EndsOn   string
}

// AddDefaultCalendar writes DefaultCalendar's periods of the school year
// starting in year for district, skipping any period code the year already
// has. It is how a new district gets its first calendar.
func AddDefaultCalendar(ctx context.Context, db bun.IDB, districtID int64, year int, startMonth time.Month) error {
	periods := DefaultCalendar(districtID, year, startMonth)
	_, err := db.NewInsert().Model(&periods).
		On("CONFLICT (id_school_district, year, period) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("add the default calendar of %d for district %d: %w", year, districtID, err)
	}
	return nil
}

// SchoolYearBounds returns the first and last day a period of the school
// year starting in year may cover: July 1 of year to August 31 of the next
// year. The window is wider than any school year, so that summer sessions
// and early starts fit, but a period can never stray into the year before
// or after.
func SchoolYearBounds(year int) (first, last time.Time) {
	return time.Date(year, time.July, 1, 0, 0, 0, 0, time.UTC),
		time.Date(year+1, time.August, 31, 0, 0, 0, 0, time.UTC)
}

// PeriodIn returns period id for who to manage. A period of a district
// outside who's calendar.manage scope, or none at all, is an error
// wrapping problem.ErrNotFound.
func (s *Service) PeriodIn(ctx context.Context, who *access.Principal, id int64) (*Period, error) {
	p := new(Period)
	err := s.db.NewSelect().Model(p).Where("id_reporting_period = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !who.CanScope("calendar", "manage", p.DistrictID, 0)) {
		return nil, fmt.Errorf("reporting period %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load reporting period %d: %w", id, err)
	}
	return p, nil
}

// AddPeriod adds a period to district's calendar. Bad input, an
// overlapping period or a code the year already has is a *problem.Invalid.
func (s *Service) AddPeriod(ctx context.Context, who *access.Principal, a audit.Actor,
	districtID int64, in PeriodInput) (*Period, error) {
	if !who.CanScope("calendar", "manage", districtID, 0) {
		return nil, fmt.Errorf("calendar of district %d: %w", districtID, problem.ErrNotFound)
	}
	p := &Period{DistrictID: districtID}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := validatePeriod(ctx, tx, p, in); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return periodWriteError(err, p)
		}
		return recordCalendar(ctx, tx, a, p, "added")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdatePeriod sets the dates of period id, under the rules of AddPeriod.
func (s *Service) UpdatePeriod(ctx context.Context, who *access.Principal, a audit.Actor,
	id int64, startsOn, endsOn string) (*Period, error) {
	p, err := s.PeriodIn(ctx, who, id)
	if err != nil {
		return nil, err
	}
	in := PeriodInput{Year: p.Year, Code: p.Code, StartsOn: startsOn, EndsOn: endsOn}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := validatePeriod(ctx, tx, p, in); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model(p).Column("starts_on", "ends_on").WherePK().Exec(ctx)
		if err != nil {
			return periodWriteError(err, p)
		}
		return recordCalendar(ctx, tx, a, p, "updated")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// DeletePeriod removes period id. A period with final progress reports
// in its district is kept, with a *problem.Invalid saying why: those
// reports name it.
func (s *Service) DeletePeriod(ctx context.Context, who *access.Principal, a audit.Actor, id int64) error {
	p, err := s.PeriodIn(ctx, who, id)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		final, err := tx.NewSelect().TableExpr("progress_report AS pr").
			Join("JOIN student AS st ON st.id_student = pr.id_student").
			Join("JOIN program AS pg ON pg.id_program = st.id_program").
			Where("pg.id_school_district = ? AND pr.year = ? AND pr.period = ? AND pr.status = 'final'",
				p.DistrictID, p.Year, p.Code).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look for final reports of %s %d: %w", p.Code, p.Year, err)
		}
		if final {
			inv := problem.NewInvalid()
			inv.Form = fmt.Sprintf("%s %s has final progress reports, so it stays in the calendar.",
				p.Code, SchoolYearLabel(p.Year))
			return inv
		}
		if _, err := tx.NewDelete().Model(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete reporting period %d: %w", p.ID, err)
		}
		return recordCalendar(ctx, tx, a, p, "deleted")
	})
}

// AddDefaultYear gives district the default calendar of the school year
// starting in year, when that year has no period yet; otherwise it is a
// *problem.Invalid.
func (s *Service) AddDefaultYear(ctx context.Context, who *access.Principal, a audit.Actor,
	districtID int64, year int, startMonth time.Month) error {
	if !who.CanScope("calendar", "manage", districtID, 0) {
		return fmt.Errorf("calendar of district %d: %w", districtID, problem.ErrNotFound)
	}
	if year < minCalendarYear || year > maxCalendarYear {
		inv := problem.NewInvalid()
		inv.Add("year", fmt.Sprintf("Enter a year from %d to %d.", minCalendarYear, maxCalendarYear))
		return inv
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		has, err := tx.NewSelect().Model((*Period)(nil)).
			Where("id_school_district = ? AND year = ?", districtID, year).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look for the calendar of %d: %w", year, err)
		}
		if has {
			inv := problem.NewInvalid()
			inv.Add("year", SchoolYearLabel(year)+" already has periods; add or edit them one by one.")
			return inv
		}
		if err := AddDefaultCalendar(ctx, tx, districtID, year, startMonth); err != nil {
			return err
		}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionCalendarChanged, districtID,
			"school_district", districtID, map[string]any{"change": "default_year", "year": year}))
	})
}

// SchoolYearLabel names the school year starting in year: 2026-27.
func SchoolYearLabel(year int) string { return fmt.Sprintf("%d-%02d", year, (year+1)%100) }

func recordCalendar(ctx context.Context, tx bun.Tx, a audit.Actor, p *Period, change string) error {
	return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionCalendarChanged, p.DistrictID,
		"reporting_period", p.ID, map[string]any{"change": change, "year": p.Year, "period": p.Code,
			"starts_on": p.StartsOn.Format(time.DateOnly), "ends_on": p.EndsOn.Format(time.DateOnly)}))
}

// periodWriteError turns the calendar's unique key into a message; the
// check before the write misses only a concurrent insert.
func periodWriteError(err error, p *Period) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		inv := problem.NewInvalid()
		inv.Add("code", fmt.Sprintf("%s already has %s.", SchoolYearLabel(p.Year), p.Code))
		return inv
	}
	return fmt.Errorf("save reporting period %s %d: %w", p.Code, p.Year, err)
}

// validatePeriod checks in and copies it into p: a known code, real dates
// inside the school year, starts not after ends, and no overlap with
// another period of the same kind (quarters with quarters, semesters with
// semesters) nor a second period of the same code in the year.
func validatePeriod(ctx context.Context, tx bun.Tx, p *Period, in PeriodInput) error {
	inv := problem.NewInvalid()
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if !IsPeriodCode(code) {
		inv.Add("code", "Choose Q1, Q2, Q3, Q4, S1 or S2.")
	}
	if in.Year < minCalendarYear || in.Year > maxCalendarYear {
		inv.Add("year", fmt.Sprintf("Enter a year from %d to %d.", minCalendarYear, maxCalendarYear))
	}
	starts, serr := time.Parse(time.DateOnly, strings.TrimSpace(in.StartsOn))
	if serr != nil {
		inv.Add("starts_on", "Enter the first day as a date (yyyy-mm-dd).")
	}
	ends, eerr := time.Parse(time.DateOnly, strings.TrimSpace(in.EndsOn))
	if eerr != nil {
		inv.Add("ends_on", "Enter the last day as a date (yyyy-mm-dd).")
	}
	if err := inv.Err(); err != nil {
		return err
	}

	checkDates(inv, in.Year, starts, ends)
	if err := inv.Err(); err != nil {
		return err
	}
	p.Year, p.Code, p.StartsOn, p.EndsOn = in.Year, code, starts, ends
	return checkNeighbours(ctx, tx, p)
}

func checkDates(inv *problem.Invalid, year int, starts, ends time.Time) {
	if starts.After(ends) {
		inv.Add("ends_on", "The last day cannot come before the first.")
	}
	first, last := SchoolYearBounds(year)
	outside := fmt.Sprintf("Keep the dates of %s between %s and %s.", SchoolYearLabel(year),
		first.Format("Jan 2, 2006"), last.Format("Jan 2, 2006"))
	if starts.Before(first) || starts.After(last) {
		inv.Add("starts_on", outside)
	}
	if ends.Before(first) || ends.After(last) {
		inv.Add("ends_on", outside)
	}
}

// checkNeighbours compares p with the other periods of its year.
func checkNeighbours(ctx context.Context, tx bun.Tx, p *Period) error {
	var others []Period
	err := tx.NewSelect().Model(&others).
		Where("id_school_district = ? AND year = ? AND id_reporting_period <> ?", p.DistrictID, p.Year, p.ID).
		OrderExpr("starts_on").Scan(ctx)
	if err != nil {
		return fmt.Errorf("load the calendar of %d: %w", p.Year, err)
	}
	inv := problem.NewInvalid()
	for _, o := range others {
		if o.Code == p.Code {
			inv.Add("code", fmt.Sprintf("%s already has %s.", SchoolYearLabel(p.Year), p.Code))
			continue
		}
		sameKind := o.Code[0] == p.Code[0]
		if sameKind && !o.StartsOn.After(p.EndsOn) && !p.StartsOn.After(o.EndsOn) {
			inv.Add("starts_on", fmt.Sprintf("These dates overlap %s (%s to %s).", o.Code,
				o.StartsOn.Format("Jan 2, 2006"), o.EndsOn.Format("Jan 2, 2006")))
		}
	}
	return inv.Err()
}
