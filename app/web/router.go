package web

import (
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/problem"
)

// need is what a route requires of the person asking.
type need struct {
	isPublic bool
	resource string
	action   string
}

var (
	// public routes answer anyone: sign-in, password reset, health.
	public = need{isPublic: true}
	// signedIn routes answer anyone with a session.
	signedIn = need{}
)

// can requires a session whose role grants action on resource in some
// scope. Whether it covers the one record asked for is checked by the
// handler's service, against the record's student.
func can(resource, action string) need { return need{resource: resource, action: action} }

// router registers routes together with their needs, and enforces each
// need before the route's handlers run.
type router struct {
	app      *fiber.App
	s        *Server
	declared map[string]need
}

func (r *router) get(path string, n need, handlers ...fiber.Handler) {
	r.add(fiber.MethodGet, path, n, handlers)
}

func (r *router) post(path string, n need, handlers ...fiber.Handler) {
	r.add(fiber.MethodPost, path, n, handlers)
}

func (r *router) add(method, path string, n need, handlers []fiber.Handler) {
	r.declared[method+" "+path] = n
	if method == fiber.MethodGet {
		// Fiber answers HEAD for every GET route with the same handlers.
		r.declared[fiber.MethodHead+" "+path] = n
	}
	r.app.Add(method, path, append([]fiber.Handler{r.s.enforce(n)}, handlers...)...)
}

// enforce checks a route's need: a signed-out person is sent to sign in, a
// signed-in one without the permission gets 403.
func (s *Server) enforce(n need) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if n.isPublic {
			return c.Next()
		}
		p := principal(c)
		if p == nil {
			return s.requireSignIn(c)
		}
		if n.resource != "" && !p.Can(n.resource, n.action) {
			return problem.ErrForbidden
		}
		return c.Next()
	}
}
