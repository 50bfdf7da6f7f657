// Package users renders the Staff pages of administration: the list of a
// district's accounts with the invitation form, and one account's page
// with its role, state, programs and student assignments.
package users

import (
	"strconv"

	"goaltracker/views/components"
	"goaltracker/views/students"
)

// ListView is the staff list: its filter, the rows, and the form that
// invites a person.
type ListView struct {
	Filter Filter
	// Districts is the district picker, offered to those who manage
	// accounts of several districts; empty otherwise.
	Districts []components.Option
	Roles     []components.Option
	Statuses  []components.Option
	Rows      []Row
	// Limited says the list stops at Limit rows: search to narrow it.
	Limited bool
	Limit   int
	Invite  InviteForm
}

// Filter is what the list is narrowed by, as typed.
type Filter struct {
	District string
	Query    string
	Role     string
	Status   string
}

// Row is one account of the list.
type Row struct {
	ID         int64
	Name       string
	Email      string
	Role       string
	Programs   string
	Status     string
	StatusText string
	LastSignIn string
}

// InviteForm creates an account and emails its invitation. Values are as
// typed; Errors are keyed by field name.
type InviteForm struct {
	District string
	Email    components.Field
	Name     components.Field
	Role     string
	Program  string
	Roles    []components.Option
	Programs []components.Option
	Errors   map[string]string
	Error    string
	CSRF     string
	// OutOfBand marks the form for htmx to swap by its id, alongside the
	// list: the district picker changed the district it invites into.
	OutOfBand bool
}

// AccountView is one account's page.
type AccountView struct {
	ID       int64
	Name     components.InlineField
	Role     components.InlineField
	Email    string
	Programs ProgramsView
	Actions  ActionsView
	Students StudentsView
}

// ActionsView is the account's state and what can be done to it.
type ActionsView struct {
	ID         int64
	Name       string
	Status     string
	StatusText string
	LastSignIn string
	Created    string
	IsActive   bool
	IsLocked   bool
	IsInvited  bool
	CanChange  bool
	IsSelf     bool
	Message    string
	IsError    bool
	CSRF       string
}

// ProgramsView is the account's program memberships and the form to add
// one.
type ProgramsView struct {
	ID        int64
	Rows      []MembershipRow
	Available []components.Option
	CanChange bool
	Message   string
	IsError   bool
	CSRF      string
}

// MembershipRow is one program of the account.
type MembershipRow struct {
	ProgramID int64
	Name      string
	IsPrimary bool
	IsActive  bool
	URL       string
}

// StudentsView is the students assigned to the account, with the form to
// assign one by identifier.
type StudentsView struct {
	ID         int64
	Rows       []students.AssignmentRow
	Form       students.AssignForm
	Identifier string
	CanAssign  bool
	Message    string
	IsError    bool
	CSRF       string
}

// ConfirmView asks, without JavaScript, before a change that cannot be
// taken back: the question, and a form posting the change confirmed.
type ConfirmView struct {
	Question string
	Action   string
	Button   string
	Back     string
	// Fields are hidden form fields to post again, name then value.
	Fields [][2]string
}

func accountURL(id int64, suffix string) string {
	return "/admin/users/" + strconv.FormatInt(id, 10) + suffix
}

func statusToggle(active bool) string {
	if active {
		return "inactive"
	}
	return "active"
}

func statusToggleLabel(active bool) string {
	if active {
		return "Set inactive"
	}
	return "Set active"
}
