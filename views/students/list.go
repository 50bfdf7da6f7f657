// Package students renders the student list and, later, the student page.
package students

import (
	"strconv"
	"time"

	"goaltracker/views/components"
)

// ListView is the student list screen: the filter form as the person filled
// it in, and one page of results.
type ListView struct {
	Query     string
	ProgramID int64
	Programs  []ProgramOption
	Rows      []Row
	Pager     components.Pager
	// Errors holds a message per filter field that could not be read.
	Errors map[string]string
	// Mine shows only the person's assigned students; CanChooseMine says
	// whether that differs from all they may see.
	Mine          bool
	CanChooseMine bool
	// Quiet shows only students without an entry in the last 14 days.
	Quiet bool
	// PeriodLabel names the current reporting period, empty when none.
	PeriodLabel string
}

// ProgramOption is one choice of the program filter.
type ProgramOption struct {
	ID   int64
	Name string
}

// Row is one student in the list.
type Row struct {
	ID            int64
	Identifier    string
	ProgramName   string
	ProgramYear   int
	ActiveGoals   int
	LastEntryOn   time.Time
	ExpectedGrad  time.Time
	PeriodEntries int
	ReportsTotal  int
	ReportsFinal  int
}

// ReportState says how far the current period's reports have got.
func (r Row) ReportState() string {
	switch {
	case r.ReportsTotal == 0:
		return "Not compiled"
	case r.ReportsFinal == 0:
		return "Draft"
	case r.ReportsFinal == r.ReportsTotal:
		return "Final"
	}
	return strconv.Itoa(r.ReportsFinal) + " of " + strconv.Itoa(r.ReportsTotal) + " final"
}

// Href is the address of the student's page.
func (r Row) Href() string { return "/students/" + strconv.FormatInt(r.ID, 10) }

func formatDay(t time.Time) string {
	if t.IsZero() {
		return "No entries yet"
	}
	return t.Format("Jan 2, 2006")
}

func programValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func resultsAnnouncement(v ListView) string {
	switch v.Pager.Total {
	case 0:
		return "No students match these filters."
	case 1:
		return "1 student"
	}
	return strconv.Itoa(v.Pager.Total) + " students"
}

func gradYear(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("Jan 2006")
}
