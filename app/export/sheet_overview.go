package export

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"goaltracker/app/report"
)

// programRow is one program's line of the Overview sheet.
type programRow struct {
	ID          int64
	Name        string
	Students    int
	Goals       int
	WithEntries int
	Codes       [4]int // in the order of codeOrder
	Uncoded     int
	Final       int
	Entries     int
	Sensitive   int
}

// codeOrder is the order of the progress codes in the Overview sheet and
// its chart.
var codeOrder = [4]string{report.CodeMastered, report.CodeSufficient, report.CodeInsufficient,
	report.CodeNotAddressed}

// overviewSQL counts, per program of the scope, its students and the
// period's goal reports by progress code and status, and adds up their
// entry counts, sensitive entries included, to estimate the entries. The
// joins are those of the Goals query, so the counts match its rows.
const overviewSQL = `
WITH s AS (
	SELECT st.id_program, count(*) AS students
	FROM student AS st
	JOIN program AS p ON p.id_program = st.id_program
	WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
	GROUP BY st.id_program
), r AS (
	SELECT st.id_program, count(*) AS goals,
		count(*) FILTER (WHERE pr.entry_count > 0) AS with_entries,
		count(*) FILTER (WHERE pr.progress_code = 'mastered') AS mastered,
		count(*) FILTER (WHERE pr.progress_code = 'sufficient') AS sufficient,
		count(*) FILTER (WHERE pr.progress_code = 'insufficient') AS insufficient,
		count(*) FILTER (WHERE pr.progress_code = 'not_addressed') AS not_addressed,
		count(*) FILTER (WHERE pr.progress_code IS NULL) AS uncoded,
		count(*) FILTER (WHERE pr.status = 'final') AS final,
		sum(pr.entry_count) AS entries
	FROM progress_report AS pr
	JOIN student AS st ON st.id_student = pr.id_student
	JOIN program AS p ON p.id_program = st.id_program
	WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
		AND pr.year = $3 AND pr.period = $4
	GROUP BY st.id_program
)
SELECT p.id_program, coalesce(p.name, ''), coalesce(s.students, 0), coalesce(r.goals, 0),
	coalesce(r.with_entries, 0), coalesce(r.mastered, 0), coalesce(r.sufficient, 0),
	coalesce(r.insufficient, 0), coalesce(r.not_addressed, 0), coalesce(r.uncoded, 0),
	coalesce(r.final, 0), coalesce(r.entries, 0)
FROM program AS p
LEFT JOIN s USING (id_program)
LEFT JOIN r USING (id_program)
WHERE p.id_school_district = $1 AND ($2 = 0 OR p.id_program = $2)
ORDER BY p.name, p.id_program`

// loadPrograms reads the Overview's rows.
func (b *book) loadPrograms(ctx context.Context, tx pgx.Tx) ([]programRow, error) {
	i := b.info
	rows, err := tx.Query(ctx, overviewSQL, i.DistrictID, i.ProgramID, i.Year, i.Period)
	if err != nil {
		return nil, fmt.Errorf("count programs: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (programRow, error) {
		var p programRow
		err := row.Scan(&p.ID, &p.Name, &p.Students, &p.Goals, &p.WithEntries, &p.Codes[0],
			&p.Codes[1], &p.Codes[2], &p.Codes[3], &p.Uncoded, &p.Final, &p.Entries)
		return p, err
	})
}

// overviewColumns are the Overview's headers and widths.
var overviewColumns = []struct {
	title string
	width float64
}{
	{"Program", 32}, {"Students", 10}, {"Goals", 10}, {"Goals with entries", 12},
	{"Mastered", 11}, {"Sufficient", 11}, {"Insufficient", 11}, {"Not addressed", 11},
	{"No code", 10}, {"Finalized", 11},
}

// writeOverview writes a row per program, a total, and the chart of
// progress codes. The sheet is small, so it uses excelize's normal API,
// which a chart needs anyway. It also estimates the rows that progress is
// measured against.
func (b *book) writeOverview(ctx context.Context, tx pgx.Tx) error {
	programs, err := b.loadPrograms(ctx, tx)
	if err != nil {
		return err
	}
	b.programs = make(map[int64]string, len(programs))
	var total programRow
	for _, p := range programs {
		b.programs[p.ID] = p.Name
		total = total.plus(p)
	}
	b.stats.Programs = len(programs)
	b.total = total.Goals + total.Entries

	if err := b.overviewHeader(); err != nil {
		return err
	}
	for i, p := range programs {
		if err := b.overviewRow(i+2, p, false); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(overviewColumns))
	filter := fmt.Sprintf("A1:%s%d", last, len(programs)+1)
	if err := b.f.AutoFilter(SheetOverview, filter, nil); err != nil {
		return fmt.Errorf("add filter to overview: %w", err)
	}
	if len(programs) > 1 {
		total.Name = "All programs"
		if err := b.overviewRow(len(programs)+3, total, true); err != nil {
			return err
		}
	}
	if len(programs) == 0 {
		return nil
	}
	return b.overviewChart(len(programs) + 1)
}

