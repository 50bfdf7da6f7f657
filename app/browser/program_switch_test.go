package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// programOption is one choice of the navigation's program switcher.
type programOption struct {
	Value      string `json:"value"`
	Name       string `json:"name"`
	IsSelected bool   `json:"selected"`
}

func TestSwitchProgram(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	if got := tb.signIn("teacher2@demo.test", h.cfg.DemoPassword); got != "/students" {
		tb.fatalf("signed in to %s, want /students", tb.location())
	}

	options := programOptions(tb)
	if len(options) != 2 {
		tb.fatalf("program switcher offers %+v, want two programs", options)
	}
	var from, to programOption
	for _, o := range options {
		if o.IsSelected {
			from = o
		} else {
			to = o
		}
	}
	if from.Value == "" || to.Value == "" {
		tb.fatalf("program switcher offers %+v, want one selected and one not", options)
	}

	tb.wantText("form.program-switcher button", "Switch")
	tb.choose("#current-program", to.Value)
	tb.submit("form.program-switcher button")
	tb.wantPath("/students")
	tb.wantText("#flashes", "You are now working in "+to.Name+".")
	if got := tb.value("#current-program"); got != to.Value {
		t.Errorf("switcher selects %q after the switch, want %q (%s); it was %q (%s)",
			got, to.Value, to.Name, from.Value, from.Name)
	}
	// The student list follows the current program.
	if got := tb.value("#student-program"); got != to.Value {
		t.Errorf("student list filters on program %q, want %q (%s)", got, to.Value, to.Name)
	}
}

func programOptions(tb *tab) []programOption {
	tb.t.Helper()
	tb.mustFind("select#current-program")
	options, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]programOption](
		`[...document.querySelectorAll("#current-program option")].map(o =>
			({value: o.value, name: o.textContent.trim(), selected: o.selected}))`))
	if err != nil {
		tb.fatalf("read program switcher: %v", err)
	}
	return options
}
