package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

func TestParseCursor(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"2026-12-01_42": true, "2026-12-01_0": false, "2026-12-01-42": false, "": false,
		"2026-13-01_4": false, "2026-12-01_x": false, "2026-12-01_": false,
	} {
		if _, _, got := parseCursor(raw); got != ok {
			t.Errorf("parseCursor(%q) ok = %v, want %v", raw, got, ok)
		}
	}
}

// FuzzStudentFilter sends any query to the student list's decoder: it
// returns parameters within their limits or messages, and never panics.
func FuzzStudentFilter(f *testing.F) {
	app := fiber.New()
	var got struct {
		q        string
		page     int
		program  int64
		messages int
	}
	app.Get("/", func(c *fiber.Ctx) error {
		p, errs := parseStudentFilter(c)
		got.q, got.page, got.program, got.messages = p.Query, p.Page, p.ProgramID, len(errs)
		return nil
	})
	f.Add("RV-1", "2", "3")
	f.Add("\xff", "-1", "all")
	f.Add("%_\\", "99999999999", "0x10")
	f.Fuzz(func(t *testing.T, q, page, program string) {
		v := url.Values{"q": {q}, "page": {page}, "program": {program}}
		if _, err := app.Test(httptest.NewRequest(http.MethodGet, "/?"+v.Encode(), nil)); err != nil {
			t.Fatalf("request: %v", err)
		}
		if got.messages == 0 && (!utf8.ValidString(got.q) || utf8.RuneCountInString(got.q) > 50) {
			t.Fatalf("accepted search %q", got.q)
		}
		if got.page < 1 || got.page > 100_000 || got.program < 0 {
			t.Fatalf("accepted page %d, program %d", got.page, got.program)
		}
	})
}

func TestLinkLifetime(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		7 * 24 * time.Hour: "7 days", 24 * time.Hour: "1 day", 2 * time.Hour: "2 hours",
		time.Hour: "1 hour", 30 * time.Minute: "30 minutes", time.Minute: "1 minute",
		90 * time.Second: "1m30s",
	} {
		if got := linkLifetime(d); got != want {
			t.Errorf("linkLifetime(%v) = %q, want %q", d, got, want)
		}
	}
}
