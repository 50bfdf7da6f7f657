package goal

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"goaltracker/app/problem"
)

// Fields that can be edited one at a time, in place.
var Fields = []string{"title", "description", "category", "unit", "baseline", "target",
	"target_date", "status"}

// IsField reports whether name is an editable field.
func IsField(name string) bool {
	for _, f := range Fields {
		if f == name {
			return true
		}
	}
	return false
}

// IsClosing reports whether status closes a goal, which asks for a note.
func IsClosing(status string) bool {
	return status == StatusMet || status == StatusNotMet || status == StatusDiscontinued
}

// text checks a free-text value: valid UTF-8, no more than max characters,
// present when required. It returns the trimmed text.
func text(inv *problem.Invalid, field, label, v string, max int, required bool) string {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		inv.Add(field, label+" contains characters that are not text.")
	case required && v == "":
		inv.Add(field, "Enter "+strings.ToLower(label)+".")
	case utf8.RuneCountInString(v) > max:
		inv.Add(field, label+" is at most "+strconv.Itoa(max)+" characters.")
	}
	return v
}

// number parses an optional measure with at most two decimals, as the
// numeric(12, 2) columns store; empty means none.
func number(inv *problem.Invalid, field, label, v string) *float64 {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		inv.Add(field, label+" must be a number, such as 40 or 12.5.")
		return nil
	}
	if math.Abs(f) >= 1e10 {
		inv.Add(field, label+" is too large.")
		return nil
	}
	f = math.Round(f*100) / 100
	return &f
}

// day parses an optional date in the form the date input sends.
func day(inv *problem.Invalid, field, label, v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		inv.Add(field, label+" must be a date, such as 2027-05-21.")
		return time.Time{}
	}
	if d.Year() < 2000 || d.Year() > 2100 {
		inv.Add(field, label+" must be between the years 2000 and 2100.")
		return time.Time{}
	}
	return d
}

// Draft is what a person typed for a new goal.
type Draft struct {
	Title       string
	Description string
	Category    string
	Unit        string
	Baseline    string
	Target      string
	TargetDate  string
}

// parse validates d and returns the goal it describes, or a
// *problem.Invalid keyed by form field.
func (d Draft) parse() (*Goal, error) {
	inv := problem.NewInvalid()
	g := &Goal{Status: StatusActive}
	g.Title = text(inv, "title", "A title", d.Title, 255, true)
	g.Description = text(inv, "description", "The description", d.Description, 5000, false)
	g.Category = text(inv, "category", "The category", d.Category, 100, false)
	g.Unit = text(inv, "unit", "The unit", d.Unit, 50, false)
	g.Baseline = number(inv, "baseline", "The baseline", d.Baseline)
	g.Target = number(inv, "target", "The target", d.Target)
	g.TargetDate = day(inv, "target_date", "The target date", d.TargetDate)
	if g.Unit == "" && (g.Baseline != nil || g.Target != nil) {
		inv.Add("unit", "Give a unit, such as % accuracy, to measure against a baseline or target.")
	}
	return g, inv.Err()
}
