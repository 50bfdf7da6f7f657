package db

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/config"
)

// DatabaseName is the database the app uses inside its private cluster.
const DatabaseName = "goaltracker"

// Server is where the application's database lives: the server DATABASE_URL
// names, or a private cluster under DATA_DIR started for this process.
type Server struct {
	dsn       string
	cluster   *Cluster
	isCreated bool
}

// StartServer returns the configured server, or starts (or joins) the private
// cluster in DATA_DIR/postgres and makes sure its goaltracker database
// exists. The caller stops the server when done; for a configured server that
// does nothing.
func StartServer(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Server, error) {
	if cfg.DatabaseURL != "" {
		return &Server{dsn: cfg.DatabaseURL}, nil
	}

	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "postgres"))
	if err != nil {
		return nil, fmt.Errorf("resolve cluster directory: %w", err)
	}
	cluster, err := StartCluster(ctx, dir, logger)
	if err != nil {
		return nil, err
	}
	created, err := EnsureDatabase(ctx, cluster.DSN("postgres"), DatabaseName)
	if err != nil {
		_ = cluster.Stop()
		return nil, err
	}
	return &Server{dsn: cluster.DSN(DatabaseName), cluster: cluster, isCreated: created}, nil
}

// DSN is the connection string of the application's database.
func (s *Server) DSN() string { return s.dsn }

// IsPrivate reports whether the database lives in the private cluster.
func (s *Server) IsPrivate() bool { return s.cluster != nil }

// IsNew reports whether this start created the application's database, which
// is the moment to load the demo district.
func (s *Server) IsNew() bool { return s.isCreated }

// Stop releases the private cluster, shutting it down when no other process
// uses it. For a configured server it does nothing.
func (s *Server) Stop() error {
	if s.cluster == nil {
		return nil
	}
	return s.cluster.Stop()
}

// EnsureDatabase creates database name on the server that adminDSN reaches,
// unless it exists. It reports whether it created it.
func EnsureDatabase(ctx context.Context, adminDSN, name string) (bool, error) {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return false, fmt.Errorf("connect to create database %s: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	err = conn.QueryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return false, nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
	return true, nil
}
