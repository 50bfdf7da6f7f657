package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/sync/errgroup"

	"goaltracker/app/problem"
)

// Scope says which reports a compile writes: one period of one district,
// or of one program of it.
type Scope struct {
	DistrictID int64
	ProgramID  int64
	Year       int
	Period     string
}

// DefaultBatchSize is how many students a compile handles per transaction.
const DefaultBatchSize = 1000

// DefaultParallel is how many batches run at once: the work is mostly the
// database's, and two transactions keep two cores busy.
const DefaultParallel = 2

// Compiler writes the period reports of a scope, in rounds of Parallel
// batches of BatchSize students. A round reads the next students' ids,
// then each of its batches, in its own transaction, measures its goals in
// one statement and upserts their reports in another; when all are
// committed, one statement moves the progress cursor past the round. The
// statements depend on the number of batches, never on goals. A crash
// loses at most the round in progress, which the retry writes again.
type Compiler struct {
	db        bun.IDB
	BatchSize int
	Parallel  int
	now       func() time.Time
	// afterBatch, when set, runs after each committed round; tests use it
	// to stop a compile half-way as a crash would.
	afterBatch func(c *Compile) error
}

// NewCompiler returns a Compiler on db.
func NewCompiler(db bun.IDB) *Compiler {
	return &Compiler{db: db, BatchSize: DefaultBatchSize, Parallel: DefaultParallel, now: time.Now}
}

// Run compiles scope for the job jobID, resuming where an earlier attempt
// of the same job stopped. requestedBy is the person who asked (zero for
// the schedule). It returns the finished run. A scope whose period the
// district's calendar lacks is an error wrapping problem.ErrNotFound.
func (c *Compiler) Run(ctx context.Context, jobID int64, scope Scope, requestedBy int64) (*Compile, error) {
	period, err := c.period(ctx, scope)
	if err != nil {
		return nil, err
	}
	run, err := c.start(ctx, jobID, scope, requestedBy)
	if err != nil {
		return nil, err
	}

	for {
		more, err := c.batch(ctx, run, scope, period)
		if err != nil {
			return run, err
		}
		if !more {
			break
		}
		if c.afterBatch != nil {
			if err := c.afterBatch(run); err != nil {
				return run, err
			}
		}
	}
	return run, c.finish(ctx, run)
}

func (c *Compiler) period(ctx context.Context, scope Scope) (*Period, error) {
	p := new(Period)
	err := c.db.NewSelect().Model(p).
		Where("id_school_district = ? AND year = ? AND period = ?", scope.DistrictID, scope.Year, scope.Period).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("compile %s %d of district %d: period %w",
			scope.Period, scope.Year, scope.DistrictID, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load period %s %d: %w", scope.Period, scope.Year, err)
	}
	return p, nil
}

// inScope narrows a query on student AS st to the scope's students.
func inScope(q *bun.SelectQuery, scope Scope) *bun.SelectQuery {
	q = q.Join("JOIN program AS p ON p.id_program = st.id_program").
		Where("p.id_school_district = ?", scope.DistrictID)
	if scope.ProgramID != 0 {
		q = q.Where("st.id_program = ?", scope.ProgramID)
	}
	return q
}

// start finds the run of jobID, or creates it with the number of students
// in scope. A retried job continues from its row's cursor.
func (c *Compiler) start(ctx context.Context, jobID int64, scope Scope, requestedBy int64) (*Compile, error) {
	total, err := inScope(c.db.NewSelect().TableExpr("student AS st"), scope).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count students to compile: %w", err)
	}
	run := &Compile{JobID: jobID, DistrictID: scope.DistrictID, ProgramID: scope.ProgramID,
		Year: scope.Year, Period: scope.Period, State: CompileRunning, StudentsTotal: int(total),
		RequestedBy: requestedBy}
	_, err = c.db.NewInsert().Model(run).
		On("CONFLICT (id_job) DO UPDATE").
		Set("state = 'running'").Set("error = NULL").
		Returning("*").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("start compile of job %d: %w", jobID, err)
	}
	return run, nil
}

// batch compiles the next round of students after the run's cursor and
// reports whether there were any.
func (c *Compiler) batch(ctx context.Context, run *Compile, scope Scope, period *Period) (bool, error) {
	var ids []int64
	err := inScope(c.db.NewSelect().TableExpr("student AS st").Column("st.id_student"), scope).
		Where("st.id_student > ?", run.LastStudentID).
		OrderExpr("st.id_student").Limit(int64(c.BatchSize*max(c.Parallel, 1))).Scan(ctx, &ids)
	if err != nil {
		return false, fmt.Errorf("select students after %d: %w", run.LastStudentID, err)
	}
	if len(ids) == 0 {
		return false, nil
	}

	var written atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for chunk := range slices.Chunk(ids, c.BatchSize) {
		g.Go(func() error {
			n, err := c.compileStudents(gctx, chunk, period, run.RequestedBy)
			written.Add(int64(n))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return false, err
	}
	return true, advance(ctx, c.db, run, ids[len(ids)-1], len(ids), int(written.Load()))
}

// compileStudents measures and writes the reports of ids in one
// transaction and returns how many it wrote.
func (c *Compiler) compileStudents(ctx context.Context, ids []int64, period *Period, requestedBy int64) (int, error) {
	var n int
	err := c.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rows, err := measure(ctx, tx, ids, period)
		if err != nil {
			return err
		}
		reports := c.write(rows, period, requestedBy)
		n = len(reports)
		return upsert(ctx, tx, reports, c.now())
	})
	return n, err
}

// advance moves the run's cursor past a committed round.
func advance(ctx context.Context, db bun.IDB, run *Compile, last int64, students, goals int) error {
	err := db.NewUpdate().Model(run).
		Set("last_student_id = ?", last).
		Set("students_done = students_done + ?", students).
		Set("goals_written = goals_written + ?", goals).
		WherePK().Returning("*").Scan(ctx, run)
	if err != nil {
		return fmt.Errorf("record compile progress of job %d: %w", run.JobID, err)
	}
	return nil
}

func (c *Compiler) finish(ctx context.Context, run *Compile) error {
	err := c.db.NewUpdate().Model(run).
		Set("state = 'done'").Set("finished_at = ?", c.now()).
		Set("students_done = students_total").
		WherePK().Returning("*").Scan(ctx, run)
	if err != nil {
		return fmt.Errorf("finish compile of job %d: %w", run.JobID, err)
	}
	return nil
}

// Fail records why a run stopped, for the job history.
func (c *Compiler) Fail(ctx context.Context, jobID int64, cause error) error {
	_, err := c.db.NewUpdate().Model((*Compile)(nil)).
		Set("state = 'failed'").Set("error = ?", truncate(cause.Error(), 2000)).
		Set("finished_at = ?", c.now()).
		Where("id_job = ?", jobID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record failure of compile job %d: %w", jobID, err)
	}
	return nil
}

func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	return s[:n]
}
