package roster

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"goaltracker/app/problem"
)

// Limits of a student's values, from the schema and the district's rules.
const (
	MaxIdentifier  = 50
	MaxProgramYear = 20
)

// Input is a student as typed into the add or edit form. Values are
// trimmed before they are checked.
type Input struct {
	ProgramID      int64
	Identifier     string
	ProgramYear    string
	EnrollmentDate string
	ExpectedGrad   string
}

// values are a student's checked values: zero means not set.
type values struct {
	Identifier     string
	ProgramYear    int
	EnrollmentDate time.Time
	ExpectedGrad   time.Time
}

// check parses in, with a message for each field at fault keyed by the
// form field's name.
func (in Input) check() (values, *problem.Invalid) {
	inv := problem.NewInvalid()
	var v values
	var msg string
	if v.Identifier, msg = checkIdentifier(in.Identifier); msg != "" {
		inv.Add("identifier", msg)
	}
	if v.ProgramYear, msg = parseProgramYear(in.ProgramYear); msg != "" {
		inv.Add("program_year", msg)
	}
	if v.EnrollmentDate, msg = ParseDate(in.EnrollmentDate); msg != "" {
		inv.Add("enrollment_date", msg)
	}
	if v.ExpectedGrad, msg = ParseDate(in.ExpectedGrad); msg != "" {
		inv.Add("expected_grad", msg)
	}
	if msg = checkOrder(v); msg != "" {
		inv.Add("expected_grad", msg)
	}
	return v, inv
}

// checkIdentifier trims s and returns it, or a message saying what is
// wrong with it.
func checkIdentifier(s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		return s, "The identifier has characters that are not text."
	case s == "":
		return s, "Enter the student's identifier, such as a district id."
	case utf8.RuneCountInString(s) > MaxIdentifier:
		return s, "The identifier is at most 50 characters; this one has " +
			strconv.Itoa(utf8.RuneCountInString(s)) + "."
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return s, "The identifier may not hold tabs, line breaks or other control characters."
	}
	return s, ""
}

// parseProgramYear reads a program year: empty, or a whole number from 1
// to 20.
func parseProgramYear(s string) (int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxProgramYear {
		return 0, "The program year is a whole number from 1 to 20, or empty."
	}
	return n, ""
}

var usDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)

// ParseDate reads a day written as 2026-09-01 (ISO) or 9/1/2026 (month
// first, as in the US), or empty for none. It returns the day, or a message
// for a value it cannot read or a year outside 1990 to 2100.
func ParseDate(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if m := usDate.FindStringSubmatch(s); m != nil {
		d, err = time.Parse("1/2/2006", m[1]+"/"+m[2]+"/"+m[3])
	}
	if err != nil || d.Year() < 1990 || d.Year() > 2100 {
		return time.Time{}, "Enter a date such as 2026-09-01 or 9/1/2026."
	}
	return d, ""
}

// checkOrder refuses an expected graduation before the enrollment.
func checkOrder(v values) string {
	if !v.EnrollmentDate.IsZero() && !v.ExpectedGrad.IsZero() && v.ExpectedGrad.Before(v.EnrollmentDate) {
		return "The expected graduation cannot be before the enrollment date."
	}
	return ""
}
