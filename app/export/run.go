package export

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"goaltracker/app/problem"
)

// ProgressStep is how many percent a build advances between two writes
// of its progress.
const ProgressStep = 5

// Start marks export id running for an attempt of its job, clearing what
// an earlier attempt left, and returns it without content. An export
// already done is returned unchanged, so a job worked twice builds once.
// A missing export, deleted since it was requested, is an error wrapping
// problem.ErrNotFound.
func (s *Service) Start(ctx context.Context, id int64) (*Export, error) {
	e := new(Export)
	err := s.db.NewUpdate().Model(e).
		Set("state = ?", StateRunning).Set("progress_percent = 0").Set("error = NULL").
		Set("started_at = now()").Set("finished_at = NULL").
		Where("id_report_export = ? AND state <> ?", id, StateDone).
		Returning("*").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return s.Get(ctx, id)
	}
	if err != nil {
		return nil, fmt.Errorf("start export %d: %w", id, err)
	}
	return e, nil
}

// Progress returns a progress function for Build that records the share
// done of export id each time it has grown by ProgressStep. A failed
// write is skipped: the share is only shown to people, and the next
// step writes it again.
func (s *Service) Progress(ctx context.Context, id int64) func(percent int) {
	last := 0
	return func(percent int) {
		if percent < last+ProgressStep {
			return
		}
		_, err := s.db.NewUpdate().Model((*Export)(nil)).Set("progress_percent = ?", percent).
			Where("id_report_export = ? AND state = ?", id, StateRunning).Exec(ctx)
		if err == nil {
			last = percent
		}
	}
}

// Finish stores content as the file of export id and marks it done, in
// one statement: the file, its size and SHA-256, the state and the time.
// Storing again overwrites, so an export has one file however many
// attempts its job takes. A missing export is an error wrapping
// problem.ErrNotFound.
func (s *Service) Finish(ctx context.Context, id int64, content []byte) error {
	sum := sha256.Sum256(content)
	// Through the pgx pool the file travels as binary bytea; Bun would
	// inline it into the statement as hex text.
	tag, err := s.db.Pool.Exec(ctx, `UPDATE report_export
		SET content = $2, size_bytes = $3, sha256 = $4, state = 'done', progress_percent = 100,
			error = NULL, finished_at = now()
		WHERE id_report_export = $1`, id, content, len(content), hex.EncodeToString(sum[:]))
	if err != nil {
		return fmt.Errorf("store file of export %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store file of export %d: %w", id, problem.ErrNotFound)
	}
	return nil
}

// Fail records why an attempt at export id stopped and marks it failed.
// A retry of its job starts it again.
func (s *Service) Fail(ctx context.Context, id int64, cause error) error {
	_, err := s.db.NewUpdate().Model((*Export)(nil)).
		Set("state = ?", StateFailed).Set("error = ?", truncate(cause.Error(), 2000)).
		Set("finished_at = now()").
		Where("id_report_export = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record failure of export %d: %w", id, err)
	}
	return nil
}

// RequesterName returns the name of the person who asked for e, or ""
// when no person did or the account is gone.
func (s *Service) RequesterName(ctx context.Context, e *Export) (string, error) {
	if e.RequestedBy == 0 {
		return "", nil
	}
	var name sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT name FROM "user" WHERE id_user = ?`, e.RequestedBy).
		Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load requester of export %d: %w", e.ID, err)
	}
	return name.String, nil
}

func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
