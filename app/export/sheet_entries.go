package export

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// entryCountSQL counts the period's entries of the scope that the
// Entries sheet lists, and those it leaves out as sensitive.
const entryCountSQL = `
SELECT count(*) FILTER (WHERE pe.is_sensitive IS FALSE),
	count(*) FILTER (WHERE pe.is_sensitive IS NOT FALSE)
FROM progress_event AS pe
JOIN student AS st ON st.id_student = pe.id_student
JOIN program AS p ON p.id_program = st.id_program
WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
	AND pe.occurred_on BETWEEN $3 AND $4`

// entriesSQL reads the period's entries of the scope that are marked not
// sensitive, by program, student and day. A sensitive entry's row never
// leaves the database, and neither does one whose flag is unknown. The
// students are numbered in the sheet's order first: the database then
// sorts the entries by a number instead of by names, which is faster.
const entriesSQL = `
WITH s AS (
	SELECT st.id_student, st.identifier,
		row_number() OVER (ORDER BY p.name, p.id_program, st.identifier, st.id_student) AS n
	FROM student AS st
	JOIN program AS p ON p.id_program = st.id_program
	WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
)
SELECT pe.occurred_on, s.identifier, g.title, u.name, pe.value::float8, pe.content
FROM progress_event AS pe
JOIN s ON s.id_student = pe.id_student
LEFT JOIN goal AS g ON g.id_goal = pe.id_goal
LEFT JOIN "user" AS u ON u.id_user = pe.id_user_created
WHERE pe.occurred_on BETWEEN $3 AND $4 AND pe.is_sensitive IS FALSE
ORDER BY s.n, pe.occurred_on, pe.id_progress_event`

// entryRow holds the columns of one entry.
type entryRow struct {
	day                         pgtype.Date
	student, goal, author, note pgtype.Text
	value                       pgtype.Float8
}

// entryColumns builds the Entries sheet's columns. Its rows are one line
// high, so text needs no alignment and goes unstyled: with ten times the
// rows of the Goals sheet, a style on every cell would cost megabytes.
func (b *book) entryColumns() []column {
	st := b.st
	return []column{
		{title: "Day", width: 11, style: st.date},
		{title: "Student", width: 12, quoted: st.plainQ},
		{title: "Goal", width: 40, quoted: st.plainQ},
		{title: "Author", width: 20, quoted: st.plainQ},
		{title: "Value", width: 10, style: st.decimal},
		{title: "Note", width: 80, quoted: st.plainQ},
	}
}

// entryCount is what entryCountSQL counted.
type entryCount struct {
	listed, sensitive int
	err               error
}

// countEntries counts the entries listed and left out.
func countEntries(ctx context.Context, tx pgx.Tx, i scopeInfo) entryCount {
	var c entryCount
	err := tx.QueryRow(ctx, entryCountSQL, i.DistrictID, i.ProgramID, i.StartsOn, i.EndsOn).
		Scan(&c.listed, &c.sensitive)
	if err != nil {
		c.err = fmt.Errorf("count entries: %w", err)
	}
	return c
}

// prefetchEntries starts reading the rows of entriesSQL on tx.
func prefetchEntries(ctx context.Context, tx pgx.Tx, i scopeInfo) *prefetcher[entryRow] {
	var e entryRow
	targets := []any{&e.day, &e.student, &e.goal, &e.author, &e.value, &e.note}
	return prefetch(ctx, "entries",
		func(ctx context.Context) (pgx.Rows, error) {
			return tx.Query(ctx, entriesSQL, i.DistrictID, i.ProgramID, i.StartsOn, i.EndsOn)
		},
		func(rows pgx.Rows) (entryRow, error) {
			err := rows.Scan(targets...)
			return e, err
		})
}

// writeEntries streams the Entries sheet from entries, a row per listed
// entry.
func (b *book) writeEntries(entries *prefetcher[entryRow]) error {
	t := newTable(b.f, SheetEntries, b.st.header, b.entryColumns())

	values := make([]any, len(t.cols))
	err := entries.each(func(e *entryRow) error {
		values[0], values[1], values[2] = date(e.day), text(e.student), text(e.goal)
		values[3], values[4], values[5] = text(e.author), number(e.value), text(e.note)
		if err := t.add(values, 0); err != nil {
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
	b.stats.Entries, b.entrySheets = t.rows, t.sheets
	return nil
}
