package district

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/problem"
	"goaltracker/app/report"
)

// maxEmailLength is the length of school_district.contact_email.
const maxEmailLength = 255

// DistrictSummary is a district with how many programs, users and
// students it has.
type DistrictSummary struct {
	District `bun:",extend"`
	Programs int `bun:"programs"`
	Users    int `bun:"users"`
	Students int `bun:"students"`
}

// DistrictInput is a district as typed in the form.
type DistrictInput struct {
	Name         string
	ContactEmail string
}

// Calendar says which default reporting calendar a new district gets: the
// school years starting in StartMonth, the one containing Today and the
// next.
type Calendar struct {
	StartMonth time.Month
	Today      time.Time
}

// years returns the school years a new district's calendar covers.
func (c Calendar) years() []int {
	year := report.SchoolYearOf(c.Today, c.StartMonth)
	return []int{year, year + 1}
}

// canManageDistricts reports whether who may create and edit districts:
// that needs the grant in the all scope, since districts hold everyone.
func canManageDistricts(who *access.Principal) bool {
	return who.CanIn("district", "manage", access.ScopeAll)
}

// Districts returns every district by name, with its counts. Without the
// all-scope grant it is problem.ErrForbidden.
func (s *Service) Districts(ctx context.Context, who *access.Principal) ([]DistrictSummary, error) {
	if !canManageDistricts(who) {
		return nil, fmt.Errorf("list districts: %w", problem.ErrForbidden)
	}
	var out []DistrictSummary
	err := s.db.NewSelect().Model((*District)(nil)).ColumnExpr("sd.*").
		ColumnExpr("(SELECT count(*) FROM program AS p WHERE p.id_school_district = sd.id_school_district) AS programs").
		ColumnExpr(`(SELECT count(*) FROM "user" AS u WHERE u.id_school_district = sd.id_school_district) AS users`).
		ColumnExpr(`(SELECT count(*) FROM student AS st JOIN program AS p ON p.id_program = st.id_program
			WHERE p.id_school_district = sd.id_school_district) AS students`).
		OrderExpr("lower(sd.name), sd.id_school_district").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("list districts: %w", err)
	}
	return out, nil
}

// Names returns every district's id and name, by name, for pickers.
func (s *Service) Names(ctx context.Context) ([]*District, error) {
	var ds []*District
	err := s.db.NewSelect().Model(&ds).Column("id_school_district", "name").
		OrderExpr("lower(sd.name), sd.id_school_district").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list district names: %w", err)
	}
	return ds, nil
}

// Count returns how many districts the installation has.
func (s *Service) Count(ctx context.Context) (int64, error) {
	n, err := s.db.NewSelect().Model((*District)(nil)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count districts: %w", err)
	}
	return n, nil
}

// DistrictFor returns district id for who to edit. Without the all-scope
// grant it is problem.ErrForbidden; a missing district problem.ErrNotFound.
func (s *Service) DistrictFor(ctx context.Context, who *access.Principal, id int64) (*District, error) {
	if !canManageDistricts(who) {
		return nil, fmt.Errorf("district %d: %w", id, problem.ErrForbidden)
	}
	d := new(District)
	err := s.db.NewSelect().Model(d).Where("sd.id_school_district = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("district %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load district %d: %w", id, err)
	}
	return d, nil
}

// CreateDistrict adds a district with the default calendar of cal. A
// missing, over-long or duplicate name or a malformed email is a
// *problem.Invalid.
func (s *Service) CreateDistrict(ctx context.Context, who *access.Principal, a audit.Actor,
	in DistrictInput, cal Calendar) (*District, error) {
	if !canManageDistricts(who) {
		return nil, fmt.Errorf("create district: %w", problem.ErrForbidden)
	}
	d := new(District)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkDistrict(ctx, tx, d, in); err != nil {
			return err
		}
		if err := insertDistrict(ctx, tx, d, cal); err != nil {
			return err
		}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionDistrictCreated, d.ID, "school_district", d.ID,
			map[string]any{"name": d.Name, "contact_email": d.ContactEmail}))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// UpdateDistrict changes the name or contact email of district id, as
// field says, under CreateDistrict's rules.
func (s *Service) UpdateDistrict(ctx context.Context, who *access.Principal, a audit.Actor,
	id int64, field, value string) (*District, error) {
	d, err := s.DistrictFor(ctx, who, id)
	if err != nil {
		return nil, err
	}
	in := DistrictInput{Name: d.Name, ContactEmail: d.ContactEmail}
	before := map[string]any{"name": d.Name, "contact_email": d.ContactEmail}
	switch field {
	case "name":
		in.Name = value
	case "contact_email":
		in.ContactEmail = value
	default:
		return nil, fmt.Errorf("district field %q: %w", field, problem.ErrNotFound)
	}

	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkDistrict(ctx, tx, d, in); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model(d).Column("name", "contact_email").WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("update district %d: %w", d.ID, err)
		}
		after := map[string]any{"name": d.Name, "contact_email": d.ContactEmail}
		return audit.NewLog(tx).Record(ctx, a.Event(audit.ActionDistrictUpdated, d.ID, "school_district", d.ID,
			map[string]any{"field": field, "from": before[field], "to": after[field]}))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// insertDistrict writes d and its default calendar.
func insertDistrict(ctx context.Context, db bun.IDB, d *District, cal Calendar) error {
	if _, err := db.NewInsert().Model(d).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("create district %q: %w", d.Name, err)
	}
	for _, year := range cal.years() {
		if err := report.AddDefaultCalendar(ctx, db, d.ID, year, cal.StartMonth); err != nil {
			return err
		}
	}
	return nil
}

// checkDistrict validates in and copies it into d.
func checkDistrict(ctx context.Context, tx bun.Tx, d *District, in DistrictInput) error {
	inv := problem.NewInvalid()
	name, email := strings.TrimSpace(in.Name), strings.TrimSpace(in.ContactEmail)
	checkText(inv, "name", name, maxNameLength, true)
	checkText(inv, "contact_email", email, maxEmailLength, false)
	if email != "" && !inv.Has("contact_email") {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
			inv.Add("contact_email", "Enter an email address such as office@district.example.")
		}
	}
	if err := inv.Err(); err != nil {
		return err
	}

	if err := lockNames(ctx, tx, 0); err != nil {
		return err
	}
	taken, err := tx.NewSelect().Model((*District)(nil)).
		Where("lower(sd.name) = lower(?) AND sd.id_school_district <> ?", name, d.ID).Exists(ctx)
	if err != nil {
		return fmt.Errorf("look up district %q: %w", name, err)
	}
	if taken {
		inv.Add("name", "There is already a district of that name.")
		return inv
	}
	d.Name, d.ContactEmail = name, email
	return nil
}
