package browser

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// controlMarker is logged to the console just before the test breaks the
// policy on purpose; messages before it come from the app.
const controlMarker = "csp-check: control violation follows"

func TestCSPHoldsInTheBrowser(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	if got := tb.signIn("leader@demo.test", h.cfg.DemoPassword); got != "/students" {
		tb.fatalf("signed in to %s, want /students", tb.location())
	}
	watch := watchConsole(tb)

	// Load the page afresh under the watch, so a violation at load time
	// (htmx injecting its indicator styles) counts too.
	tb.open("/students")
	searchLive(tb)

	// A violation made on purpose shows that the watch would see one: once
	// its message is in, every message before it is too.
	tb.eval(`console.info(` + jsString(controlMarker) + `)`)
	tb.eval(`document.head.appendChild(
		Object.assign(document.createElement("style"), {textContent: "body {}"}))`)
	select {
	case <-watch.controlSeen:
	case <-tb.ctx.Done():
		tb.fatalf("a deliberate inline style produced no CSP message, so the watch is blind; "+
			"messages:\n%s", strings.Join(watch.all(), "\n"))
	}
	for _, msg := range watch.appViolations() {
		t.Errorf("CSP violation while using the student list: %s", msg)
	}
}

// searchLive types the first listed student's identifier into the search
// box and checks that htmx swapped in the one matching row, in place.
func searchLive(tb *tab) {
	tb.t.Helper()
	before := tb.text("#student-results .result-count")
	identifier := tb.text("#student-results tbody th a")
	tb.eval(`window.gtSamePage = true`)

	// Typing fires htmx's delayed search. It is done when the result count
	// changed and app.js has announced the new results, which it does
	// after htmx settles the swap.
	tb.fill("#student-q", identifier)
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`(() => {
		const count = document.querySelector("#student-results .result-count");
		const results = document.getElementById("student-results");
		const announcer = document.getElementById("announcer");
		return !!count && count.textContent.trim() !== `+jsString(before)+` &&
			announcer.textContent === results.dataset.announce;
	})()`))
	if err != nil {
		tb.fatalf("live search for %s did not update the results (they showed %q): %v",
			identifier, before, err)
	}

	tb.wantText("#student-results .result-count", "1 student")
	tb.wantText("#student-results tbody th a", identifier)
	if !tb.isTrue(`window.gtSamePage === true`) {
		tb.t.Errorf("the search loaded a new page; want htmx to swap the results in place")
	}
	if loc := tb.location(); !strings.Contains(loc, "q="+identifier) {
		tb.t.Errorf("address is %s after the search, want it to carry q=%s", loc, identifier)
	}
}

// consoleWatch collects what the page logs: console calls, browser log
// entries (where Chromium reports CSP violations) and uncaught exceptions.
type consoleWatch struct {
	mu sync.Mutex
	// lines are the messages in the order they came.
	lines []string
	// violations are the CSP messages that came before the control marker.
	violations []string
	isMarked   bool
	// controlSeen closes at the first CSP message after the marker.
	controlSeen chan struct{}
}

// watchConsole starts collecting tb's console and log messages.
func watchConsole(tb *tab) *consoleWatch {
	tb.t.Helper()
	w := &consoleWatch{controlSeen: make(chan struct{})}
	if err := chromedp.Listen(tb.ctx, w.handle); err != nil {
		tb.fatalf("listen to the console: %v", err)
	}
	// chromedp enables the log domain when it opens a tab; enabling it
	// again is harmless and keeps the test independent of that.
	if _, err := chromedp.Call(tb.ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		tb.fatalf("enable the log domain: %v", err)
	}
	return w
}

// handle runs in the tab's event loop, so it only records.
func (w *consoleWatch) handle(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		parts := []string{"console." + string(ev.Type) + ":"}
		for _, arg := range ev.Args {
			if arg.Value != nil {
				parts = append(parts, string(arg.Value))
			} else {
				parts = append(parts, arg.Description)
			}
		}
		msg = strings.Join(parts, " ")
	case *cdplog.EventEntryAdded:
		msg = "log " + string(ev.Entry.Source) + " " + string(ev.Entry.Level) + ": " + ev.Entry.Text
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	default:
		return
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, msg)
	switch {
	case strings.Contains(msg, controlMarker):
		w.isMarked = true
	case !isCSPMessage(msg):
	case !w.isMarked:
		w.violations = append(w.violations, msg)
	default:
		select {
		case <-w.controlSeen:
		default:
			close(w.controlSeen)
		}
	}
}

func (w *consoleWatch) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.lines)
}

func (w *consoleWatch) appViolations() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.violations)
}

func isCSPMessage(msg string) bool {
	lower := strings.ToLower(msg)
	return strings.Contains(lower, "content security policy") ||
		strings.Contains(lower, "content-security-policy")
}
