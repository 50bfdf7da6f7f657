package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"goaltracker/app/db"
	"goaltracker/app/student"
)

const (
	// addBatch is how many generated students are planned and copied at a
	// time; it bounds the memory AddStudents holds.
	addBatch = 1000
	// addedSeqBase keeps generated students' random streams apart from the
	// loaded students'.
	addedSeqBase = 1 << 32
	// earlierDays is how many school days before the current quarter get
	// entries too.
	earlierDays = 15
)

// AddStudents adds n generated students to the demo district, loading the
// demo first if needed (which needs opts.Password), and returns how many it
// added: n, or 0 with an error. Students alternate between the two
// programs, the teacher primary for the transition program's and the
// second teacher for learning support's; the paraeducator helps with one in
// four of the teacher's. Each gets four to six goals, a few with
// sub-goals, about ten entries per goal in the current quarter (fewer when
// it has had fewer school days) and a few in the weeks before it.
// Identifiers run on from the highest existing GEN-nnnnnn one.
//
// Everything is written in one transaction with COPY, entries generated as
// they are sent, so 10,000 students take seconds and a failure adds
// nothing. Calls are serialised with Load and with each other.
func AddStudents(ctx context.Context, d *db.DB, n int, opts Options) (int, error) {
	if n < 0 {
		return 0, fmt.Errorf("add %d demo students: negative count", n)
	}
	opts = opts.withDefaults()
	if err := Load(ctx, d, opts); err != nil {
		return 0, fmt.Errorf("add %d demo students: %w", n, err)
	}
	if n == 0 {
		return 0, nil
	}

	start := time.Now()
	err := pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) error {
		return addTx(ctx, tx, n, opts)
	})
	if err != nil {
		return 0, fmt.Errorf("add %d demo students: %w", n, err)
	}
	// A bulk load outruns autovacuum's statistics; without fresh ones the
	// first compile plans its joins for empty tables and crawls.
	if _, err := d.Pool.Exec(ctx, "ANALYZE student, user_student, goal, progress_event"); err != nil {
		return 0, fmt.Errorf("analyze after adding demo students: %w", err)
	}
	opts.Logger.InfoContext(ctx, "demo students added", "count", n,
		"duration_ms", time.Since(start).Milliseconds())
	return n, nil
}

func addTx(ctx context.Context, tx pgx.Tx, n int, opts Options) error {
	if err := lockDemo(ctx, tx); err != nil {
		return err
	}
	staff, err := findCast(ctx, tx)
	if err != nil {
		return err
	}
	last, err := lastGeneratedNumber(ctx, tx)
	if err != nil {
		return err
	}

	g := addGenerator(newClock(opts.Today))
	for done := 0; done < n; done += addBatch {
		plans := make([]*plan, min(addBatch, n-done))
		for i := range plans {
			plans[i] = g.plan(addedSpec(staff, last+done+i+1))
		}
		if err := g.write(ctx, tx, plans); err != nil {
			return err
		}
	}
	return nil
}

// lastGeneratedNumber returns the highest number of a GEN-nnnnnn identifier
// in use, or 0 when there is none.
func lastGeneratedNumber(ctx context.Context, tx pgx.Tx) (int, error) {
	var last int
	err := tx.QueryRow(ctx, `SELECT coalesce(max(substring(identifier FROM 5)::integer), 0)
		FROM student WHERE identifier ~ '^GEN-[0-9]{1,9}$'`).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("find last generated identifier: %w", err)
	}
	return last, nil
}

// addGenerator generates students whose entries fill the current quarter
// and the school days just before it.
func addGenerator(c *clock) *generator {
	q := c.currentQuarter()
	current := c.daysBetween(q.StartsOn, c.today)
	earlier := c.daysBetween(time.Time{}, q.StartsOn.AddDate(0, 0, -1))
	earlier = earlier[max(0, len(earlier)-earlierDays):]

	from := q.StartsOn
	if len(earlier) > 0 {
		from = earlier[0]
	}
	return &generator{
		clock:     c,
		goalsFrom: from,
		windows: []window{
			{days: earlier, mean: 3},
			{days: current, mean: float64(min(10, len(current)))},
		},
		topGoals:    [2]int{4, 6},
		subGoalOdds: 0.15,
	}
}

// addedSpec is generated student number: odd numbers in the transition
// program with the teacher, even ones in learning support with the second
// teacher. The paraeducator helps with one in four of the teacher's
// students, and one student in seven has a health note.
func addedSpec(staff cast, number int) studentSpec {
	spec := studentSpec{
		seq:        addedSeqBase + uint64(number),
		identifier: fmt.Sprintf("GEN-%06d", number),
		programID:  staff.learning,
		kind:       forLearning,
		primary:    staff.teacher2,
	}
	if number%2 == 1 {
		spec.programID, spec.kind, spec.primary = staff.transition, forTransition, staff.teacher
	}
	if number%8 == 1 {
		spec.helpers = []helper{{userID: staff.para, access: student.AccessEditor, writes: 0.4, writesNotes: true}}
	}
	if number%7 == 0 {
		spec.healthNotes = 1
	}
	return spec
}
