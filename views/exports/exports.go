// Package exports renders the Exports page: requesting a period workbook,
// following its build, and downloading it.
package exports

import (
	"fmt"
	"strconv"
	"time"

	"goaltracker/views/components"
)

// PageView is the Exports page.
type PageView struct {
	CanRequest bool
	Scopes     []components.Option
	Periods    []components.Option
	Scope      string
	Period     string
	Error      string
	Rows       []Row
}

// Row is one workbook and the state of its build.
type Row struct {
	ID         int64
	ScopeName  string
	Period     string
	State      string
	Percent    int
	Filename   string
	SizeBytes  int64
	Error      string
	CreatedAt  time.Time
	FinishedAt time.Time
	CanRetry   bool
}

func (r Row) rowID() string { return "export-" + strconv.FormatInt(r.ID, 10) }

func (r Row) url(rest string) string { return "/exports/" + strconv.FormatInt(r.ID, 10) + rest }

func (r Row) isBuilding() bool { return r.State == "queued" || r.State == "running" }

func (r Row) percent() string { return strconv.Itoa(r.Percent) }

func (r Row) size() string {
	switch {
	case r.SizeBytes >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(r.SizeBytes)/(1<<20))
	case r.SizeBytes >= 1<<10:
		return fmt.Sprintf("%d kB", r.SizeBytes>>10)
	}
	return fmt.Sprintf("%d bytes", r.SizeBytes)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("Jan 2, 15:04")
}
