package export

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// goalsSQL reads the period's goal reports of the scope with their goal,
// parent goal and student, in the order the sheet lists them: by program,
// student, then each goal followed by its sub-goals. Numbers come as
// float8, which Excel stores anyway.
const goalsSQL = `
SELECT st.id_program, st.identifier, st.program_year, g.title, pg.title, g.category, g.unit,
	g.baseline_value::float8, g.target_value::float8, pr.latest_value::float8,
	pr.weekly_trend::float8, pr.on_track, pr.progress_code, pr.status, pr.entry_count,
	pr.last_entry_on, pr.summary
FROM progress_report AS pr
JOIN student AS st ON st.id_student = pr.id_student
JOIN program AS p ON p.id_program = st.id_program
LEFT JOIN goal AS g ON g.id_goal = pr.id_goal
LEFT JOIN goal AS pg ON pg.id_goal = g.id_goal_parent
WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
	AND pr.year = $3 AND pr.period = $4
ORDER BY p.name, p.id_program, st.identifier, st.id_student,
	coalesce(g.id_goal_parent, g.id_goal), g.id_goal_parent NULLS FIRST, g.id_goal`

// summaryWidth is the width of the Summary column, in characters.
const summaryWidth = 80

// goalColumns builds the Goals sheet's columns.
func (b *book) goalColumns() []column {
	st := b.st
	text := func(title string, width float64) column {
		return column{title: title, width: width, style: st.text, quoted: st.textQ}
	}
	return []column{
		text("District", 32), text("Program", 24), text("Student", 12),
		{title: "Program year", width: 9, style: st.integer},
		text("Goal", 40), text("Parent goal", 30), text("Category", 14), text("Unit", 10),
		{title: "Baseline", width: 10, style: st.decimal},
		{title: "Target", width: 10, style: st.decimal},
		{title: "Latest value", width: 10, style: st.decimal},
		{title: "Weekly trend", width: 10, style: st.trend},
		text("On track", 9), text("Progress code", 14), text("Status", 9),
		{title: "Entries in period", width: 10, style: st.integer},
		{title: "Last entry", width: 11, style: st.date},
		{title: "Summary", width: summaryWidth, style: st.wrap, quoted: st.wrapQ},
	}
}

// goalRow holds the scan targets of one goal report, reused row to row.
type goalRow struct {
	program                                           int64
	identifier, goal, parent, category, unit, summary pgtype.Text
	code, status                                      pgtype.Text
	programYear, entries                              pgtype.Int4
	baseline, target, latest, trend                   pgtype.Float8
	onTrack                                           pgtype.Bool
	lastEntry                                         pgtype.Date
}

func (r *goalRow) targets() []any {
	return []any{&r.program, &r.identifier, &r.programYear, &r.goal, &r.parent, &r.category,
		&r.unit, &r.baseline, &r.target, &r.latest, &r.trend, &r.onTrack, &r.code, &r.status,
		&r.entries, &r.lastEntry, &r.summary}
}

// cells fills values with the sheet's cells for r.
func (b *book) goalCells(r *goalRow, values []any) {
	values[0], values[1] = b.info.DistrictName, b.programs[r.program]
	values[2], values[3] = text(r.identifier), integer(r.programYear)
	values[4], values[5] = text(r.goal), text(r.parent)
	values[6], values[7] = text(r.category), text(r.unit)
	values[8], values[9] = number(r.baseline), number(r.target)
	values[10], values[11] = number(r.latest), number(r.trend)
	values[12], values[13] = yesNo(r.onTrack), codeLabel(r.code)
	values[14], values[15] = statusLabel(r.status), integer(r.entries)
	values[16], values[17] = date(r.lastEntry), text(r.summary)
}

// writeGoals streams the Goals sheet, a row per goal report.
func (b *book) writeGoals(ctx context.Context, tx pgx.Tx) error {
	t := newTable(b.f, SheetGoals, b.st.header, b.goalColumns())
	i := b.info
	var scanned goalRow
	targets, values := scanned.targets(), make([]any, len(t.cols))
	rows := prefetch(ctx, "goal reports",
		func(ctx context.Context) (pgx.Rows, error) {
			return tx.Query(ctx, goalsSQL, i.DistrictID, i.ProgramID, i.Year, i.Period)
		},
		func(rows pgx.Rows) (goalRow, error) {
			err := rows.Scan(targets...)
			return scanned, err
		})
	err := rows.each(func(r *goalRow) error {
		b.goalCells(r, values)
		if err := t.add(values, wrappedHeight(r.summary.String, summaryWidth)); err != nil {
			return err
		}
		b.step()
		return nil
	})
	if err != nil {
		return err
	}
	if err := t.close(); err != nil {
		return err
	}
	b.stats.Goals, b.goalSheets = t.rows, t.sheets
	return nil
}
