// Package layout renders the frame every full page shares: the document
// head, the navigation, flash messages and the live region that announces
// content htmx swaps in.
package layout

import "strconv"

// Page is what the frame needs to know about the page inside it.
type Page struct {
	// Title is the page's own title; the product name is added after it.
	Title string
	// Section names the navigation entry to mark as current.
	Section string
	// Nav lists the navigation entries the person may use.
	Nav []NavItem
	// UserName is the signed-in person's name, empty when signed out.
	UserName string
	// CSRFToken is sent by htmx with every request that changes something.
	CSRFToken string
	// Flashes are one-time messages from the previous request.
	Flashes []Flash
	// Programs are the signed-in person's programs, for the switcher shown
	// when there are several; CurrentProgramID is the one picked.
	Programs         []ProgramChoice
	CurrentProgramID int64
}

// ProgramChoice is one program of the switcher.
type ProgramChoice struct {
	ID   int64
	Name string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Section string
	Label   string
	Href    string
}

// Flash is a one-time message; Kind is "success", "info" or "error".
type Flash struct {
	Kind    string
	Message string
}

func programValue(id int64) string { return strconv.FormatInt(id, 10) }

// htmxConfig turns off htmx's injected indicator styles (a <style> element
// a strict Content-Security-Policy refuses) and its use of eval, and keeps
// requests on our own origin. Answers 409 and 422 carry the form to show
// again (a conflict, or the messages of bad input), so they are swapped in
// like successes; other errors are swapped too, where the error handler's
// HX-Retarget puts them.
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,` +
	`"allowScriptTags":false,"selfRequestsOnly":true,"responseHandling":[` +
	`{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"409","swap":true},{"code":"422","swap":true},` +
	`{"code":"[45]..","swap":true,"error":true}]}`

func csrfHeaders(token string) string {
	if token == "" {
		return ""
	}
	return `{"X-CSRF-Token":"` + token + `"}`
}
