package students

import (
	"strconv"
	"strings"
	"time"
)

// StudentView is the student page: the record and the goal tree.
type StudentView struct {
	Identifier     string
	ProgramName    string
	ProgramYear    int
	EnrollmentDate time.Time
	ExpectedGrad   time.Time
	Goals          []GoalItem
}

// GoalItem is one goal of the tree with its sub-goals.
type GoalItem struct {
	ID         int64
	Title      string
	Category   string
	Status     string
	Target     string
	TargetDate time.Time
	SubGoals   []GoalItem
}

func goalAnchor(id int64) string { return "goal-" + strconv.FormatInt(id, 10) }

// statusLabel turns a goal status into words.
func statusLabel(s string) string {
	switch s {
	case "not_met":
		return "Not met"
	case "":
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("Jan 2, 2006")
}
