// Package goals renders the goal page: a goal's fields, its chart, its
// sub-goals and its entries.
package goals

import (
	"strconv"

	"goaltracker/views/chart"
	"goaltracker/views/components"
	"goaltracker/views/students"
)

// GoalView is the goal page.
type GoalView struct {
	ID                int64
	StudentID         int64
	StudentIdentifier string
	Title             components.InlineField
	Status            components.InlineField
	Fields            []components.InlineField
	CloseNote         string
	Chart             *chart.Model
	SubGoals          []SubGoal
	Timeline          students.TimelineView
}

// SubGoal is one sub-goal with its status.
type SubGoal struct {
	ID     int64
	Title  string
	Status string
}

func studentHref(id int64) string { return "/students/" + strconv.FormatInt(id, 10) }

func goalHref(id int64) string { return "/goals/" + strconv.FormatInt(id, 10) }
