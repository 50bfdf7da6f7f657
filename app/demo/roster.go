package demo

import (
	"fmt"
	"math/rand/v2"

	"goaltracker/app/student"
)

// The demo district's own students: the transition program's come first,
// then learning support's.
const (
	transitionStudents = 24
	learningStudents   = 18
	rosterSeed         = 0x676f616c2d726f73
)

// rosterHealthNotes gives the number of health notes of the loaded students
// that have any, by position in the roster. Positions 1 and 9 have the
// paraeducator assigned.
var rosterHealthNotes = map[int]int{1: 1, 3: 1, 9: 2, 14: 1, 17: 1, 26: 1, 33: 1, 39: 1}

// loadGenerator generates the loaded students: three to six goals each,
// most with sub-goals, and entries one to three times a week per goal over
// the last four months or since the school year started, whichever is
// longer.
func loadGenerator(c *clock) *generator {
	from := minDate(yearStart(c.year), c.today.AddDate(0, -4, 0))
	days := c.daysBetween(from, c.today)
	if len(days) > 0 {
		// Goals are written on a school day, not in the summer break.
		from = days[0]
	}
	return &generator{
		clock:       c,
		goalsFrom:   from,
		windows:     []window{{days: days, mean: 0.4 * float64(len(days))}},
		topGoals:    [2]int{3, 6},
		subGoalOdds: 0.7,
	}
}

// roster lists the loaded students. The teacher is primary for the
// transition program's students, the second teacher for learning
// support's. The paraeducator works with every fourth transition student,
// the second teacher helps with two of them and follows a third as a
// viewer.
func roster(staff cast) []studentSpec {
	rng := rand.New(rand.NewPCG(rosterSeed, 0))
	specs := make([]studentSpec, 0, transitionStudents+learningStudents)
	number := 10200
	for i := range transitionStudents + learningStudents {
		number += 7 + rng.IntN(40)
		spec := studentSpec{
			seq:         uint64(i),
			identifier:  fmt.Sprintf("RV-%05d", number),
			programID:   staff.learning,
			kind:        forLearning,
			primary:     staff.teacher2,
			healthNotes: rosterHealthNotes[i],
		}
		if i < transitionStudents {
			spec.programID, spec.kind, spec.primary = staff.transition, forTransition, staff.teacher
			spec.helpers = transitionHelpers(staff, i)
		}
		specs = append(specs, spec)
	}
	return specs
}

func transitionHelpers(staff cast, i int) []helper {
	var helpers []helper
	if i%4 == 1 {
		helpers = append(helpers, helper{userID: staff.para, access: student.AccessEditor,
			writes: 0.4, writesNotes: true})
	}
	switch i {
	case 2, 6:
		helpers = append(helpers, helper{userID: staff.teacher2, access: student.AccessEditor, writes: 0.2})
	case 11:
		helpers = append(helpers, helper{userID: staff.teacher2, access: student.AccessViewer})
	}
	return helpers
}
