package export

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTableContinuesOnNewSheets(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	st, err := newStyles(f)
	if err != nil {
		t.Fatalf("styles: %v", err)
	}
	tb := newTable(f, "Rows", st.header, []column{
		{title: "Number", width: 10, style: st.integer},
		{title: "Text", width: 20, style: st.text, quoted: st.textQ},
	})
	tb.limit = 2
	for i := range 5 {
		if err := tb.add([]any{i, "=row"}, 0); err != nil {
			t.Fatalf("add row %d: %v", i, err)
		}
	}
	if err := tb.close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatalf("write: %v", err)
	}

	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer func() { _ = g.Close() }()
	want := []string{"Rows", "Rows 2", "Rows 3"}
	if got := tb.sheets; !slices.Equal(got, want) || tb.rows != 5 {
		t.Fatalf("sheets %v with %d rows, want %v with 5", got, tb.rows, want)
	}
	wantRows := []int{2, 2, 1}
	for i, sheet := range want {
		rows, err := g.GetRows(sheet)
		if err != nil || len(rows) != wantRows[i]+1 || !slices.Equal(rows[0], []string{"Number", "Text"}) {
			t.Errorf("%s: %q, %v; want the header and %d rows", sheet, rows, err, wantRows[i])
		}
	}
	if v, _ := g.GetCellValue("Rows 3", "B2"); v != "=row" {
		t.Errorf("Rows 3!B2 = %q, want =row", v)
	}
}

func TestWrappedHeight(t *testing.T) {
	t.Parallel()
	long := string(bytes.Repeat([]byte("word "), 40)) // 200 characters
	for _, tc := range []struct {
		text  string
		width float64
		want  float64
	}{
		{"", 80, 0},
		{"short", 80, 0},
		{long, 80, 3 * lineHeight},
		{long, 200, 0},
		{"two\nlines", 80, 2 * lineHeight},
		{string(bytes.Repeat([]byte("x"), 100_000)), 10, maxHeight},
	} {
		if got := wrappedHeight(tc.text, tc.width); got != tc.want {
			t.Errorf("wrappedHeight(%d characters, %v) = %v, want %v", len(tc.text), tc.width, got, tc.want)
		}
	}
}

func TestIsFormulaLike(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"=1+1", true}, {"+1", true}, {"-1", true}, {"@SUM(A1)", true}, {"\t=1", true},
		{"\r=1", true}, {"", false}, {"Reads 40 words", false}, {" =1", false}, {"a=b", false},
	} {
		if got := isFormulaLike(tc.text); got != tc.want {
			t.Errorf("isFormulaLike(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
