package settings

import "goaltracker/views/components"

// DistrictsView is the Districts page.
type DistrictsView struct {
	Rows []DistrictRow
	Form DistrictForm
}

// DistrictRow is one district: its name and contact, edited in place, and
// its counts.
type DistrictRow struct {
	ID           int64
	Name         components.InlineField
	ContactEmail components.InlineField
	Programs     int
	Users        int
	Students     int
}

// DistrictForm is the form that adds a district.
type DistrictForm struct {
	CSRFToken    string
	Name         components.Field
	ContactEmail components.Field
}
