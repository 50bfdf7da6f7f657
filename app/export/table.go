package export

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// maxDataRows is how many rows a sheet holds below its header: Excel's
// limit of 1,048,576 rows less one.
const maxDataRows = excelize.TotalRows - 1

// column is one column of a streamed table: its header, width in
// characters, style, and the quoted twin of the style for formula-like
// text. A style of zero leaves the column's cells unstyled, which keeps
// the sheet smaller: every styled cell carries its style in the file.
type column struct {
	title  string
	width  float64
	style  int
	quoted int
}

// table writes rows to one or more sheets through excelize's StreamWriter,
// which keeps written rows out of memory. Each sheet gets the styled
// header, frozen below it, an autofilter, column widths and styles. A
// table with more rows than a sheet holds continues on "<name> 2" and so
// on, each sheet with its own header.
type table struct {
	f      *excelize.File
	name   string
	cols   []column
	header int
	sheets []string
	sw     *excelize.StreamWriter
	// row is the last row written on the current sheet, the header
	// included; rows counts data rows over all sheets.
	row  int
	rows int
	// limit is how many data rows a sheet takes; tests lower it.
	limit int
}

func newTable(f *excelize.File, name string, header int, cols []column) *table {
	return &table{f: f, name: name, header: header, cols: cols, limit: maxDataRows}
}

// add writes values as the next row, height points high (zero for the
// default). Formula-like text gets its column's quoted style; values is
// changed in place to say so, and may be reused for the next row.
func (t *table) add(values []any, height float64) error {
	if t.sw == nil || t.row > t.limit {
		if err := t.next(); err != nil {
			return err
		}
	}
	for i, v := range values {
		if s, ok := v.(string); ok && isFormulaLike(s) {
			values[i] = excelize.Cell{StyleID: t.cols[i].quoted, Value: s}
		}
	}
	t.row++
	var opts []excelize.RowOpts
	if height > 0 {
		opts = append(opts, excelize.RowOpts{Height: height})
	}
	if err := t.sw.SetRow("A"+strconv.Itoa(t.row), values, opts...); err != nil {
		return fmt.Errorf("write row %d of sheet %s: %w", t.row, t.sheets[len(t.sheets)-1], err)
	}
	t.rows++
	return nil
}

// next ends the current sheet, if any, and starts another with the header.
func (t *table) next() error {
	if err := t.end(); err != nil {
		return err
	}
	name := t.name
	if len(t.sheets) > 0 {
		name = fmt.Sprintf("%s %d", t.name, len(t.sheets)+1)
	}
	if _, err := t.f.NewSheet(name); err != nil {
		return fmt.Errorf("add sheet %s: %w", name, err)
	}
	sw, err := t.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("stream sheet %s: %w", name, err)
	}
	t.sheets, t.sw, t.row = append(t.sheets, name), sw, 1

	// Widths, styles and panes must precede the first row.
	for i, c := range t.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return fmt.Errorf("size column %d of %s: %w", i+1, name, err)
		}
		if c.style == 0 {
			continue
		}
		if err := sw.SetColStyle(i+1, i+1, c.style); err != nil {
			return fmt.Errorf("style column %d of %s: %w", i+1, name, err)
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return fmt.Errorf("freeze header of %s: %w", name, err)
	}
	titles := make([]any, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	err = sw.SetRow("A1", titles, excelize.RowOpts{StyleID: t.header, Height: 30})
	if err != nil {
		return fmt.Errorf("write header of %s: %w", name, err)
	}
	return nil
}

// end adds the autofilter over the current sheet's rows and flushes it.
// The filter goes on the worksheet the stream writer still holds, so it
// must come before Flush.
func (t *table) end() error {
	if t.sw == nil {
		return nil
	}
	sheet := t.sheets[len(t.sheets)-1]
	last, err := excelize.CoordinatesToCellName(len(t.cols), t.row)
	if err != nil {
		return err
	}
	if err := t.f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("add filter to %s: %w", sheet, err)
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet %s: %w", sheet, err)
	}
	t.sw = nil
	return nil
}

// lineHeight is the height in points of a line of text in the default
// font, and maxHeight the most Excel allows a row.
const (
	lineHeight = 15
	maxHeight  = 409
)

// wrappedHeight returns the height of a row whose tallest cell is s,
// wrapped in a column width characters wide, or zero when one line is
// enough. Spreadsheets do not all fit rows to wrapped text on opening, so
// the rows of long text get their height set. A column's width counts
// digits, which are wider than most letters: a line takes about a tenth
// more characters than that.
func wrappedHeight(s string, width float64) float64 {
	perLine := width * 1.1
	lines, chars := 1, 0
	for _, r := range s {
		chars++
		if r == '\n' || float64(chars) > perLine {
			lines, chars = lines+1, 0
		}
	}
	if lines == 1 {
		return 0
	}
	return min(float64(lines*lineHeight), maxHeight)
}

// close ends the table; a table without rows still gets a sheet with its
// header, so every workbook has the same sheets.
func (t *table) close() error {
	if len(t.sheets) == 0 {
		if err := t.next(); err != nil {
			return err
		}
	}
	return t.end()
}

// frozenHeader freezes the first row.
func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}
