package components

import "strconv"

// Field is one labelled form input with its error, if any. Value is what
// the person typed, so a re-rendered form loses nothing.
type Field struct {
	ID           string
	Name         string
	Label        string
	Type         string
	Value        string
	Error        string
	Hint         string
	Autocomplete string
	MaxLength    int
	Required     bool
	Autofocus    bool
}

func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f Field) describedBy() string {
	switch {
	case f.Error != "" && f.Hint != "":
		return f.ID + "-error " + f.ID + "-hint"
	case f.Error != "":
		return f.ID + "-error"
	case f.Hint != "":
		return f.ID + "-hint"
	}
	return ""
}

func (f Field) maxLength() string {
	if f.MaxLength <= 0 {
		return ""
	}
	return strconv.Itoa(f.MaxLength)
}

func itoa(n int) string { return strconv.Itoa(n) }
