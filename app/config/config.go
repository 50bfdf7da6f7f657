// Package config loads the application's settings from the environment, once,
// in main. Every setting has a default that serves the demo on a laptop; Load
// validates them all and names the variable at fault.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environments the app knows. Development adds conveniences that must never
// reach a real district, such as the mailbox page.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Config is every setting of the application. The README has a table of the
// variables with their defaults; keep the two in step.
type Config struct {
	// Env is development or production (APP_ENV).
	Env string
	// DatabaseURL points at an existing PostgreSQL server. Empty means a
	// private cluster in DataDir/postgres is started and used.
	DatabaseURL string
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// BaseURL is the address people reach the app at; links in emails are
	// built from it, never from a request's Host header.
	BaseURL *url.URL
	// DataDir holds the private cluster and other local state.
	DataDir string
	// LogLevel and LogFormat shape the structured log.
	LogLevel  slog.Level
	LogFormat string
	// DemoPassword is the password of every demo account.
	DemoPassword string
	// MigrateOnStart runs pending migrations when serve starts.
	MigrateOnStart bool
	// BodyLimitBytes caps request bodies; larger ones get a 413.
	BodyLimitBytes int
	// RequestTimeout bounds the work of one request.
	RequestTimeout time.Duration
	// ShutdownTimeout is how long a stopping server waits for requests.
	ShutdownTimeout time.Duration

	// SessionIdleTimeout ends a session nobody used for this long;
	// SessionLifetime ends any session this long after sign-in.
	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration
	// SessionCache keeps sessions in memory between requests, kept in
	// step by PostgreSQL's notifications; off, every request reads its
	// session from the database.
	SessionCache bool
	// LockoutThreshold failed sign-ins in a row lock an account for
	// LockoutDuration.
	LockoutThreshold int
	LockoutDuration  time.Duration
	// PasswordHistory is how many earlier passwords may not be chosen again.
	PasswordHistory int
	// ResetTokenLifetime is how long an emailed reset link works.
	ResetTokenLifetime time.Duration
	// LoginRatePerMinute and ResetRatePerMinute cap attempts per client
	// address; more are answered 429.
	LoginRatePerMinute int
	ResetRatePerMinute int
	// TrustedProxyHeader names the header (such as X-Forwarded-For) that a
	// reverse proxy in front of the app sets to the client's address;
	// empty means the connection's own address is used.
	TrustedProxyHeader string
	// TrustedProxies are the addresses or CIDR ranges of those proxies.
	TrustedProxies []string
	// SMTPURL is where mail goes (smtp:// or smtps://user:pass@host:port).
	// Empty in development means mail is logged and listed at /dev/mail.
	SMTPURL string
	// MailFrom is the sender of every mail.
	MailFrom string

	// RunWorkers makes serve run the background job workers too.
	RunWorkers bool
	// ReportWorkers and ExportWorkers are how many jobs of each queue one
	// process runs at once.
	ReportWorkers int
	ExportWorkers int
	// JobTimeout bounds one attempt of a job; a district's compile must fit.
	JobTimeout time.Duration
	// JobRescueAfter is how long a job stays with a worker that stopped
	// answering (its process died) before another worker takes it over.
	// It exceeds JobTimeout, so a live attempt is never run twice.
	JobRescueAfter time.Duration
	// SchoolYearStart is the month a district's default calendar starts in.
	SchoolYearStart time.Month
	// CompileHour is the hour of the night (server time) the scheduled
	// compiles run.
	CompileHour int
	// ExportRetention is how long a built workbook is kept; a periodic
	// job deletes older ones.
	ExportRetention time.Duration
}

// IsDevelopment reports whether the app runs with development conveniences.
func (c *Config) IsDevelopment() bool { return c.Env == EnvDevelopment }

// Load reads the configuration through lookup (os.LookupEnv in main, a map in
// tests). It returns every invalid variable at once, joined, so a person
// fixing the environment sees all of it.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	r := reader{lookup: lookup}
	cfg := &Config{
		Env:             r.oneOf("APP_ENV", EnvDevelopment, EnvDevelopment, EnvProduction),
		DatabaseURL:     r.str("DATABASE_URL", ""),
		Addr:            r.addr("ADDR", "127.0.0.1:3000"),
		DataDir:         r.str("DATA_DIR", ".data"),
		LogLevel:        r.level("LOG_LEVEL", slog.LevelInfo),
		LogFormat:       r.oneOf("LOG_FORMAT", "text", "text", "json"),
		DemoPassword:    r.str("DEMO_PASSWORD", "demo-password-2026"),
		MigrateOnStart:  r.boolean("MIGRATE_ON_START", true),
		BodyLimitBytes:  r.positive("BODY_LIMIT_MB", 8) << 20,
		RequestTimeout:  time.Duration(r.positive("REQUEST_TIMEOUT_SECONDS", 30)) * time.Second,
		ShutdownTimeout: time.Duration(r.positive("SHUTDOWN_TIMEOUT_SECONDS", 20)) * time.Second,
	}
	cfg.BaseURL = r.baseURL("BASE_URL", "http://"+cfg.Addr)
	r.loadAccounts(cfg)
	r.loadJobs(cfg)
	if len(cfg.DemoPassword) < 12 {
		r.fail("DEMO_PASSWORD", "must be at least 12 characters")
	}
	if cfg.DataDir == "" {
		r.fail("DATA_DIR", "must not be empty")
	}
	return cfg, errors.Join(r.errs...)
}

