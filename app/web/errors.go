package web

import (
	"context"
	sqldriver "database/sql/driver"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"

	"goaltracker/app/problem"
	"goaltracker/views/errorpage"
)

var (
	errPanic = errors.New("handler panicked")
	// errCSRF refuses a change that did not carry the page's CSRF token:
	// most often a form left open across a sign-out.
	errCSRF = errors.New("missing or wrong csrf token")
)

// handleError answers a failed request with an error page, or with the
// error panel for an htmx request, and logs server faults once. It maps
// the domain's kinds of failure to statuses; anything unknown is a 500
// whose detail stays in the log.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	v := describeError(err)
	if v.Status >= 500 {
		s.log.ErrorContext(c.UserContext(), "request failed", "error", err,
			"path", c.Path(), "status", v.Status)
	}

	s.setSecurityHeaders(c)
	c.Status(v.Status)
	if isHTMX(c) {
		// htmx swaps error answers too (see the layout's htmx config); an
		// error replaces the main area, not the small target that asked.
		c.Set("HX-Retarget", "#main")
		c.Set("HX-Reswap", "innerHTML")
		return s.renderStatus(c, v.Status, errorpage.ErrorPanel(v))
	}
	return s.renderStatus(c, v.Status, errorpage.ErrorPage(s.page(c, v.Title, ""), v))
}

func describeError(err error) errorpage.View {
	var ferr *fiber.Error
	if errors.As(err, &ferr) {
		return viewForStatus(ferr.Code)
	}
	if inv, ok := problem.AsInvalid(err); ok {
		v := viewForStatus(http.StatusUnprocessableEntity)
		v.Message = inv.Error()
		return v
	}
	switch {
	case errors.Is(err, errCSRF):
		v := viewForStatus(http.StatusForbidden)
		v.Title = "Page out of date"
		v.Message = "This form expired or was opened before you signed in or out. Reload the page and try again."
		return v
	case errors.Is(err, problem.ErrNotFound):
		return viewForStatus(http.StatusNotFound)
	case errors.Is(err, problem.ErrForbidden):
		return viewForStatus(http.StatusForbidden)
	case errors.Is(err, problem.ErrConflict):
		return viewForStatus(http.StatusConflict)
	case errors.Is(err, problem.ErrTooLarge):
		return viewForStatus(http.StatusRequestEntityTooLarge)
	case errors.Is(err, context.DeadlineExceeded), databaseUnavailable(err):
		return viewForStatus(http.StatusServiceUnavailable)
	}
	return viewForStatus(http.StatusInternalServerError)
}

// viewForStatus gives each status a title and a sentence a person can act
// on. Nothing here reveals what exists or why a server fault happened.
func viewForStatus(status int) errorpage.View {
	v := errorpage.View{Status: status}
	switch status {
	case http.StatusNotFound:
		v.Title, v.Message = "Page not found",
			"There is nothing here, or it is not yours to see. Check the address, or go back to your students."
	case http.StatusForbidden:
		v.Title, v.Message = "Not allowed", "Your account may not do this. Ask your program or district admin if you need it."
	case http.StatusConflict:
		v.Title, v.Message = "Changed by someone else", "This record changed since you opened it. Reload to see the current version."
	case http.StatusRequestEntityTooLarge:
		v.Title, v.Message = "Too large", "What you sent is larger than this server accepts. Send a smaller file or less text."
	case http.StatusUnprocessableEntity:
		v.Title, v.Message = "Please check your input", "Some of what you entered could not be used."
	case http.StatusMethodNotAllowed:
		v.Title, v.Message = "Not available", "This address does not answer that kind of request."
	case http.StatusTooManyRequests:
		v.Title, v.Message = "Too many attempts", "Please wait a few minutes and try again."
	case http.StatusServiceUnavailable:
		v.Title, v.Message = "Temporarily unavailable", "The server is busy or its database is not answering. Try again in a minute."
	default:
		if status < 500 {
			v.Title, v.Message = "Request not understood", "The request could not be read. Reload the page and try again."
		} else {
			v.Status = http.StatusInternalServerError
			v.Title, v.Message = "Something went wrong", "The error has been logged. Try again, and tell your admin if it keeps happening."
		}
	}
	return v
}

// databaseUnavailable reports whether err means the database could not be
// reached or went away (restarting, shutting down, refusing connections),
// which is answered 503: a wait, not a fault of the app. The pool opens
// new connections once the database is back.
func databaseUnavailable(err error) bool {
	// A failed connection may carry the server's refusal as a PgError of
	// any code ("not accepting connections"), so it is tested first.
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08 is connection exceptions; 57P01-57P03 are an
		// administrator's shutdown, a crash shutdown and "cannot connect
		// now" while the server starts.
		return strings.HasPrefix(pgErr.Code, "08") ||
			pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, sqldriver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.SafeToRetry(err) || isClosedConn(err)
}

// isClosedConn recognises the errors of a connection the server closed
// under a statement, which pgx reports as plain text.
func isClosedConn(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF") ||
		strings.Contains(msg, "connection reset by peer") || strings.Contains(msg, "broken pipe")
}
