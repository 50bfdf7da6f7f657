// Package roster renders the roster pages of the Admin section: the
// students of the district with their add form and in-place edits, the
// move of a student to another program, and the CSV import with its
// preview.
package roster

import (
	"strconv"

	"goaltracker/views/components"
)

// PageView is the roster page.
type PageView struct {
	Query     string
	ProgramID int64
	// FilterErrors hold a message per filter parameter that could not be
	// read.
	FilterErrors map[string]string
	Programs     []components.Option
	Rows         []RowView
	Pager        components.Pager
	Add          AddView
}

// Values are a student's values as a form holds them: dates in ISO form.
type Values struct {
	Identifier     string
	ProgramYear    string
	EnrollmentDate string
	ExpectedGrad   string
}

// RowView is one student of the roster, shown or edited in place.
type RowView struct {
	ID          int64
	Identifier  string
	ProgramName string
	ProgramYear string
	Enrolled    string
	Graduates   string
	// Values and Errors are the edit form's, as typed.
	Values  Values
	Errors  map[string]string
	Version string
	// Conflict describes the student as someone else saved it, when an
	// edit started from an older version.
	Conflict string
	// MoveTargets are the other programs the student may be moved to;
	// empty when the person may not move students.
	MoveTargets []components.Option
	// CSRF is the token the row's forms carry when posted without htmx.
	CSRF string
}

// AddView is the form that adds one student.
type AddView struct {
	Programs  []components.Option
	ProgramID string
	Values    Values
	Errors    map[string]string
	// Added names the student just added, for the confirmation.
	Added string
	CSRF  string
}

// MoveView is the confirmation page of a move made without JavaScript.
type MoveView struct {
	Row           RowView
	ProgramID     string
	TargetName    string
	CurrentName   string
	ConfirmAction string
	CSRF          string
}

func (r RowView) rowID() string { return "roster-student-" + strconv.FormatInt(r.ID, 10) }

func (r RowView) formID() string { return "roster-form-" + strconv.FormatInt(r.ID, 10) }

func (r RowView) url(rest string) string {
	return "/admin/students/" + strconv.FormatInt(r.ID, 10) + rest
}

func (r RowView) inputID(name string) string {
	return "roster-" + strconv.FormatInt(r.ID, 10) + "-" + name
}

// ImportView is the import page in each of its states: the upload form,
// the preview of an upload, or the result of a commit.
type ImportView struct {
	Programs  []components.Option
	ProgramID string
	Errors    map[string]string
	Preview   *PreviewView
	Result    *ResultView
	// Sample is an example file.
	Sample  string
	Columns string
	MaxRows string
	// MaxBytes is the largest upload the server takes, so the browser can
	// refuse a larger file before sending it.
	MaxBytes int
	CSRF     string
}

// PreviewView is what committing an upload would do.
type PreviewView struct {
	ID             int64
	Filename       string
	ProgramName    string
	New            []ItemView
	Changed        []ItemView
	Unchanged      []ItemView
	NewCount       int
	ChangedCount   int
	UnchangedCount int
	Errors         []string
	ErrorCount     int
	// Refused is set when a commit found problems.
	Refused bool
}

// ItemView is one row of a preview.
type ItemView struct {
	Line       int
	Identifier string
	Details    string
}

// ResultView is the result of a commit.
type ResultView struct {
	Filename         string
	ProgramName      string
	RosterURL        string
	Added            int
	Changed          int
	Unchanged        int
	AlreadyCommitted bool
	CommittedAt      string
}

func (p PreviewView) commitURL() string {
	return "/admin/students/import/" + strconv.FormatInt(p.ID, 10)
}

func (p PreviewView) hasErrors() bool { return p.ErrorCount > 0 }

func count(n int) string { return strconv.Itoa(n) }

func studentCount(n int) string {
	if n == 1 {
		return "1 student"
	}
	return strconv.Itoa(n) + " students"
}

func more(shown []ItemView, total int) string {
	if total <= len(shown) {
		return ""
	}
	return "and " + strconv.Itoa(total-len(shown)) + " more"
}
