package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()

	cfg, err := Load(lookupFrom(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.Addr != "127.0.0.1:3000" || cfg.DataDir != ".data" || cfg.DatabaseURL != "" {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
	if cfg.BaseURL.String() != "http://127.0.0.1:3000" {
		t.Errorf("BaseURL = %s", cfg.BaseURL)
	}
	if cfg.LogLevel != slog.LevelInfo || cfg.LogFormat != "text" || !cfg.IsDevelopment() {
		t.Errorf("logging or env defaults wrong: %+v", cfg)
	}
	if cfg.DemoPassword != "demo-password-2026" || !cfg.MigrateOnStart {
		t.Errorf("demo or migrate defaults wrong: %+v", cfg)
	}
	if cfg.BodyLimitBytes != 8<<20 || cfg.RequestTimeout != 30*time.Second {
		t.Errorf("limits wrong: %+v", cfg)
	}
}

func TestLoadOverrides(t *testing.T) {
	t.Parallel()

	cfg, err := Load(lookupFrom(map[string]string{
		"APP_ENV":           "production",
		"DATABASE_URL":      "postgres://db/app",
		"ADDR":              "0.0.0.0:8080",
		"BASE_URL":          "https://goals.example.org/",
		"LOG_LEVEL":         "debug",
		"LOG_FORMAT":        "JSON",
		"MIGRATE_ON_START":  "false",
		"BODY_LIMIT_MB":     "2",
		"SMTP_URL":          "smtps://mailer:secret@mail.example.org:465",
		"LOCKOUT_THRESHOLD": "3",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.IsDevelopment() || cfg.Addr != "0.0.0.0:8080" || cfg.LogFormat != "json" {
		t.Errorf("overrides not applied: %+v", cfg)
	}
	if cfg.BaseURL.String() != "https://goals.example.org" {
		t.Errorf("BaseURL = %s, want the trailing slash trimmed", cfg.BaseURL)
	}
	if cfg.SMTPURL == "" || cfg.LockoutThreshold != 3 {
		t.Errorf("account overrides not applied: %+v", cfg)
	}
	if cfg.LogLevel != slog.LevelDebug || cfg.MigrateOnStart || cfg.BodyLimitBytes != 2<<20 {
		t.Errorf("overrides not applied: %+v", cfg)
	}
}

func TestLoadNamesEveryBadVariable(t *testing.T) {
	t.Parallel()

	_, err := Load(lookupFrom(map[string]string{
		"APP_ENV":                 "staging",
		"ADDR":                    "3000",
		"BASE_URL":                "goals.example.org",
		"LOG_LEVEL":               "loud",
		"LOG_FORMAT":              "xml",
		"MIGRATE_ON_START":        "sometimes",
		"BODY_LIMIT_MB":           "-1",
		"REQUEST_TIMEOUT_SECONDS": "soon",
		"DEMO_PASSWORD":           "short",
		"SMTP_URL":                "http://user:hunter2@mail",
		"TRUSTED_PROXY_HEADER":    "X-Forwarded-For",
	}))
	if err == nil {
		t.Fatal("Load accepted invalid variables")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the error repeats a password: %v", err)
	}
	for _, name := range []string{
		"APP_ENV", "ADDR", "BASE_URL", "LOG_LEVEL", "LOG_FORMAT",
		"MIGRATE_ON_START", "BODY_LIMIT_MB", "REQUEST_TIMEOUT_SECONDS", "DEMO_PASSWORD",
		"SMTP_URL", "TRUSTED_PROXIES",
	} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestLoadExportRetention(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		value   string
		want    time.Duration
		isValid bool
	}{
		{"", 30 * 24 * time.Hour, true},
		{"7", 7 * 24 * time.Hour, true},
		{"3660", 3660 * 24 * time.Hour, true},
		{"0", 0, false},
		{"-3", 0, false},
		{"3661", 0, false},
		{"a month", 0, false},
	} {
		cfg, err := Load(lookupFrom(map[string]string{"EXPORT_RETENTION_DAYS": tc.value}))
		if !tc.isValid {
			if err == nil || !strings.Contains(err.Error(), "EXPORT_RETENTION_DAYS") {
				t.Errorf("EXPORT_RETENTION_DAYS=%q: error %v, want one naming the variable", tc.value, err)
			}
			continue
		}
		if err != nil || cfg.ExportRetention != tc.want {
			t.Errorf("EXPORT_RETENTION_DAYS=%q: %v, %v; want %v", tc.value, cfg.ExportRetention, err, tc.want)
		}
	}
}

func TestLoadJobRescue(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		timeout, rescue string
		want            time.Duration
		isValid         bool
	}{
		{"", "", 65 * time.Minute, true},
		{"1", "", 6 * time.Minute, true},
		{"1", "65", 65 * time.Second, true},
		{"1", "60", 0, false},
		{"1", "30", 0, false},
		{"", "0", 0, false},
		{"", "soon", 0, false},
	} {
		cfg, err := Load(lookupFrom(map[string]string{"JOB_TIMEOUT_MINUTES": tc.timeout,
			"JOB_RESCUE_SECONDS": tc.rescue}))
		if !tc.isValid {
			if err == nil || !strings.Contains(err.Error(), "JOB_RESCUE_SECONDS") {
				t.Errorf("timeout %q, rescue %q: error %v, want one naming JOB_RESCUE_SECONDS",
					tc.timeout, tc.rescue, err)
			}
			continue
		}
		if err != nil || cfg.JobRescueAfter != tc.want {
			t.Errorf("timeout %q, rescue %q: %v, %v; want %v", tc.timeout, tc.rescue, cfg.JobRescueAfter, err, tc.want)
		}
	}
}
