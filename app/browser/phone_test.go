package browser

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	// phoneWidth and phoneHeight are a small phone's screen in CSS pixels.
	phoneWidth  = 375
	phoneHeight = 740
	// maxTapsToQuickAdd is how many taps may lead from the student list to
	// a focused note field.
	maxTapsToQuickAdd = 3
)

func TestQuickAddOnPhone(t *testing.T) {
	h := newHarness(t)
	tb := h.tab()
	tb.viewport(phoneWidth, phoneHeight, chromedp.EmulateMobile)
	signInAs(h, tb, teacherEmail)

	if width := evaluate[int](tb, `document.documentElement.scrollWidth`); width > phoneWidth+1 {
		t.Errorf("the student list is %d px wide on a %d px screen, so it scrolls sideways; "+
			"the elements past the edge, furthest first: %s", width, phoneWidth, overflowing(tb, phoneWidth))
	}

	taps := 0
	tb.follow(firstLogLink)
	taps++
	if !strings.HasSuffix(tb.location(), "#quick-add") {
		tb.fatalf("the Log link led to %s, want a student page at #quick-add", tb.location())
	}
	tb.waitUntil(isInView("#qa-note"), "the note field in view, without scrolling, after the Log link")
	tb.click("#qa-note")
	taps++
	tb.waitUntil(`document.activeElement.id === "qa-note"`, "focus in the note field after tapping it")
	if taps > maxTapsToQuickAdd {
		t.Errorf("it took %d taps to reach the note field, want at most %d", taps, maxTapsToQuickAdd)
	}

	logEntry(tb, "Counted change to five dollars at the register")
	if width := evaluate[int](tb, `document.documentElement.scrollWidth`); width > phoneWidth+1 {
		t.Errorf("the student page is %d px wide on a %d px screen, so it scrolls sideways; "+
			"the elements past the edge, furthest first: %s", width, phoneWidth, overflowing(tb, phoneWidth))
	}
}

// isInView is a JavaScript expression that is true when the element sel
// lies wholly within the window.
func isInView(sel string) string {
	return `(() => {
		const el = document.querySelector(` + jsString(sel) + `);
		if (!el) return false;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.top >= 0 && r.left >= 0 &&
			r.bottom <= window.innerHeight && r.right <= window.innerWidth;
	})()`
}

// overflowing describes the elements that reach past edge, the width of
// the screen in CSS pixels, furthest first: those that a box between them
// and the page does not scroll or clip, and so make the page scroll
// sideways. A box clips only what it contains, which for an absolutely
// positioned element is its nearest positioned ancestor, not its parent.
func overflowing(tb *tab, edge int) string {
	tb.t.Helper()
	return evaluate[string](tb, `((edge) => {
		const isClipped = el => {
			let position = getComputedStyle(el).position;
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				if (position === "fixed") return false;
				const style = getComputedStyle(p);
				if (position === "absolute" && style.position === "static") continue;
				if (style.overflowX !== "visible") return true;
				position = style.position;
			}
			return false;
		};
		const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
			[...el.classList].map(c => "." + c).join("");
		const found = [];
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right > edge + 1 && !isClipped(el)) found.push({el, r});
		}
		found.sort((a, b) => b.r.right - a.r.right);
		const counts = new Map();
		for (const {el, r} of found) {
			const key = name(el) + " in " + name(el.parentElement) + " (right edge at " +
				Math.round(r.right) + " px, " + Math.round(r.width) + " px wide)";
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		return [...counts].slice(0, 8).map(([key, n]) => n > 1 ? n + " × " + key : key).
			join("; ") || "none found";
	})(`+strconv.Itoa(edge)+`)`)
}
