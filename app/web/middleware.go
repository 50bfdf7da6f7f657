package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

type contextKey int

const requestIDKey contextKey = iota

// RequestID returns the id of the request ctx belongs to, or "" outside a
// request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestIDs numbers the requests of this process, after a random prefix
// that tells processes apart: an id names one request in the logs, and
// needs to be unique, not secret.
var requestIDs = struct {
	prefix string
	n      atomic.Uint64
}{prefix: randomHex(4)}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestContext gives each request an id (echoed in X-Request-Id and
// carried by every log line through the context) and a context with a
// deadline, which handlers pass on to the database.
func (s *Server) requestContext(c *fiber.Ctx) error {
	id := requestIDs.prefix + "-" + strconv.FormatUint(requestIDs.n.Add(1), 36)
	c.Set("X-Request-Id", id)

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(context.WithValue(ctx, requestIDKey, id))
	return c.Next()
}

// logRequest writes one line per request once the answer is known. Errors
// reach the error handler first (inside c.Next), so the status is final.
func (s *Server) logRequest(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			s.log.ErrorContext(c.UserContext(), "error page not written", "error", herr)
		}
	}

	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	} else if status >= 400 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(c.UserContext(), level, "request",
		slog.String("method", c.Method()),
		slog.String("path", c.Path()),
		slog.Int("status", status),
		slog.Int64("duration_ms", time.Since(start).Milliseconds()),
		slog.Bool("htmx", c.Get("HX-Request") == "true"),
	)
	return nil
}

// recoverPanic turns a panic in a handler into a 500 page instead of a
// dropped connection, and logs the stack once.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.ErrorContext(c.UserContext(), "panic", "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
			err = errPanic
		}
	}()
	return c.Next()
}

// contentSecurityPolicy allows scripts, styles and requests from our own
// origin only: no inline script, no eval, no third parties, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every answer carries. Vary: HX-Request
// tells caches that one URL answers a full page or a fragment depending on
// who asks.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders without the call onward, for the
// error handler, which also answers requests that never reached the
// middleware (a body over the limit is refused before routing).
func (s *Server) setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.cfg.BaseURL.Scheme == "https" {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	c.Vary("HX-Request")
}

// compressMin is the smallest answer worth compressing. An inline field
// or a timeline entry fits in one packet either way, and compressing it
// costs the server and the browser more than the bytes saved.
const compressMin = 1024

// compressLarge compresses answers of compressMin bytes or more, with
// brotli, gzip or deflate as the browser accepts.
func compressLarge() fiber.Handler {
	compress := fasthttp.CompressHandlerBrotliLevel(func(*fasthttp.RequestCtx) {},
		fasthttp.CompressBrotliDefaultCompression, fasthttp.CompressDefaultCompression)
	return func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil {
			return err
		}
		if len(c.Response().Body()) >= compressMin {
			compress(c.Context())
		}
		return nil
	}
}
