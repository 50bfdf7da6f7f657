package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Draft is what a person typed for an entry, as form values.
type Draft struct {
	GoalID      string
	OccurredOn  string
	Content     string
	Value       string
	IsSensitive bool
}

// MaxContent is the longest note an entry takes, in characters.
const MaxContent = 4000

// goalInfo is what validating an entry needs to know about its goal.
type goalInfo struct {
	ID        int64  `bun:"id_goal"`
	StudentID int64  `bun:"id_student"`
	Unit      string `bun:"unit"`
	Status    string `bun:"status"`
}

// parse checks d for student and returns the entry it describes, or a
// *problem.Invalid keyed by form field: goal, occurred_on, content, value.
// The goal must be one of the student's; the day may be back-dated but not
// in the future; a value needs a measurable goal.
func (s *Service) parse(ctx context.Context, studentID int64, d Draft) (*Entry, error) {
	inv := problem.NewInvalid()
	e := &Entry{StudentID: studentID, IsSensitive: d.IsSensitive}

	g, err := s.goalOf(ctx, studentID, d.GoalID)
	if err != nil {
		return nil, err
	}
	switch {
	case g == nil:
		inv.Add("goal", "Choose one of the student's goals.")
	case g.Status != "active":
		inv.Add("goal", "This goal is closed; reopen it to log progress on it.")
	default:
		e.GoalID = g.ID
	}

	e.OccurredOn = s.parseDay(inv, d.OccurredOn)
	e.Content = strings.TrimSpace(d.Content)
	switch {
	case !utf8.ValidString(e.Content):
		inv.Add("content", "The note contains characters that are not text.")
	case e.Content == "":
		inv.Add("content", "Write what you observed.")
	case utf8.RuneCountInString(e.Content) > MaxContent:
		inv.Add("content", fmt.Sprintf("The note is at most %d characters.", MaxContent))
	}
	e.Value = parseValue(inv, d.Value, g)
	return e, inv.Err()
}

func (s *Service) goalOf(ctx context.Context, studentID int64, raw string) (*goalInfo, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil
	}
	g := new(goalInfo)
	err = s.db.NewSelect().Table("goal").Column("id_goal", "id_student", "unit", "status").
		Where("id_goal = ? AND id_student = ?", id, studentID).Scan(ctx, g)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load goal %d: %w", id, err)
	}
	return g, nil
}

func (s *Service) parseDay(inv *problem.Invalid, raw string) time.Time {
	today := s.today()
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return today
	}
	d, err := time.Parse(time.DateOnly, raw)
	switch {
	case err != nil:
		inv.Add("occurred_on", "Enter the day as a date, such as "+today.Format(time.DateOnly)+".")
	case d.After(today):
		inv.Add("occurred_on", "The day cannot be in the future.")
	case d.Year() < 2000:
		inv.Add("occurred_on", "The day must be in the year 2000 or later.")
	}
	return d
}

func parseValue(inv *problem.Invalid, raw string, g *goalInfo) *float64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	if g != nil && g.Unit == "" {
		inv.Add("value", "This goal is not measured in numbers; leave the value empty.")
		return nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 1e10 {
		inv.Add("value", "The value must be a number, such as 12 or 7.5.")
		return nil
	}
	f = math.Round(f*100) / 100
	return &f
}

// today is the current day as a date at midnight UTC, the form occurred_on
// takes.
func (s *Service) today() time.Time {
	y, m, d := s.now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// SetClock replaces the clock that decides what today is, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Create logs an entry for a student. who must be allowed to create entries
// for the student, and to mark them sensitive when d asks to. Bad input is
// a *problem.Invalid.
func (s *Service) Create(ctx context.Context, who *access.Principal, studentID int64, d Draft) (*Entry, error) {
	checker := access.NewChecker(s.db)
	if err := checker.Authorize(ctx, who, "create", access.StudentAs("entry", studentID)); err != nil {
		return nil, err
	}
	if d.IsSensitive {
		ok, err := checker.Allowed(ctx, who, "sensitive_entry", "create", access.StudentAs("sensitive_entry", studentID))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("mark entry sensitive for student %d: %w", studentID, problem.ErrForbidden)
		}
	}
	e, err := s.parse(ctx, studentID, d)
	if err != nil {
		return nil, err
	}
	e.CreatedBy = who.UserID
	if _, err := s.db.NewInsert().Model(e).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("add entry for student %d: %w", studentID, err)
	}
	return e, nil
}

// Update replaces an entry's goal, day, note, value and sensitivity. It
// returns an error wrapping problem.ErrConflict when the entry changed
// since version (unless version is zero).
func (s *Service) Update(ctx context.Context, who *access.Principal, id int64, d Draft,
	version time.Time) (*Entry, error) {
	old, err := s.authorized(ctx, who, "update", id)
	if err != nil {
		return nil, err
	}
	if d.IsSensitive && !old.IsSensitive {
		ok, err := access.NewChecker(s.db).Allowed(ctx, who, "sensitive_entry", "create",
			access.StudentAs("sensitive_entry", old.StudentID))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("mark entry %d sensitive: %w", id, problem.ErrForbidden)
		}
	}
	e, err := s.parse(ctx, old.StudentID, d)
	if err != nil {
		return nil, err
	}

	q := s.db.NewUpdate().Model(e).Column("id_goal", "occurred_on", "content", "value", "is_sensitive").
		Set("updated_at = now()").Where("id_progress_event = ?", id)
	if !version.IsZero() {
		q = q.Where("updated_at = ?", version)
	}
	err = q.Returning("*").Scan(ctx, e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("update entry %d: %w", id, problem.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("update entry %d: %w", id, err)
	}
	return e, nil
}

// Delete removes an entry who may delete.
func (s *Service) Delete(ctx context.Context, who *access.Principal, id int64) (*Entry, error) {
	e, err := s.authorized(ctx, who, "delete", id)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.NewDelete().Model((*Entry)(nil)).Where("id_progress_event = ?", id).Exec(ctx); err != nil {
		return nil, fmt.Errorf("delete entry %d: %w", id, err)
	}
	return e, nil
}

// authorized checks that who may read entry id and do action on it, and
// returns it. Reading comes first: the own scope lets an author change
// their entries, but not those of a student they no longer work with.
func (s *Service) authorized(ctx context.Context, who *access.Principal, action string, id int64) (*Entry, error) {
	checker := access.NewChecker(s.db)
	if err := checker.Authorize(ctx, who, "read", access.EntryRecord(id)); err != nil {
		return nil, err
	}
	if err := checker.Authorize(ctx, who, action, access.EntryRecord(id)); err != nil {
		return nil, err
	}
	e := new(Entry)
	if err := s.db.NewSelect().Model(e).Where("id_progress_event = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load entry %d: %w", id, err)
	}
	return e, nil
}

// Get returns entry id as the timeline shows it, if who may read it, or an
// error wrapping problem.ErrNotFound. Reading a sensitive entry's content
// is audited.
func (s *Service) Get(ctx context.Context, who *access.Principal, id int64) (*Item, error) {
	var items []Item
	q := s.itemQuery(who).Where("pe.id_progress_event = ?", id)
	if err := s.selectAudited(who, q).Scan(ctx, &items); err != nil {
		return nil, fmt.Errorf("load entry %d: %w", id, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("load entry %d: %w", id, problem.ErrNotFound)
	}
	return &items[0], nil
}
