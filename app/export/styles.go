package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// styles are the cell formats of a workbook, made once per file. Each text
// style has a quoted twin for text that a spreadsheet could take for a
// formula (see isFormulaLike).
type styles struct {
	header   int
	plainQ   int
	text     int
	textQ    int
	wrap     int
	wrapQ    int
	integer  int
	decimal  int
	trend    int
	percent  int
	date     int
	dateTime int
	// leftDate and leftDateTime are dates among text, on the About sheet.
	leftDate     int
	leftDateTime int
	label        int
	labelQ       int
	title        int
	note         int
	noteQ        int
	totalText    int
	totalInt     int
	totalPct     int
}

// fontFamily is the default font of a new excelize workbook.
const fontFamily = "Calibri"

// newStyles adds the workbook's styles to f.
func newStyles(f *excelize.File) (styles, error) {
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	// Every font names its family: excelize would otherwise write an empty
	// name, which some spreadsheets replace with a serif font.
	bold := &excelize.Font{Bold: true, Family: fontFamily, Size: 11}
	topBorder := []excelize.Border{{Type: "top", Color: "1F4E78", Style: 1}}
	var (
		s   styles
		err error
	)
	add := func(dst *int, st *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(st)
		}
	}
	add(&s.header, &excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF", Family: fontFamily, Size: 11},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	add(&s.text, &excelize.Style{Alignment: top})
	add(&s.wrap, &excelize.Style{Alignment: wrapTop})
	add(&s.integer, &excelize.Style{Alignment: top, NumFmt: 3})
	add(&s.decimal, &excelize.Style{Alignment: top, NumFmt: 2})
	add(&s.trend, &excelize.Style{Alignment: top, CustomNumFmt: new("+0.00;-0.00;0.00")})
	add(&s.percent, &excelize.Style{Alignment: top, CustomNumFmt: new("0.0%")})
	add(&s.date, &excelize.Style{Alignment: top, CustomNumFmt: new("yyyy-mm-dd")})
	add(&s.dateTime, &excelize.Style{Alignment: top, CustomNumFmt: new("yyyy-mm-dd hh:mm")})
	left := &excelize.Alignment{Vertical: "top", Horizontal: "left"}
	add(&s.leftDate, &excelize.Style{Alignment: left, CustomNumFmt: new("yyyy-mm-dd")})
	add(&s.leftDateTime, &excelize.Style{Alignment: left, CustomNumFmt: new("yyyy-mm-dd hh:mm")})
	add(&s.label, &excelize.Style{Alignment: top, Font: bold})
	add(&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Family: fontFamily}})
	add(&s.note, &excelize.Style{Alignment: wrapTop,
		Font: &excelize.Font{Color: "404040", Family: fontFamily, Size: 11}})
	add(&s.totalText, &excelize.Style{Alignment: top, Font: bold, Border: topBorder})
	add(&s.totalInt, &excelize.Style{Alignment: top, Font: bold, Border: topBorder, NumFmt: 3})
	add(&s.totalPct, &excelize.Style{Alignment: top, Font: bold, Border: topBorder,
		CustomNumFmt: new("0.0%")})
	if err != nil {
		return s, fmt.Errorf("add workbook styles: %w", err)
	}

	// The quoted twins come last: NewStyle returns the first existing style
	// that matches, so a later call could otherwise hand out a twin.
	s.plainQ, s.textQ, s.wrapQ = quoted(f, 0), quoted(f, s.text), quoted(f, s.wrap)
	s.labelQ, s.noteQ = quoted(f, s.label), quoted(f, s.note)
	return s, nil
}

// quoted adds a copy of style id that sets Excel's quote prefix and
// returns the copy's id. A quote-prefixed cell shows its text as written,
// and stays text when a person edits it and presses Enter, where a plain
// text cell starting with "=" would turn into a formula. excelize's Style
// has no field for it, so the copy is made on the style sheet directly.
func quoted(f *excelize.File, id int) int {
	xfs := f.Styles.CellXfs
	xf := xfs.Xf[id]
	xf.QuotePrefix = new(true)
	xfs.Xf = append(xfs.Xf, xf)
	xfs.Count = len(xfs.Xf)
	return len(xfs.Xf) - 1
}

// isFormulaLike reports whether a spreadsheet could read s as a formula,
// or a program reading a CSV saved from the workbook could: text starting
// with =, +, -, @, a tab or a carriage return.
func isFormulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
