package settings

import "goaltracker/views/components"

// CalendarView is the Calendar page of one district.
type CalendarView struct {
	DistrictID   int64
	DistrictName string
	Picker       Picker
	CSRFToken    string
	// Error is a message about the calendar as a whole, such as a refused
	// deletion.
	Error string
	Years []SchoolYear
	// Add is the form adding one period.
	Add PeriodForm
	// DefaultYear is the form adding the default calendar of a year.
	DefaultYear      string
	DefaultYearError string
}

// SchoolYear is the periods of one school year.
type SchoolYear struct {
	Year    int
	Label   string
	Periods []PeriodRow
}

// PeriodRow is one period, shown or edited in place.
type PeriodRow struct {
	ID        int64
	Code      string
	YearLabel string
	StartsOn  string
	EndsOn    string
	CSRFToken string
	Editing   bool
	Errors    map[string]string
}

func (r PeriodRow) id() string { return "period-" + itoa(r.ID) }

func (r PeriodRow) url(rest string) string { return "/admin/calendar/periods/" + itoa(r.ID) + rest }

// PeriodForm adds a period.
type PeriodForm struct {
	Year     string
	Code     string
	StartsOn string
	EndsOn   string
	Codes    []components.Option
	Errors   map[string]string
}

// DeleteConfirmView asks, without JavaScript, whether to delete a period.
type DeleteConfirmView struct {
	Row        PeriodRow
	DistrictID int64
}
