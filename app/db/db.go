// Package db connects the application to PostgreSQL: it opens the pool that
// Bun, River and bulk loads share, runs the schema migrations, and, when no
// server is configured, starts a private cluster from the machine's
// PostgreSQL binaries.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB is the application's handle on its database: Bun for the domain stores,
// and a pgx pool for River and COPY-based bulk loads. Each has its own
// connections, at most MaxConns each.
type DB struct {
	*bun.DB
	Pool *pgxpool.Pool
}

// Open connects to the database at dsn (a URL or key=value string) and checks
// that it answers. The caller closes the returned DB.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database address: %w", err)
	}
	cfg.MaxConnLifetime = time.Hour
	cfg.MaxConnIdleTime = 5 * time.Minute

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("reach database %s: %w", cfg.ConnConfig.Database, err)
	}

	return &DB{DB: bun.NewDB(openSQL(cfg), pgdialect.New()), Pool: pool}, nil
}

// openSQL opens the database/sql handle Bun works through, on connections
// of its own. Bun writes its arguments into the SQL text itself, so every
// statement is new to the server: pgx's default of preparing and caching
// each one would cost a round trip and a cache entry per query. Exec mode
// sends each in one round trip instead. The pgx pool keeps the default for
// River's and COPY's parameterised statements.
func openSQL(cfg *pgxpool.Config) *sql.DB {
	conn := cfg.ConnConfig.Copy()
	conn.DefaultQueryExecMode = pgx.QueryExecModeExec
	sqldb := stdlib.OpenDB(*conn)
	sqldb.SetMaxOpenConns(int(cfg.MaxConns))
	sqldb.SetMaxIdleConns(int(cfg.MaxConns))
	sqldb.SetConnMaxLifetime(cfg.MaxConnLifetime)
	sqldb.SetConnMaxIdleTime(cfg.MaxConnIdleTime)
	return sqldb
}

// Close closes Bun's handle and then the pool beneath it.
func (db *DB) Close() {
	_ = db.DB.Close()
	db.Pool.Close()
}

// SQL returns the database/sql handle Bun wraps, for River's database/sql
// driver, which lets a job be inserted in a Bun transaction.
func (db *DB) SQL() *sql.DB { return db.DB.DB }

// WithDatabase returns dsn pointed at database name instead of the one it
// names. It understands both URL and key=value forms.
func WithDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse database address: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	// In key=value strings a later key wins over an earlier one.
	return strings.TrimSpace(dsn) + " dbname=" + name, nil
}
