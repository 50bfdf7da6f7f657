package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"goaltracker/app/goal"
	"goaltracker/app/health"
	"goaltracker/app/student"
)

// Seeds of the random streams. Each student draws from streams of its own,
// keyed by its seq, so a student's rows do not depend on how many students
// came before it or on the order rows are written in.
const (
	planSeed  = 0x676f616c2d706c61
	entrySeed = 0x676f616c2d656e74
)

// studentSpec says who a generated student is and who works with them.
type studentSpec struct {
	seq         uint64 // keys the student's random streams
	identifier  string
	programID   int64
	kind        int // forTransition or forLearning
	primary     int64
	helpers     []helper
	healthNotes int
}

// helper is a staff member assigned to a student besides the primary
// teacher. writes is the share of the student's entries they write; a
// helper with writesNotes also writes health notes and sensitive entries.
type helper struct {
	userID      int64
	access      string
	writes      float64
	writesNotes bool
}

// plan is everything generated for one student but the entries, which are
// generated from it while they are written.
type plan struct {
	spec        studentSpec
	student     student.Student
	assignments []student.Assignment
	goals       []goalPlan // each top goal followed by its sub-goals
	notes       []health.Note
}

// goalPlan is a goal row and what its entries are generated from.
type goalPlan struct {
	row    goal.Goal
	tmpl   *goalTemplate // the template of the goal or of its parent
	parent int           // position of the parent goal in plan.goals; -1 for a top goal
	start  time.Time
	until  time.Time // entries fall from start to until
	freq   float64   // entries relative to an average goal
	rate   float64   // speed toward the target; 1 reaches it on the target date
}

// generator makes students, goals and entries. Its output depends only on
// its settings and each student's spec, so the same settings give the same
// rows on every run.
type generator struct {
	clock     *clock
	goalsFrom time.Time // the day goals start, or enrolment if later
	windows   []window  // where entries fall, earliest first
	topGoals  [2]int    // fewest and most top goals per student
	// subGoalOdds is the chance that a top goal has sub-goals.
	subGoalOdds float64
}

// window is a run of school days and the number of entries an average goal
// gets over all of it.
type window struct {
	days []time.Time
	mean float64
}

// plan generates the student of spec with assignments, goals and health
// notes, all without ids; write assigns them.
func (g *generator) plan(spec studentSpec) *plan {
	rng := rand.New(rand.NewPCG(planSeed, spec.seq))
	p := &plan{spec: spec, student: g.student(spec, rng)}
	p.assignments = append(p.assignments, student.Assignment{
		UserID: spec.primary, AccessLevel: student.AccessEditor, IsPrimary: true,
	})
	for _, h := range spec.helpers {
		p.assignments = append(p.assignments, student.Assignment{UserID: h.userID, AccessLevel: h.access})
	}

	p.goals = g.goals(p, rng)
	p.notes = g.healthNotes(p, rng)
	return p
}

// student makes the student row. A student in program year y enrolled at
// the start of the school year y-1 years ago and graduates at the end of
// the fourth.
func (g *generator) student(spec studentSpec, rng *rand.Rand) student.Student {
	year := 1 + rng.IntN(4)
	enrolled := yearStart(g.clock.year - (year - 1))
	return student.Student{
		ProgramID:      spec.programID,
		Identifier:     spec.identifier,
		ProgramYear:    year,
		EnrollmentDate: enrolled,
		ExpectedGrad:   yearEnd(g.clock.year + 4 - year),
		CreatedAt:      g.clock.at(enrolled, 9*60+30),
	}
}

func (g *generator) goals(p *plan, rng *rand.Rand) []goalPlan {
	count := g.topGoals[0] + rng.IntN(g.topGoals[1]-g.topGoals[0]+1)
	start := maxDate(g.goalsFrom, p.student.EnrollmentDate)
	var goals []goalPlan
	for _, tmpl := range pickTemplates(p.spec.kind, count, rng) {
		top := g.topGoal(p, tmpl, start, rng)
		goals = append(goals, top)
		goals = append(goals, g.subGoals(p, top, len(goals)-1, tmpl.subGoals, rng)...)
	}
	return goals
}

// pickTemplates draws count different goal templates that suit kind.
func pickTemplates(kind, count int, rng *rand.Rand) []*goalTemplate {
	var fit []*goalTemplate
	for i := range goalTemplates {
		if goalTemplates[i].programs&kind != 0 {
			fit = append(fit, &goalTemplates[i])
		}
	}
	rng.Shuffle(len(fit), func(i, j int) { fit[i], fit[j] = fit[j], fit[i] })
	return fit[:min(count, len(fit))]
}

