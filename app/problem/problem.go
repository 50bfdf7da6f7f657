// Package problem names the kinds of failure the domain packages report, so
// that the web layer can answer each with the right status and a message a
// person can act on, without knowing which package failed.
package problem

import (
	"errors"
	"sort"
	"strings"
)

// Kinds of failure. Domain packages wrap these (fmt.Errorf("load goal 42:
// %w", problem.ErrNotFound)) and callers test with errors.Is.
var (
	// ErrNotFound means the record does not exist or is outside what the
	// person may see; the two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the person may see the record but not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict means the record changed since the person loaded it.
	ErrConflict = errors.New("conflict")
	// ErrTooLarge means the request or an uploaded file is over the limit.
	ErrTooLarge = errors.New("too large")
)

// Invalid is a failed validation: a message for each field at fault, keyed
// by the form field's name, and a message for the form as a whole if any.
// It is answered with status 422 and the form re-rendered around it.
type Invalid struct {
	Fields map[string]string
	Form   string
}

// NewInvalid returns an empty Invalid to add messages to.
func NewInvalid() *Invalid { return &Invalid{Fields: map[string]string{}} }

// Add records msg for field, keeping the first message if the field already
// has one.
func (v *Invalid) Add(field, msg string) {
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = msg
	}
}

// Has reports whether field has a message.
func (v *Invalid) Has(field string) bool {
	_, ok := v.Fields[field]
	return ok
}

// Err returns v as an error, or nil when it holds no message, so a
// validator can end with return v.Err().
func (v *Invalid) Err() error {
	if v == nil || (len(v.Fields) == 0 && v.Form == "") {
		return nil
	}
	return v
}

// Error lists the messages, fields in name order.
func (v *Invalid) Error() string {
	names := make([]string, 0, len(v.Fields))
	for name := range v.Fields {
		names = append(names, name)
	}
	sort.Strings(names)

	parts := make([]string, 0, len(names)+1)
	if v.Form != "" {
		parts = append(parts, v.Form)
	}
	for _, name := range names {
		parts = append(parts, name+": "+v.Fields[name])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// AsInvalid returns the Invalid inside err, if there is one.
func AsInvalid(err error) (*Invalid, bool) {
	var v *Invalid
	ok := errors.As(err, &v)
	return v, ok
}
