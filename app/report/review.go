package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// MaxSummaryLength is the longest summary a person may write, in
// characters.
const MaxSummaryLength = 4000

// ErrFinal means the report is final: its summary and code can no longer
// change. Errors wrapping it wrap problem.ErrConflict too.
var ErrFinal = errors.New("report is final")

// Item is one goal's report as the review tab shows it: the report, its
// goal, what the person asking may do with it, and the reports of the
// goal's sub-goals.
type Item struct {
	Report
	GoalTitle    string  `bun:"goal_title"`
	GoalParentID int64   `bun:"goal_parent_id"`
	GoalUnit     string  `bun:"goal_unit"`
	CanUpdate    bool    `bun:"can_update"`
	CanFinalize  bool    `bun:"can_finalize"`
	Children     []*Item `bun:"-"`
}

// StudentReview is one student's reports of a period.
type StudentReview struct {
	StudentID   int64  `bun:"id_student"`
	Identifier  string `bun:"identifier"`
	ProgramName string `bun:"program_name"`
	DistrictID  int64  `bun:"id_school_district"`
	// Items are the reports of top-level goals, each with its sub-goals'.
	Items []*Item `bun:"-"`
}

// StudentReports returns the reports of student studentID for one period,
// goals in the order they were created and sub-goals nested under their
// goal, if who may read the student's reports. A student that does not
// exist or whose reports who may not read is an error wrapping
// problem.ErrNotFound; a period without reports gives no items.
func (s *Service) StudentReports(ctx context.Context, who *access.Principal, studentID int64,
	year int, period string) (*StudentReview, error) {
	var heads []StudentReview
	q := s.db.NewSelect().TableExpr("student AS st").
		Join("JOIN program AS p ON p.id_program = st.id_program").
		ColumnExpr("st.id_student, st.identifier, p.name AS program_name, p.id_school_district").
		Where("st.id_student = ?", studentID)
	if err := access.Filter(q, who, "report", "read", access.Students).Scan(ctx, &heads); err != nil {
		return nil, fmt.Errorf("load student %d for reports: %w", studentID, err)
	}
	if len(heads) == 0 {
		return nil, fmt.Errorf("load student %d for reports: %w", studentID, problem.ErrNotFound)
	}
	review := &heads[0]

	var items []*Item
	err := s.items(who).Where("pr.id_student = ? AND pr.year = ? AND pr.period = ?", studentID, year, period).
		OrderExpr("g.created_at, g.id_goal").Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("load %s %d reports of student %d: %w", period, year, studentID, err)
	}
	review.Items = nestItems(items)
	return review, nil
}

// Item returns report id with its goal and what who may do with it, if who
// may read it. A report that does not exist or that who may not read is an
// error wrapping problem.ErrNotFound. Sub-goals' reports are not loaded.
func (s *Service) Item(ctx context.Context, who *access.Principal, id int64) (*Item, error) {
	var items []*Item
	if err := s.items(who).Where("pr.id_progress_report = ?", id).Scan(ctx, &items); err != nil {
		return nil, fmt.Errorf("load report %d: %w", id, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("load report %d: %w", id, problem.ErrNotFound)
	}
	return items[0], nil
}

// items selects reports joined to their student and goal, narrowed to
// those who may read.
func (s *Service) items(who *access.Principal) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("progress_report AS pr").
		Join("JOIN student AS st ON st.id_student = pr.id_student").
		Join("JOIN goal AS g ON g.id_goal = pr.id_goal").
		ColumnExpr("pr.*").
		ColumnExpr("g.title AS goal_title, g.id_goal_parent AS goal_parent_id, g.unit AS goal_unit").
		ColumnExpr("EXISTS (?) AS can_update", access.Allows(s.db, who, "report", "update", "pr.id_student", "")).
		ColumnExpr("EXISTS (?) AS can_finalize",
			access.Allows(s.db, who, "report", "finalize", "pr.id_student", ""))
	return access.Filter(q, who, "report", "read", access.Students)
}

// nestItems hangs each sub-goal's report under its goal's. A report whose
// goal's report is missing stays at the top level rather than being lost.
func nestItems(all []*Item) []*Item {
	byGoal := make(map[int64]*Item, len(all))
	for _, it := range all {
		byGoal[it.GoalID] = it
	}
	var top []*Item
	for _, it := range all {
		if parent, ok := byGoal[it.GoalParentID]; ok && it.GoalParentID != 0 {
			parent.Children = append(parent.Children, it)
			continue
		}
		top = append(top, it)
	}
	return top
}

// SummaryEdit is a summary written by hand, and the version (generated_at)
// of the summary the writer started from.
type SummaryEdit struct {
	Text    string
	Version time.Time
}