func (g *generator) topGoal(p *plan, tmpl *goalTemplate, start time.Time, rng *rand.Rand) goalPlan {
	created := g.clock.at(start, 7*60+30+rng.IntN(45))
	gp := goalPlan{
		row: goal.Goal{
			CreatedBy: p.spec.primary, Title: tmpl.title, Description: tmpl.description,
			Category: tmpl.category, Status: goal.StatusActive, TargetDate: yearEnd(g.clock.year),
			CreatedAt: created, UpdatedAt: created,
		},
		tmpl: tmpl, parent: -1, start: start, until: g.clock.today,
		freq: []float64{0.5, 1, 1, 1.5}[rng.IntN(4)], rate: 1,
	}
	if tmpl.unit != "" {
		base := math.Round(tmpl.baseLow + rng.Float64()*(tmpl.baseHigh-tmpl.baseLow))
		target := tmpl.target
		gp.row.Unit, gp.row.Baseline, gp.row.Target = tmpl.unit, &base, &target
		gp.rate = []float64{0.2, 0.3, 0.9, 1, 1, 1.1, 1.4}[rng.IntN(7)]
	}
	g.settle(&gp, rng)
	return gp
}

// settle closes a few goals as met or discontinued and pauses a few, so
// that reports show every kind of progress. Goals younger than four school
// weeks stay active.
func (g *generator) settle(gp *goalPlan, rng *rand.Rand) {
	days := g.clock.daysBetween(gp.start, g.clock.today)
	roll := rng.Float64()
	if len(days) < 20 {
		return
	}

	closing := days[len(days)/2+rng.IntN(len(days)*2/5)]
	switch {
	case roll < 0.06:
		gp.close(g.clock, goal.StatusMet, metNotes[rng.IntN(len(metNotes))], closing)
		// A met goal reached its target on the day it closed.
		gp.rate = 1.05 * gp.row.TargetDate.Sub(gp.start).Hours() / closing.Sub(gp.start).Hours()
	case roll < 0.09:
		gp.close(g.clock, goal.StatusDiscontinued, discontinuedNotes[rng.IntN(len(discontinuedNotes))], closing)
	case roll < 0.15:
		// Not worked on for a month: its next report finds few entries.
		gp.until = g.clock.today.AddDate(0, -1, 0)
	}
}

// close marks the goal closed with status on day; it takes no entries after.
func (gp *goalPlan) close(c *clock, status, note string, day time.Time) {
	gp.row.Status, gp.row.CloseNote = status, note
	gp.row.ClosedAt = c.at(day, 15*60+20)
	gp.row.UpdatedAt = gp.row.ClosedAt
	gp.until = day
}

// subGoals makes some of titles into sub-goals of the goal at position
// parent. They close with their parent, and some are met before it.
func (g *generator) subGoals(p *plan, top goalPlan, parent int, titles []string, rng *rand.Rand) []goalPlan {
	if len(titles) == 0 || rng.Float64() >= g.subGoalOdds {
		return nil
	}
	subs := make([]goalPlan, 0, len(titles))
	for _, title := range titles[:1+rng.IntN(len(titles))] {
		sub := goalPlan{
			row: goal.Goal{
				CreatedBy: p.spec.primary, Title: title, Category: top.row.Category,
				Status: goal.StatusActive, CreatedAt: top.row.CreatedAt, UpdatedAt: top.row.CreatedAt,
			},
			tmpl: top.tmpl, parent: parent, start: top.start, until: top.until,
			freq: top.freq * 0.3, rate: 1,
		}
		days := g.clock.daysBetween(top.start, top.until)
		switch {
		case top.row.Status != goal.StatusActive:
			sub.close(g.clock, top.row.Status, "Closed with its goal.", top.until)
		case len(days) >= 20 && rng.Float64() < 0.25:
			sub.close(g.clock, goal.StatusMet, subGoalMetNote, days[len(days)/3+rng.IntN(len(days)/2)])
		}
		subs = append(subs, sub)
	}
	return subs
}

// healthNotes writes spec.healthNotes notes on school days since the goals
// started.
func (g *generator) healthNotes(p *plan, rng *rand.Rand) []health.Note {
	days := g.clock.daysBetween(maxDate(g.goalsFrom, p.student.EnrollmentDate), g.clock.today)
	if len(days) == 0 {
		return nil
	}
	notes := make([]health.Note, 0, p.spec.healthNotes)
	for range p.spec.healthNotes {
		day := days[rng.IntN(len(days))]
		notes = append(notes, health.Note{
			CreatedBy: noteAuthor(p.spec, rng),
			Content:   healthNotes[rng.IntN(len(healthNotes))],
			CreatedAt: g.clock.at(day, 11*60+rng.IntN(5*60)),
		})
	}
	return notes
}

// noteAuthor picks who writes a health note or a sensitive entry: a helper
// who writes notes half the time, else the primary teacher.
func noteAuthor(spec studentSpec, rng *rand.Rand) int64 {
	for _, h := range spec.helpers {
		if h.writesNotes && rng.IntN(2) == 0 {
			return h.userID
		}
	}
	return spec.primary
}
