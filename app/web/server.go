// Package web is the HTTP face of the application: the routes, the
// middleware every request passes through, and the handlers that parse a
// request, call a domain service and render a templ component.
package web

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/account"
	"goaltracker/app/config"
	"goaltracker/app/db"
	"goaltracker/app/goal"
	"goaltracker/app/health"
	"goaltracker/app/mail"
	"goaltracker/app/progress"
	"goaltracker/app/report"
	"goaltracker/app/student"
	"goaltracker/jobs"
)

// Server holds what the handlers need. Handlers are its methods, so each
// one reaches the services without globals.
type Server struct {
	app      *fiber.App
	cfg      *config.Config
	log      *slog.Logger
	db       *db.DB
	accounts *account.Service
	checker  *access.Checker
	students *student.Service
	goals    *goal.Service
	entries  *progress.Service
	health   *health.Service
	reports  *report.Service
	// jobs enqueues background jobs inside the transaction of the change
	// that causes them.
	jobs *jobs.Inserter
	// now is the clock; tests replace it.
	now    func() time.Time
	mailer mail.Sender
	// mailbox is the development mailbox, nil when mail really goes out.
	mailbox *mail.Mailbox
	// declared maps "METHOD /path" to what the route requires.
	declared map[string]need
	// background counts mails still being sent after their request.
	background sync.WaitGroup

	limitLogins fiber.Handler
	limitResets fiber.Handler
}

// Deps are the parts a Server is built from.
type Deps struct {
	Config   *config.Config
	Logger   *slog.Logger
	DB       *db.DB
	Accounts *account.Service
	// Mailer sends mail; nil means the development mailbox, which only
	// development allows.
	Mailer mail.Sender
	// Jobs enqueues background jobs; nil means an inserter on DB's own
	// database/sql handle.
	Jobs *jobs.Inserter
}

// New returns a Server whose Fiber app has every route and middleware in
// place.
func New(d Deps) (*Server, error) {
	if d.Config == nil || d.Logger == nil || d.DB == nil || d.Accounts == nil {
		return nil, errors.New("web: config, logger, database and accounts are required")
	}
	s := &Server{
		cfg:      d.Config,
		log:      d.Logger,
		db:       d.DB,
		accounts: d.Accounts,
		checker:  access.NewChecker(d.DB),
		students: student.NewService(d.DB),
		goals:    goal.NewService(d.DB),
		entries:  progress.NewService(d.DB),
		health:   health.NewService(d.DB),
		reports:  report.NewService(d.DB),
		jobs:     d.Jobs,
		now:      time.Now,
		mailer:   d.Mailer,
		declared: map[string]need{},
	}
	if s.jobs == nil {
		inserter, err := jobs.NewInserter(d.DB.SQL())
		if err != nil {
			return nil, err
		}
		s.jobs = inserter
	}
	if s.mailer == nil {
		if !d.Config.IsDevelopment() {
			return nil, errors.New("web: a mailer is required outside development")
		}
		s.mailbox = mail.NewMailbox(d.Logger)
		s.mailer = s.mailbox
	}
	s.limitLogins = s.newLimiter(d.Config.LoginRatePerMinute)
	s.limitResets = s.newLimiter(d.Config.ResetRatePerMinute)

	app := fiber.New(fiber.Config{
		AppName:               "Goal Tracker",
		BodyLimit:             d.Config.BodyLimitBytes,
		ReadTimeout:           d.Config.RequestTimeout,
		WriteTimeout:          d.Config.RequestTimeout + 5*time.Second,
		IdleTimeout:           2 * time.Minute,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// Client addresses come from the connection, or from the proxy
		// header only when the request comes from a configured proxy.
		EnableTrustedProxyCheck: true,
		ProxyHeader:             d.Config.TrustedProxyHeader,
		TrustedProxies:          d.Config.TrustedProxies,
	})
	s.routes(app)
	s.app = app
	return s, nil
}

// App returns the Fiber app that serves the routes.
func (s *Server) App() *fiber.App { return s.app }

// Wait blocks until mails sent in the background are out, for a clean
// shutdown.
func (s *Server) Wait() { s.background.Wait() }

// today is the current day, as the date entries are logged on.
func (s *Server) today() time.Time {
	y, m, d := s.now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
