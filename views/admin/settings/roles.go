package settings

import "goaltracker/views/components"

// RolesView is the permission grid: roles as columns, permissions as rows
// grouped by resource.
type RolesView struct {
	// ReadOnly explains why the grid cannot be changed, when it cannot.
	ReadOnly string
	// Error is a refused change's message, for the page without htmx.
	Error  string
	Roles  []RoleColumn
	Groups []PermissionGroup
	Form   RoleForm
}

// RoleColumn is one role.
type RoleColumn struct {
	ID          int64
	Label       string
	Description string
}

// PermissionGroup is the permissions of one resource.
type PermissionGroup struct {
	Resource string
	Rows     []PermissionRow
}

// PermissionRow is one permission and its cell for each role.
type PermissionRow struct {
	Name        string
	Description string
	Scope       string
	Cells       []GridCell
}

// GridCell is one role's checkbox for one permission. It is its own form,
// posted by htmx when the box changes or by its button without
// JavaScript.
type GridCell struct {
	RoleID         int64
	PermissionID   int64
	RoleLabel      string
	PermissionName string
	Granted        bool
	// Disabled cells may not be changed by this person.
	Disabled  bool
	Error     string
	CSRFToken string
}

func (c GridCell) id() string { return "grant-" + itoa(c.RoleID) + "-" + itoa(c.PermissionID) }

// RoleForm is the form that adds a role as a copy of another.
type RoleForm struct {
	CSRFToken   string
	Name        components.Field
	Description components.Field
	CopyFrom    string
	CopyError   string
	Options     []components.Option
}
