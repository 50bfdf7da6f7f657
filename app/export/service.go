package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/db"
	"goaltracker/app/problem"
)

// Service records, lists and serves exports; Build makes their files, and
// the export job ties the two together. It checks no access: callers do,
// through the access policy's export permissions.
type Service struct {
	db *db.DB
}

// NewService returns a Service on d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Get returns export id without its content. A missing export is an error
// wrapping problem.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Export, error) {
	e := new(Export)
	err := s.db.NewSelect().Model(e).ExcludeColumn("content").
		Where("id_report_export = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load export %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load export %d: %w", id, err)
	}
	return e, nil
}

// List returns up to limit exports of districtID, program ones included,
// newest first and without their content. A limit of zero or less means
// 50. A district without exports gives an empty slice.
func (s *Service) List(ctx context.Context, districtID int64, limit int) ([]*Export, error) {
	if limit <= 0 {
		limit = 50
	}
	exports := []*Export{}
	err := s.db.NewSelect().Model(&exports).ExcludeColumn("content").
		Where("id_school_district = ?", districtID).
		OrderExpr("created_at DESC, id_report_export DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list exports of district %d: %w", districtID, err)
	}
	return exports, nil
}

// Content returns export id with its file in Content, for a download. An
// export that is not done yet has no Content; the caller checks State. A
// missing export is an error wrapping problem.ErrNotFound. The caller
// checks access and records the download with RecordDownload.
func (s *Service) Content(ctx context.Context, id int64) (*Export, error) {
	e, err := s.Get(ctx, id)
	if err != nil || e.State != StateDone {
		return e, err
	}
	// The pgx pool moves bytea in binary; Bun's connections would bring
	// the file as hex text of twice its size.
	err = s.db.Pool.QueryRow(ctx, `SELECT content FROM report_export WHERE id_report_export = $1`,
		id).Scan(&e.Content)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("load export %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load file of export %d: %w", id, err)
	}
	return e, nil
}

// DeleteOlderThan deletes the exports created more than age ago, in any
// state, and returns how many it deleted. A job of a deleted export
// finds nothing to do.
func (s *Service) DeleteOlderThan(ctx context.Context, age time.Duration) (int, error) {
	res, err := s.db.NewDelete().Model((*Export)(nil)).
		Where("created_at < now() - make_interval(secs => ?)", age.Seconds()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete exports older than %s: %w", age, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("count deleted exports: %w", err)
	}
	return int(n), nil
}

// RequestedSince reports whether an export of scope that no person asked
// for was requested at or after since. The final compile uses it to
// enqueue the period's workbook once, however many times it runs.
func (s *Service) RequestedSince(ctx context.Context, scope Scope, since time.Time) (bool, error) {
	q := s.db.NewSelect().Model((*Export)(nil)).
		Where("id_school_district = ? AND year = ? AND period = ?", scope.DistrictID, scope.Year,
			scope.Period).
		Where("requested_by IS NULL AND created_at >= ?", since)
	if scope.ProgramID != 0 {
		q = q.Where("id_program = ?", scope.ProgramID)
	} else {
		q = q.Where("id_program IS NULL")
	}
	exists, err := q.Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("look for exports of %s %d since %s: %w", scope.Period, scope.Year,
			since.Format(time.RFC3339), err)
	}
	return exists, nil
}