func (p programRow) plus(q programRow) programRow {
	p.Students += q.Students
	p.Goals += q.Goals
	p.WithEntries += q.WithEntries
	for i := range p.Codes {
		p.Codes[i] += q.Codes[i]
	}
	p.Uncoded += q.Uncoded
	p.Final += q.Final
	p.Entries += q.Entries
	return p
}

func (b *book) overviewHeader() error {
	f, sheet := b.f, SheetOverview
	for i, c := range overviewColumns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, c.width); err != nil {
			return fmt.Errorf("size overview column %s: %w", name, err)
		}
		if err := f.SetCellStr(sheet, name+"1", c.title); err != nil {
			return fmt.Errorf("write overview header: %w", err)
		}
	}
	last, _ := excelize.ColumnNumberToName(len(overviewColumns))
	if err := f.SetCellStyle(sheet, "A1", last+"1", b.st.header); err != nil {
		return fmt.Errorf("style overview header: %w", err)
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return fmt.Errorf("size overview header: %w", err)
	}
	if err := f.SetPanes(sheet, frozenHeader()); err != nil {
		return fmt.Errorf("freeze overview header: %w", err)
	}
	return nil
}

// overviewRow writes p on row n; isTotal styles it as the total line.
func (b *book) overviewRow(n int, p programRow, isTotal bool) error {
	f, sheet := b.f, SheetOverview
	share := any(nil)
	if p.Goals > 0 {
		share = float64(p.Final) / float64(p.Goals)
	}
	values := []any{p.Name, p.Students, p.Goals, p.WithEntries, p.Codes[0], p.Codes[1], p.Codes[2],
		p.Codes[3], p.Uncoded, share}
	textStyle, intStyle, pctStyle := b.st.text, b.st.integer, b.st.percent
	if isTotal {
		textStyle, intStyle, pctStyle = b.st.totalText, b.st.totalInt, b.st.totalPct
	} else if isFormulaLike(p.Name) {
		textStyle = b.st.textQ
	}

	row := fmt.Sprint(n)
	last, _ := excelize.ColumnNumberToName(len(values))
	if err := f.SetSheetRow(sheet, "A"+row, &values); err != nil {
		return fmt.Errorf("write overview row %d: %w", n, err)
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{{"A", "A", textStyle}, {"B", "I", intStyle}, {last, last, pctStyle}} {
		if err := f.SetCellStyle(sheet, s.from+row, s.to+row, s.style); err != nil {
			return fmt.Errorf("style overview row %d: %w", n, err)
		}
	}
	return nil
}

// overviewChart adds a clustered column chart of the progress codes per
// program, over rows 2 to last.
func (b *book) overviewChart(last int) error {
	colors := [4]string{"2E7D32", "1F77B4", "E67E22", "9E9E9E"}
	series := make([]excelize.ChartSeries, len(codeOrder))
	for i := range codeOrder {
		col, _ := excelize.ColumnNumberToName(5 + i)
		series[i] = excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", SheetOverview, col),
			Categories: fmt.Sprintf("%s!$A$2:$A$%d", SheetOverview, last),
			Values:     fmt.Sprintf("%s!$%s$2:$%s$%d", SheetOverview, col, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[i]}},
		}
	}
	title := []excelize.RichTextRun{{Text: "Progress codes per program"}}
	err := b.f.AddChart(SheetOverview, "L2", &excelize.Chart{
		Type:       excelize.Col,
		Series:     series,
		VaryColors: new(false),
		Title:      excelize.ChartTitle{Paragraph: title},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: 720, Height: 400},
		YAxis:      excelize.ChartAxis{MajorGridLines: true},
		Format:     excelize.GraphicOptions{ScaleX: 1, ScaleY: 1},
	})
	if err != nil {
		return fmt.Errorf("add overview chart: %w", err)
	}
	return nil
}
