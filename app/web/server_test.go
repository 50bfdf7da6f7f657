package web

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"goaltracker/static"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)

	res := a.get("/healthz")
	if res.StatusCode != http.StatusOK || res.body != "ok\n" {
		t.Fatalf("healthz = %d %q", res.StatusCode, res.body)
	}

	a.db.Close()
	res = a.get("/healthz")
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed = %d, want 503", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()

	for _, path := range []string{"/students", "/no-such-page"} {
		res := a.get(path)
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			res.Header.Get("Referrer-Policy") != "same-origin" || res.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers = %v", path, res.Header)
		}
	}
}

func TestStaticFilesAreHashedAndCached(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)

	url := static.URL("vendor/htmx.min.js")
	res := a.get(url)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "htmx") {
		t.Fatalf("GET %s = %d", url, res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("Content-Type = %q", ct)
	}

	if res := a.get("/static/vendor/htmx.min.js"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unhashed name answered %d, want 404", res.StatusCode)
	}
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.seedLeader()

	page := a.get("/no-such-page")
	if page.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d", page.StatusCode)
	}
	mustContain(t, page.body, "<!doctype html>", "Page not found")

	frag := a.get("/no-such-page", "HX-Request", "true")
	if frag.StatusCode != http.StatusNotFound || frag.Header.Get("HX-Retarget") != "#main" {
		t.Errorf("htmx 404 = %d, retarget %q", frag.StatusCode, frag.Header.Get("HX-Retarget"))
	}
	mustContain(t, frag.body, "Page not found")
	mustNotContain(t, frag.body, "<html")
}

func TestBodyOverLimitIs413(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)

	// Fiber's test helper refuses large bodies itself, so this one goes
	// through a real listener.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = a.app.Listener(ln) }()
	t.Cleanup(func() { _ = a.app.Shutdown() })

	body := strings.NewReader(strings.Repeat("x", 128<<10))
	res, err := http.Post("http://"+ln.Addr().String()+"/students",
		"application/x-www-form-urlencoded", body)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", res.StatusCode)
	}
	mustContain(t, string(b), "Too large")
	if res.Header.Get("Content-Security-Policy") == "" {
		t.Error("the 413 page has no Content-Security-Policy")
	}
}
