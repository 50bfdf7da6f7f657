package settings

import "goaltracker/views/components"

// ProgramsView is the Programs page of one district.
type ProgramsView struct {
	DistrictID   int64
	DistrictName string
	Picker       Picker
	Rows         []ProgramRow
	Form         ProgramForm
}

// ProgramRow is one program: its name and description, edited in place,
// and its counts.
type ProgramRow struct {
	ID          int64
	Name        components.InlineField
	Description components.InlineField
	Students    int
	Staff       int
}

// ProgramForm is the form that adds a program, with what was typed and
// the messages about it.
type ProgramForm struct {
	DistrictID  int64
	CSRFToken   string
	Name        components.Field
	Description components.Field
}
