package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/report"
)

// The demo district's contact and programs. The first program is the
// transition program, the second learning support; memberships refer to
// them by that position.
const (
	districtEmail     = "district.office@demo.test"
	transitionProgram = "Transition Program"
	learningProgram   = "Learning Support"
)

var programs = []struct{ name, description string }{
	{transitionProgram, "Post-secondary program for students aged 18 to 21: job skills " +
		"at community work sites, independent living, travel training and self-advocacy."},
	{learningProgram, "Specialized reading, math and social-emotional instruction for " +
		"high school students with IEPs, in small groups and co-taught classes."},
}

// memberships lists each account's programs by position in programs; the
// first one listed is the account's primary program.
var memberships = map[string][]int{
	"admin@demo.test":     {0, 1},
	"leader@demo.test":    {0, 1},
	"progadmin@demo.test": {0},
	"teacher@demo.test":   {0},
	"teacher2@demo.test":  {1, 0},
	"para@demo.test":      {0},
}

// cast is the part of the demo district that students are attached to.
type cast struct {
	districtID           int64
	transition, learning int64 // program ids
	teacher, teacher2    int64 // user ids
	para                 int64
}

// insertStaff writes the district, its calendar, programs, accounts and
// their program memberships.
func insertStaff(ctx context.Context, tx pgx.Tx, c *clock, hash string) (cast, error) {
	var staff cast
	err := tx.QueryRow(ctx, `INSERT INTO school_district (name, contact_email) VALUES ($1, $2)
		RETURNING id_school_district`, DistrictName, districtEmail).Scan(&staff.districtID)
	if err != nil {
		return staff, fmt.Errorf("insert district: %w", err)
	}
	if err := insertCalendar(ctx, tx, staff.districtID, c.year); err != nil {
		return staff, err
	}

	programIDs, err := insertPrograms(ctx, tx, staff.districtID)
	if err != nil {
		return staff, err
	}
	userIDs, err := insertUsers(ctx, tx, staff.districtID, hash)
	if err != nil {
		return staff, err
	}
	if err := insertMemberships(ctx, tx, userIDs, programIDs); err != nil {
		return staff, err
	}

	staff.transition, staff.learning = programIDs[0], programIDs[1]
	staff.teacher, staff.teacher2 = userIDs["teacher@demo.test"], userIDs["teacher2@demo.test"]
	staff.para = userIDs["para@demo.test"]
	return staff, nil
}

// insertCalendar writes the default reporting periods of the school year
// starting in year and of the next one.
func insertCalendar(ctx context.Context, tx pgx.Tx, districtID int64, year int) error {
	periods := append(report.DefaultCalendar(districtID, year, schoolYearStart),
		report.DefaultCalendar(districtID, year+1, schoolYearStart)...)
	rows := pgx.CopyFromSlice(len(periods), func(i int) ([]any, error) {
		p := periods[i]
		return []any{p.DistrictID, p.Year, p.Code, p.StartsOn, p.EndsOn}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"reporting_period"},
		[]string{"id_school_district", "year", "period", "starts_on", "ends_on"}, rows)
	if err != nil {
		return fmt.Errorf("insert reporting periods: %w", err)
	}
	return nil
}

func insertPrograms(ctx context.Context, tx pgx.Tx, districtID int64) ([]int64, error) {
	ids := make([]int64, len(programs))
	for i, p := range programs {
		err := tx.QueryRow(ctx, `INSERT INTO program (id_school_district, name, description)
			VALUES ($1, $2, $3) RETURNING id_program`, districtID, p.name, p.description).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("insert program %s: %w", p.name, err)
		}
	}
	return ids, nil
}

// insertUsers writes the demo accounts and returns their ids by email. A
// missing role is an error, not an account without one.
func insertUsers(ctx context.Context, tx pgx.Tx, districtID int64, hash string) (map[string]int64, error) {
	ids := make(map[string]int64, len(Accounts))
	now := time.Now()
	for _, a := range Accounts {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO "user"
				(id_role, id_school_district, email, name, password_hash, password_updated_at)
			SELECT id_role, $1, $2, $3, $4, $5 FROM role WHERE name = $6
			RETURNING id_user`, districtID, a.Email, a.Name, hash, now, a.Role).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("insert user %s with role %s: %w", a.Email, a.Role, err)
		}
		ids[a.Email] = id
	}
	return ids, nil
}

func insertMemberships(ctx context.Context, tx pgx.Tx, userIDs map[string]int64, programIDs []int64) error {
	var rows [][]any
	for _, a := range Accounts {
		for i, program := range memberships[a.Email] {
			rows = append(rows, []any{userIDs[a.Email], programIDs[program], i == 0})
		}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"user_program"},
		[]string{"id_user", "id_program", "is_primary"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("insert program memberships: %w", err)
	}
	return nil
}

// findCast looks up the loaded demo district's programs and staff by name
// and email.
func findCast(ctx context.Context, tx pgx.Tx) (cast, error) {
	var staff cast
	err := tx.QueryRow(ctx, `SELECT id_school_district FROM school_district WHERE name = $1
		ORDER BY id_school_district LIMIT 1`, DistrictName).Scan(&staff.districtID)
	if err != nil {
		return staff, fmt.Errorf("find demo district: %w", err)
	}

	for _, p := range []struct {
		name string
		id   *int64
	}{{transitionProgram, &staff.transition}, {learningProgram, &staff.learning}} {
		err := tx.QueryRow(ctx, `SELECT id_program FROM program WHERE id_school_district = $1 AND name = $2
			ORDER BY id_program LIMIT 1`, staff.districtID, p.name).Scan(p.id)
		if err != nil {
			return staff, fmt.Errorf("find demo program %s: %w", p.name, err)
		}
	}

	for _, u := range []struct {
		email string
		id    *int64
	}{
		{"teacher@demo.test", &staff.teacher},
		{"teacher2@demo.test", &staff.teacher2},
		{"para@demo.test", &staff.para},
	} {
		err := tx.QueryRow(ctx, `SELECT id_user FROM "user" WHERE lower(email) = $1`, u.email).Scan(u.id)
		if err != nil {
			return staff, fmt.Errorf("find demo user %s: %w", u.email, err)
		}
	}
	return staff, nil
}
