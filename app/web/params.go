package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// paramID reads a positive id from the route parameter name. Anything else
// is answered 404, like an id that does not exist.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// formVersion reads the version an edit started from. A missing or
// unreadable version counts as stale: such an edit is answered with the
// conflict form, never applied blindly.
func formVersion(c *fiber.Ctx) time.Time {
	v, err := time.Parse(time.RFC3339Nano, c.FormValue("version"))
	if err != nil {
		return time.Unix(0, 0)
	}
	return v
}

func versionString(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// formText copies a form value, which Fiber would reuse after the request.
func formText(c *fiber.Ctx, name string) string { return strings.Clone(c.FormValue(name)) }

func formatNumber(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("Jan 2, 2006")
}

func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