// UpdateSummary replaces the summary of report id with e.Text and marks
// the report edited, so later compiles keep the text. The new generated_at
// is the summary's next version. An empty or too long text is a
// *problem.Invalid keyed "value"; a summary changed since e.Version wraps
// problem.ErrConflict; a final report wraps ErrFinal. A report who may not
// read wraps problem.ErrNotFound, one who may read but not edit
// problem.ErrForbidden.
func (s *Service) UpdateSummary(ctx context.Context, who *access.Principal, id int64, e SummaryEdit) (*Report, error) {
	text, err := cleanSummary(e.Text)
	if err != nil {
		return nil, fmt.Errorf("update summary of report %d: %w", id, err)
	}
	r := new(Report)
	err = s.draftUpdate(who, id, "update").
		Set("summary = ?", text).Set("is_edited = true").Set("updated_by = ?", who.UserID).
		Set("generated_at = now()").
		Where("pr.generated_at = ?", e.Version).
		Returning("pr.*").Scan(ctx, r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s.whyNotChanged(ctx, who, id, "update", problem.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("update summary of report %d: %w", id, err)
	}
	return r, nil
}

// cleanSummary trims text and turns a browser's CRLF line ends into LF,
// then checks its length.
func cleanSummary(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(text, ""), "\r\n", "\n"))
	inv := problem.NewInvalid()
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		inv.Add("value", "Write a summary.")
	case n > MaxSummaryLength:
		inv.Add("value", fmt.Sprintf("Keep the summary to %d characters; it has %d.", MaxSummaryLength, n))
	}
	return text, inv.Err()
}

// IsCode reports whether code is a progress code a report may carry.
func IsCode(code string) bool {
	switch code {
	case CodeMastered, CodeSufficient, CodeInsufficient, CodeNotAddressed:
		return true
	}
	return false
}

// SetCode sets the progress code of report id and marks the report edited.
// The code is one choice from a short list, so the last choice wins: it
// takes no version, and it leaves the summary's version alone so that a
// summary being edited at the same time still saves. An unknown code is a
// *problem.Invalid keyed "code"; the other errors are UpdateSummary's.
func (s *Service) SetCode(ctx context.Context, who *access.Principal, id int64, code string) (*Report, error) {
	if !IsCode(code) {
		inv := problem.NewInvalid()
		inv.Add("code", "Choose one of the progress codes.")
		return nil, fmt.Errorf("set code of report %d: %w", id, inv)
	}
	r := new(Report)
	err := s.draftUpdate(who, id, "update").
		Set("progress_code = ?", code).Set("is_edited = true").Set("updated_by = ?", who.UserID).
		Returning("pr.*").Scan(ctx, r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s.whyNotChanged(ctx, who, id, "update", problem.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("set code of report %d: %w", id, err)
	}
	return r, nil
}

// Finalize makes report id final, which locks it against edits and later
// compiles. A report without a chosen code takes its suggested one, the
// code the review tab showed as selected. A report with no code at all or
// an empty summary is a *problem.Invalid; the other errors are
// UpdateSummary's, with problem.ErrForbidden for who may read but not
// finalize.
func (s *Service) Finalize(ctx context.Context, who *access.Principal, id int64) (*Report, error) {
	r := new(Report)
	err := s.draftUpdate(who, id, "finalize").
		Set("status = ?", StatusFinal).Set("finalized_at = now()").Set("updated_by = ?", who.UserID).
		Set("progress_code = coalesce(pr.progress_code, pr.suggested_code)").
		Where("coalesce(pr.progress_code, pr.suggested_code) IS NOT NULL").
		Where("btrim(coalesce(pr.summary, '')) <> ''").
		Returning("pr.*").Scan(ctx, r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s.whyNotChanged(ctx, who, id, "finalize", errIncomplete)
	}
	if err != nil {
		return nil, fmt.Errorf("finalize report %d: %w", id, err)
	}
	return r, nil
}

// errIncomplete stands for whatever Finalize's conditions refused; the
// report is read again to say which.
var errIncomplete = errors.New("report incomplete")

// draftUpdate starts an UPDATE of draft report id that who may do action
// on. The permission check is part of the statement, so a successful
// change costs one statement; only a refused one asks again to say why.
func (s *Service) draftUpdate(who *access.Principal, id int64, action string) *bun.UpdateQuery {
	return s.db.NewUpdate().TableExpr("progress_report AS pr").
		Where("pr.id_progress_report = ?", id).
		Where("pr.status = ?", StatusDraft).
		Where("EXISTS (?)", access.Allows(s.db, who, "report", action, "pr.id_student", ""))
}

// whyNotChanged tells why an update of report id changed no row: the
// report is missing or not who's to change, or final, or else the update's
// own condition failed, which otherwise names.
func (s *Service) whyNotChanged(ctx context.Context, who *access.Principal, id int64, action string,
	otherwise error) error {
	if err := access.NewChecker(s.db).Authorize(ctx, who, action, access.ReportRecord(id)); err != nil {
		return err
	}
	r := new(Report)
	if err := s.db.NewSelect().Model(r).Where("id_progress_report = ?", id).Scan(ctx); err != nil {
		return fmt.Errorf("%s report %d: %w", action, id, err)
	}
	switch {
	case r.Status == StatusFinal:
		return fmt.Errorf("%s report %d: %w: %w", action, id, ErrFinal, problem.ErrConflict)
	case errors.Is(otherwise, errIncomplete):
		inv := problem.NewInvalid()
		if strings.TrimSpace(r.Summary) == "" {
			inv.Form = "Write a summary before finalizing."
		} else {
			inv.Form = "Choose a progress code before finalizing."
		}
		return fmt.Errorf("finalize report %d: %w", id, inv)
	}
	return fmt.Errorf("%s report %d: %w", action, id, otherwise)
}
