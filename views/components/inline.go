package components

// Kinds of inline field input.
const (
	KindText     = "text"
	KindTextarea = "textarea"
	KindNumber   = "number"
	KindDate     = "date"
	KindSelect   = "select"
	KindStatus   = "status"
)

// InlineField is one value that can be clicked and edited in place. In
// display mode it is a button showing Display; in edit mode a small form
// posting to URL with the Version the edit started from.
type InlineField struct {
	// ID is the element's id, unique on the page: the htmx swap target.
	ID      string
	Label   string
	Display string
	// Empty is shown instead of an empty Display, such as "Add a unit".
	Empty   string
	Value   string
	Kind    string
	URL     string
	Version string
	CanEdit bool
	Options []Option
	// CloseNote is the note typed with a closing status.
	CloseNote string
	Error     string
	// Conflict is set when someone else saved first: it holds their value.
	Conflict string
	// Focus asks the browser to put focus on the field once swapped in:
	// set after a save or a cancel, so keyboard users stay where they were.
	Focus bool
	// MaxLength bounds text inputs.
	MaxLength int
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

func (f InlineField) shown() string {
	if f.Display == "" {
		return f.Empty
	}
	return f.Display
}

func (f InlineField) inputID() string { return f.ID + "-input" }

func (f InlineField) inputType() string {
	switch f.Kind {
	case KindNumber:
		return "text"
	case KindDate:
		return "date"
	}
	return "text"
}

func (f InlineField) inputMode() string {
	if f.Kind == KindNumber {
		return "decimal"
	}
	return ""
}

func (f InlineField) maxLength() string {
	if f.MaxLength <= 0 {
		return ""
	}
	return itoa(f.MaxLength)
}
