// Package dbtest gives each test its own PostgreSQL database, cloned from a
// template that holds the migrated schema, so tests run in parallel and
// never see each other's rows. The server is DATABASE_URL's when set, else
// the project's private cluster, started on first use and stopped by Main
// when the last test binary using it ends.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/config"
	"goaltracker/app/db"
	"goaltracker/migrations"
)

var (
	setupOnce sync.Once
	setupErr  error
	stop      func() error
	adminDSN  string
	template  string
)

// Main runs the tests of a package and then releases the database server.
// Every test package that uses New calls it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if stop != nil {
		if err := stop(); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest: stop server:", err)
		}
	}
	os.Exit(code)
}

// New returns a fresh database holding the migrated schema and the default
// roles, and drops it when the test ends. It skips the test when no server
// can be had (no DATABASE_URL and no PostgreSQL binaries), and fails it on
// any other error.
func New(t testing.TB) *db.DB {
	t.Helper()
	dsn := NewDSN(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	handle, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(handle.Close)
	return handle
}

// NewDSN is New without opening the database: it returns the connection
// string of a fresh migrated database, dropped when the test ends. Tests of
// code that opens its own connections use it.
func NewDSN(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyDSN returns the connection string of a fresh database with no
// schema at all, dropped when the test ends, for tests of the migrations
// themselves.
func NewEmptyDSN(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

func newDatabase(t testing.TB, isMigrated bool) string {
	t.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if errors.Is(setupErr, db.ErrNoServerBinaries) {
		t.Skipf("no database server for tests: %v", setupErr)
	}
	if setupErr != nil {
		t.Fatalf("prepare test database server: %v", setupErr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := "gt_test_" + randomHex(8)
	source := "template0"
	if isMigrated {
		source = template
	}
	if err := adminExec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{source}.Sanitize())); err != nil {
		t.Fatalf("clone test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		drop := fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{name}.Sanitize())
		if err := adminExec(ctx, drop); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})

	dsn, err := db.WithDatabase(adminDSN, name)
	if err != nil {
		t.Fatalf("address test database: %v", err)
	}
	return dsn
}

// setup finds or starts the server and makes sure the template for the
// current migrations exists.
func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	cfg, err := config.FromEnvironment()
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if cfg.DatabaseURL != "" {
		adminDSN = cfg.DatabaseURL
	} else {
		// The private cluster is shared with the app, but tests only ever
		// touch databases of their own, cloned from the template.
		dir := cfg.DataDir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		cluster, err := db.StartCluster(ctx, filepath.Join(dir, "postgres"), logger)
		if err != nil {
			return err
		}
		stop = cluster.Stop
		adminDSN = cluster.DSN("postgres")
	}

	template, err = templateName()
	if err != nil {
		return err
	}
	return ensureTemplate(ctx, logger)
}

// templateName names the template after a hash of the migrations, so a
// changed migration gets a new template instead of a stale one.
func templateName() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.FS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\n%d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return "gt_template_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// ensureTemplate builds the template once per server. Test binaries run in
// parallel, so an advisory lock makes one build it while the others wait;
// it is built under a scratch name and renamed, so a crash halfway never
// leaves a template that looks finished.
func ensureTemplate(ctx context.Context, logger *slog.Logger) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('goaltracker test template'))"); err != nil {
		return fmt.Errorf("lock test template: %w", err)
	}
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
		template).Scan(&exists)
	if err != nil || exists {
		return err
	}

	scratch := template + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{scratch}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop unfinished template: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{scratch}.Sanitize()); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	if err := migrateDatabase(ctx, scratch, logger); err != nil {
		return err
	}
	rename := fmt.Sprintf("ALTER DATABASE %s RENAME TO %s",
		pgx.Identifier{scratch}.Sanitize(), pgx.Identifier{template}.Sanitize())
	if _, err := conn.Exec(ctx, rename); err != nil {
		return fmt.Errorf("finish template: %w", err)
	}
	return nil
}

func migrateDatabase(ctx context.Context, name string, logger *slog.Logger) error {
	dsn, err := db.WithDatabase(adminDSN, name)
	if err != nil {
		return err
	}
	handle, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer handle.Close()
	if _, err := db.Migrate(ctx, handle, logger); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	return nil
}

func adminExec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// moduleRoot finds the directory holding go.mod, where DATA_DIR is relative
// to, whichever package directory the test runs in.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
