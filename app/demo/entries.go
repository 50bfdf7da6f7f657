package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"goaltracker/app/progress"
)

// entries appends the progress entries of p's student to buf and returns
// it: entries on each goal's school days within the generator's windows,
// then a few sensitive ones.
func (g *generator) entries(p *plan, buf []progress.Entry) []progress.Entry {
	rng := rand.New(rand.NewPCG(entrySeed, p.spec.seq))
	for i := range p.goals {
		gp := &p.goals[i]
		for _, w := range g.windows {
			days := between(w.days, gp.start, gp.until)
			if len(days) == 0 {
				continue
			}
			mean := w.mean * float64(len(days)) / float64(len(w.days)) * gp.freq
			count := min(int(mean*(0.8+0.4*rng.Float64())+rng.Float64()), len(days))
			buf = sampleDays(days, count, rng, buf, func(day time.Time) progress.Entry {
				return g.entry(p, gp, day, rng)
			})
		}
	}
	return g.sensitiveEntries(p, rng, buf)
}

// sampleDays appends an entry made by newEntry for each of count different days
// drawn from days, in order of day.
func sampleDays(days []time.Time, count int, rng *rand.Rand, buf []progress.Entry,
	newEntry func(time.Time) progress.Entry) []progress.Entry {
	for i, left := 0, count; i < len(days) && left > 0; i++ {
		// Selection sampling: take each day with the chance that keeps the
		// remaining draws spread evenly over the remaining days.
		if rng.IntN(len(days)-i) < left {
			buf = append(buf, newEntry(days[i]))
			left--
		}
	}
	return buf
}

// entry makes one entry on goal gp, written by the primary teacher or a
// helper. An entry on a measurable goal states its value.
func (g *generator) entry(p *plan, gp *goalPlan, day time.Time, rng *rand.Rand) progress.Entry {
	e := progress.Entry{
		StudentID:  p.student.ID,
		GoalID:     gp.row.ID,
		CreatedBy:  entryAuthor(p.spec, rng),
		OccurredOn: day,
		CreatedAt:  g.clock.at(day, 8*60+30+rng.IntN(8*60)),
	}
	e.UpdatedAt = e.CreatedAt

	notes := gp.tmpl.notes
	switch {
	case gp.parent >= 0:
		notes = subGoalNotes
	case rng.IntN(4) == 0:
		notes = categoryNotes[gp.row.Category]
	}
	e.Content = notes[rng.IntN(len(notes))]
	if gp.row.Unit != "" {
		v := gp.valueOn(day, rng)
		e.Value = &v
		e.Content += " " + fmt.Sprintf(measureNotes[rng.IntN(len(measureNotes))], formatValue(v, gp.row.Unit))
	}
	return e
}

// entryAuthor picks who writes an entry: each helper their share, the
// primary teacher the rest.
func entryAuthor(spec studentSpec, rng *rand.Rand) int64 {
	r := rng.Float64()
	for _, h := range spec.helpers {
		if r < h.writes {
			return h.userID
		}
		r -= h.writes
	}
	return spec.primary
}

// valueOn returns the measurement of a measurable goal on day: on the line
// from baseline to target at the goal's rate, with noise, in whole units.
// It stays at or above zero, and a percentage at or below 100.
func (gp *goalPlan) valueOn(day time.Time, rng *rand.Rand) float64 {
	base, target := *gp.row.Baseline, *gp.row.Target
	elapsed := 1.0
	if total := gp.row.TargetDate.Sub(gp.start); total > 0 {
		elapsed = float64(day.Sub(gp.start)) / float64(total)
	}
	progress := min(gp.rate*elapsed, 1.05)

	v := base + (target-base)*progress + rng.NormFloat64()*0.07*math.Abs(target-base)
	v = max(math.Round(v), 0)
	if strings.HasPrefix(gp.row.Unit, "%") {
		v = min(v, 100)
	}
	return v
}

// formatValue writes a value with its unit: "64% accuracy", "48 words per
// minute".
func formatValue(v float64, unit string) string {
	n := strconv.FormatFloat(v, 'f', -1, 64)
	if strings.HasPrefix(unit, "%") {
		return n + unit
	}
	return n + " " + unit
}

// sensitiveEntries appends none or one sensitive entry, one or two for a
// student with a helper who writes notes, on school days since the goals
// started. An incident goes on the student's behaviour goal when one is
// open that day.
func (g *generator) sensitiveEntries(p *plan, rng *rand.Rand, buf []progress.Entry) []progress.Entry {
	count := rng.IntN(2)
	for _, h := range p.spec.helpers {
		if h.writesNotes {
			count++
			break
		}
	}
	days := g.clock.daysBetween(maxDate(g.goalsFrom, p.student.EnrollmentDate), g.clock.today)
	if len(days) == 0 {
		return buf
	}

	for range count {
		note := sensitiveNotes[rng.IntN(len(sensitiveNotes))]
		day := days[rng.IntN(len(days))]
		e := progress.Entry{
			StudentID: p.student.ID, CreatedBy: noteAuthor(p.spec, rng), Content: note.content,
			IsSensitive: true, OccurredOn: day, CreatedAt: g.clock.at(day, 15*60+rng.IntN(90)),
		}
		e.UpdatedAt = e.CreatedAt
		if note.onBehavior {
			e.GoalID = p.openGoal(catBehavior, day)
		}
		buf = append(buf, e)
	}
	return buf
}

// openGoal returns the id of a top goal of category that takes entries on
// day, or 0 when there is none.
func (p *plan) openGoal(category string, day time.Time) int64 {
	for _, gp := range p.goals {
		if gp.parent < 0 && gp.row.Category == category && !day.Before(gp.start) && !day.After(gp.until) {
			return gp.row.ID
		}
	}
	return 0
}

// between returns the part of the ordered days from first to last, both
// included; it shares memory with days.
func between(days []time.Time, first, last time.Time) []time.Time {
	lo := sort.Search(len(days), func(i int) bool { return !days[i].Before(first) })
	hi := sort.Search(len(days), func(i int) bool { return days[i].After(last) })
	if hi < lo {
		return nil
	}
	return days[lo:hi]
}
