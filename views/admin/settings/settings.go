// Package settings renders the administration pages that set the
// installation up: programs, districts, the role grid, the reporting
// calendar and the audit log.
package settings

import (
	"strconv"

	"goaltracker/views/components"
)

// Picker lets someone who administers every district choose the one a
// page shows. It is empty (no options) for everyone else.
type Picker struct {
	// Action is the page's address; choosing reloads it.
	Action   string
	Options  []components.Option
	Selected int64
}

func (p Picker) selected() string { return itoa(p.Selected) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func count(n int) string { return strconv.Itoa(n) }
