package export

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// snapshot is two read-only transactions that see the same data: main,
// on a connection of the pool, and side, on a connection of its own that
// adopts main's snapshot. A query sent on side runs while main's results
// are being written: the database sorts the period's entries while the
// Goals sheet is streamed, instead of before the Entries sheet can start.
//
// side's connection is opened apart from the pool so that exports running
// at once never hold one pool connection each while waiting for a second.
type snapshot struct {
	main     pgx.Tx
	side     pgx.Tx
	sideConn *pgx.Conn
}

// readOnly is the mode of both transactions: repeatable read, so that
// every query of a workbook sees one state of the database.
var readOnly = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// snapshotSettings tune the planner for the workbook's queries.
const snapshotSettings = "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0"

// openSnapshot begins the two transactions. The caller closes the
// snapshot whatever happens next.
func openSnapshot(ctx context.Context, pool *pgxpool.Pool) (*snapshot, error) {
	s := &snapshot{}
	var err error
	if s.main, err = pool.BeginTx(ctx, readOnly); err != nil {
		return nil, fmt.Errorf("begin workbook snapshot: %w", err)
	}
	var id string
	if err := s.main.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
		s.close(ctx)
		return nil, fmt.Errorf("export workbook snapshot: %w", err)
	}
	if err := s.openSide(ctx, pool.Config().ConnConfig.Copy(), id); err != nil {
		s.close(ctx)
		return nil, err
	}

	// The queries run once per workbook: compiling them to machine code
	// costs more than it saves. Parallel workers would compete for the
	// cores with the two transactions and with the writing of the file.
	for _, tx := range []pgx.Tx{s.main, s.side} {
		if _, err := tx.Exec(ctx, snapshotSettings); err != nil {
			s.close(ctx)
			return nil, fmt.Errorf("set up workbook snapshot: %w", err)
		}
	}
	return s, nil
}

// openSide connects side and adopts the snapshot id. SET TRANSACTION
// SNAPSHOT takes no parameter, so id, which the server made and which
// holds only hexadecimal digits and hyphens, is quoted into the statement.
func (s *snapshot) openSide(ctx context.Context, cfg *pgx.ConnConfig, id string) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect for workbook snapshot: %w", err)
	}
	s.sideConn = conn
	if s.side, err = conn.BeginTx(ctx, readOnly); err != nil {
		return fmt.Errorf("begin workbook snapshot: %w", err)
	}
	quoted := "'" + strings.ReplaceAll(id, "'", "''") + "'"
	if _, err := s.side.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoted); err != nil {
		return fmt.Errorf("share workbook snapshot: %w", err)
	}
	return nil
}

// close ends both transactions, which only read, and side's connection.
// It runs even when ctx is cancelled.
func (s *snapshot) close(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	if s.side != nil {
		_ = s.side.Rollback(ctx)
	}
	if s.sideConn != nil {
		_ = s.sideConn.Close(ctx)
	}
	if s.main != nil {
		_ = s.main.Rollback(ctx)
	}
}
