package students

import (
	"strconv"
	"strings"
	"time"

	"goaltracker/views/chart"
	"goaltracker/views/components"
)

// StudentView is the student workspace: the record, the quick-add form,
// the goal tree, the progress timeline and the health notes.
type StudentView struct {
	ID          int64
	Identifier  string
	ProgramName string
	Record      []components.InlineField
	Goals       GoalsView
	QuickAdd    *EntryForm
	Timeline    TimelineView
	Health      *HealthView
	// CanReadReports shows the link to the student's period reports.
	CanReadReports bool
	// Staff is the Staff section, for those who manage the student's
	// assignments; nil for everyone else.
	Staff *StaffView
}

// GoalsView is the goal tree section, swapped whole after adding or
// deleting a goal.
type GoalsView struct {
	StudentID     int64
	Items         []GoalItem
	CanCreateGoal bool
	NewGoal       GoalForm
	// Message is a note about the last action, such as why a goal could
	// not be deleted.
	Message string
}

// GoalItem is one goal of the tree, each field editable in place when the
// person may.
type GoalItem struct {
	ID           int64
	Title        components.InlineField
	StatusField  components.InlineField
	Fields       []components.InlineField
	Status       string
	CloseNote    string
	LatestValue  string
	IsMeasurable bool
	Sparkline    *chart.Model
	EntryCount   int
	CanDelete    bool
	CanAddSub    bool
	SubGoals     []GoalItem
	SubGoalForm  GoalForm
}

// GoalForm is the form that adds a goal (ParentID zero) or a sub-goal.
type GoalForm struct {
	StudentID   int64
	ParentID    int64
	Title       string
	Description string
	Category    string
	Unit        string
	Baseline    string
	Target      string
	TargetDate  string
	Errors      map[string]string
	Open        bool
}

// Categories suggested when adding a goal; any other text is allowed.
var Categories = []string{"Reading", "Math", "Communication", "Behavior", "Career readiness",
	"Independent living", "Social skills", "Motor skills"}

// EntryForm is the quick-add form of the progress log.
type EntryForm struct {
	StudentID        int64
	Goals            []components.Option
	GoalID           string
	OccurredOn       string
	Today            string
	Content          string
	Value            string
	IsSensitive      bool
	CanMarkSensitive bool
	Errors           map[string]string
	// Saved is set right after an entry was added: the form is empty again
	// and says so.
	Saved bool
}

// TimelineView is the progress log: entries grouped by day, newest first.
type TimelineView struct {
	StudentID  int64
	GoalFilter int64
	Goals      []components.Option
	Days       []TimelineDay
	// MoreURL loads older entries; empty when there are none.
	MoreURL string
	// OutOfBand marks the section for htmx to swap by its id, alongside
	// the answer's main content.
	OutOfBand bool
}

// TimelineDay is the entries of one day.
type TimelineDay struct {
	Day     time.Time
	Entries []EntryItem
}

// EntryItem is one entry of the timeline.
type EntryItem struct {
	ID           int64
	GoalTitle    string
	AuthorName   string
	Content      string
	ValueText    string
	IsSensitive  bool
	IsRestricted bool
	CanEdit      bool
	CanDelete    bool
	Focus        bool
}

// EntryEditView is the inline form that edits one entry.
type EntryEditView struct {
	Item    EntryItem
	Form    EntryForm
	Version string
	// Conflict is set when the entry changed since the form was opened.
	Conflict bool
}

// HealthView is the health notes section.
type HealthView struct {
	StudentID int64
	CanRead   bool
	CanAdd    bool
	Notes     []HealthNote
	Draft     string
	Error     string
}

// HealthNote is one note as listed.
type HealthNote struct {
	AuthorName string
	Content    string
	CreatedAt  time.Time
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func studentURL(id int64, rest string) string { return "/students/" + idStr(id) + rest }

func goalURL(id int64, rest string) string { return "/goals/" + idStr(id) + rest }

func entryURL(id int64, rest string) string { return "/entries/" + idStr(id) + rest }

func dayHeading(d time.Time) string { return d.Format("Monday, January 2, 2006") }

func dayISO(d time.Time) string { return d.Format(time.DateOnly) }

func formID(f GoalForm, field string) string {
	return "goal-form-" + idStr(f.ParentID) + "-" + field
}

// StatusLabel turns a goal status into words.
func StatusLabel(s string) string {
	switch s {
	case "not_met":
		return "Not met"
	case "":
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