// loadAccounts reads the settings of sign-in, sessions and mail.
func (r *reader) loadAccounts(cfg *Config) {
	cfg.SessionIdleTimeout = time.Duration(r.positive("SESSION_IDLE_MINUTES", 60)) * time.Minute
	cfg.SessionLifetime = time.Duration(r.positive("SESSION_LIFETIME_HOURS", 12)) * time.Hour
	cfg.SessionCache = r.boolean("SESSION_CACHE", true)
	cfg.LockoutThreshold = r.positive("LOCKOUT_THRESHOLD", 5)
	cfg.LockoutDuration = time.Duration(r.positive("LOCKOUT_MINUTES", 15)) * time.Minute
	cfg.PasswordHistory = r.positive("PASSWORD_HISTORY", 5)
	cfg.ResetTokenLifetime = time.Duration(r.positive("RESET_TOKEN_MINUTES", 30)) * time.Minute
	cfg.LoginRatePerMinute = r.positive("LOGIN_RATE_PER_MINUTE", 10)
	cfg.ResetRatePerMinute = r.positive("RESET_RATE_PER_MINUTE", 5)
	cfg.TrustedProxyHeader = r.str("TRUSTED_PROXY_HEADER", "")
	cfg.TrustedProxies = r.list("TRUSTED_PROXIES")
	if cfg.TrustedProxyHeader != "" && len(cfg.TrustedProxies) == 0 {
		r.fail("TRUSTED_PROXIES", "must list the proxies' addresses when TRUSTED_PROXY_HEADER is set")
	}
	cfg.SMTPURL = r.smtpURL("SMTP_URL")
	cfg.MailFrom = r.str("MAIL_FROM", "Goal Tracker <no-reply@goaltracker.invalid>")
	if cfg.SMTPURL == "" && cfg.Env == EnvProduction {
		r.fail("SMTP_URL", "must be set in production, or password reset mails go nowhere")
	}
}

// loadJobs reads the settings of the background jobs.
func (r *reader) loadJobs(cfg *Config) {
	cfg.RunWorkers = r.boolean("RUN_WORKERS", true)
	cfg.ReportWorkers = r.positive("REPORT_WORKERS", 2)
	cfg.ExportWorkers = r.positive("EXPORT_WORKERS", 1)
	cfg.JobTimeout = time.Duration(r.positive("JOB_TIMEOUT_MINUTES", 60)) * time.Minute
	rescue := cfg.JobTimeout + 5*time.Minute
	if r.str("JOB_RESCUE_SECONDS", "") != "" {
		rescue = time.Duration(r.positive("JOB_RESCUE_SECONDS", 0)) * time.Second
	}
	if rescue <= cfg.JobTimeout {
		r.fail("JOB_RESCUE_SECONDS", "must be longer than JOB_TIMEOUT_MINUTES, or a job still running could run twice")
		rescue = cfg.JobTimeout + 5*time.Minute
	}
	cfg.JobRescueAfter = rescue
	month := r.positive("SCHOOL_YEAR_START_MONTH", 8)
	if month > 12 {
		r.fail("SCHOOL_YEAR_START_MONTH", "must be a month number from 1 to 12")
		month = 8
	}
	cfg.SchoolYearStart = time.Month(month)
	cfg.CompileHour = r.positive("COMPILE_HOUR", 2)
	if cfg.CompileHour > 23 {
		r.fail("COMPILE_HOUR", "must be an hour from 0 to 23")
		cfg.CompileHour = 2
	}
	days := r.positive("EXPORT_RETENTION_DAYS", 30)
	if days > maxRetentionDays {
		r.fail("EXPORT_RETENTION_DAYS", fmt.Sprintf("must be at most %d days", maxRetentionDays))
		days = 30
	}
	cfg.ExportRetention = time.Duration(days) * 24 * time.Hour
}

// maxRetentionDays caps EXPORT_RETENTION_DAYS at ten years, far below the
// point where the days would overflow a time.Duration.
const maxRetentionDays = 3660

func (r *reader) list(name string) []string {
	var out []string
	for _, v := range strings.Split(r.str(name, ""), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (r *reader) smtpURL(name string) string {
	v := r.str(name, "")
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		// The value may hold a password, so it is not echoed.
		r.fail(name, "is not an smtp:// or smtps:// address with a host")
		return ""
	}
	return v
}

// FromEnvironment loads the configuration from the process environment.
func FromEnvironment() (*Config, error) { return Load(os.LookupEnv) }

type reader struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (r *reader) fail(name, problem string) {
	r.errs = append(r.errs, fmt.Errorf("%s %s", name, problem))
}

func (r *reader) str(name, def string) string {
	if v, ok := r.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(r.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, fmt.Sprintf("is %q; use one of %s", v, strings.Join(allowed, ", ")))
	return def
}

func (r *reader) positive(name string, def int) int {
	v := r.str(name, strconv.Itoa(def))
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.fail(name, fmt.Sprintf("is %q; use a whole number above 0", v))
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, strconv.FormatBool(def))
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("is %q; use true or false", v))
		return def
	}
	return b
}

func (r *reader) level(name string, def slog.Level) slog.Level {
	var l slog.Level
	v := r.str(name, def.String())
	if err := l.UnmarshalText([]byte(v)); err != nil {
		r.fail(name, fmt.Sprintf("is %q; use debug, info, warn or error", v))
		return def
	}
	return l
}

func (r *reader) addr(name, def string) string {
	v := r.str(name, def)
	if _, _, err := net.SplitHostPort(v); err != nil {
		r.fail(name, fmt.Sprintf("is %q; use host:port, such as 127.0.0.1:3000", v))
		return def
	}
	return v
}

func (r *reader) baseURL(name, def string) *url.URL {
	v := strings.TrimRight(r.str(name, def), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.fail(name, fmt.Sprintf("is %q; use an absolute http or https address", v))
		u, _ = url.Parse(def)
	}
	return u
}
