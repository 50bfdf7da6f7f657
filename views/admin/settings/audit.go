package settings

import "goaltracker/views/components"

// AuditView is the audit log page: the filters, one page of events, and
// the links to older events and to the CSV export of the filtered log.
type AuditView struct {
	Filter  AuditFilter
	Actions []components.Option
	Rows    []AuditRow
	// OlderURL is the next page, empty on the last one.
	OlderURL string
	CSVURL   string
}

// AuditFilter is the filter form as typed, with messages about it.
type AuditFilter struct {
	Email      string
	Action     string
	RecordType string
	RecordID   string
	Student    string
	From       string
	To         string
	Errors     map[string]string
}

// AuditRow is one event.
type AuditRow struct {
	ID      int64
	When    string
	Actor   string
	Action  string
	Record  string
	Student string
	IP      string
	Details string
}
