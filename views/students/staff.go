package students

import "goaltracker/views/components"

// StaffView is the Staff section of the student page, shown to those who
// manage the student's assignments: who is assigned, and a form to add
// an account of the district.
type StaffView struct {
	StudentID int64
	Rows      []AssignmentRow
	// Candidates are the active accounts of the district not assigned yet.
	Candidates []components.Option
	Form       AssignForm
	// Message says what the last change did, or why it was refused.
	Message string
	IsError bool
}

// AssignmentRow is one assignment, on the student page (Label names the
// account) or on an account's page (Label names the student).
type AssignmentRow struct {
	Key    string
	Label  string
	Href   string
	Detail string
	// AccessLevel is editor or viewer.
	AccessLevel string
	IsPrimary   bool
	// URL receives changes of level and primary; URL + "/delete" removes.
	URL string
	// Target is the section the answers replace, such as "#student-staff".
	Target string
	// RemoveQuestion is asked before the assignment is removed.
	RemoveQuestion string
	CanChange      bool
	// CSRF is the token the forms carry when posted without htmx.
	CSRF string
}

// AssignForm adds an assignment: the account (or, on an account's page,
// the student's identifier), the access level and whether it becomes the
// student's primary. Errors are keyed by field name.
type AssignForm struct {
	Action      string
	Target      string
	Who         string
	AccessLevel string
	IsPrimary   bool
	Errors      map[string]string
	CSRF        string
}

// Levels are the access levels offered.
var Levels = []components.Option{
	{Value: "editor", Label: "Editor"},
	{Value: "viewer", Label: "Viewer (reads only)"},
}
