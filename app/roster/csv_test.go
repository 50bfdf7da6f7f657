package roster

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

const header = "identifier,program_year,enrollment_date,expected_grad\n"

func TestParseCSVReadsRows(t *testing.T) {
	t.Parallel()
	file := "\uFEFF EXPECTED_GRAD ,Identifier,enrollment_date,program_year\r\n" +
		"2030-06-15, A-1 ,9/1/2026,3\r\n" +
		",,,\r\n" +
		"\r\n" +
		",\"B,2\",2026-09-01,\r\n"
	rows, errs := ParseCSV([]byte(file))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	a := rows[0]
	if a.Line != 2 || a.Identifier != "A-1" || a.ProgramYear != 3 ||
		!a.EnrollmentDate.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) ||
		!a.ExpectedGrad.Equal(time.Date(2030, 6, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first row = %+v", a)
	}
	if b := rows[1]; b.Line != 5 || b.Identifier != "B,2" || b.ProgramYear != 0 || !b.ExpectedGrad.IsZero() {
		t.Errorf("second row = %+v", b)
	}
}

func TestParseCSVErrorsNameTheirLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string // "line: part of the message"
	}{
		{"empty", "", []string{"1: The file is empty"}},
		{"only a BOM", "\uFEFF", []string{"1: The file is empty"}},
		{"header only", header + "\n,,,\n", []string{"1: The file has no student rows"}},
		{"unknown and missing columns", "identifier,year,grade\nA,1,2\n",
			[]string{`1: The header is wrong: unknown column "year", "grade"; missing column program_year`}},
		{"column twice", "identifier,identifier,program_year,enrollment_date,expected_grad\n",
			[]string{"1: The header is wrong: column identifier given twice"}},
		{"bad values", header + "A,0,,\nB,1.5,,\nC,,2026-02-30,\nD,,13/1/2026,\nE,,2026-09-01,2026-08-31\n" +
			",1,,\n" + strings.Repeat("é", 51) + ",,,\nF,1\n",
			[]string{"2: The program year", "3: The program year", "4: Enter a date", "5: Enter a date",
				"6: The expected graduation cannot be before", "7: Enter the student",
				"8: The identifier is at most 50 characters; this one has 51", "9: This line has 2 values"}},
		{"duplicates", header + "A,,,\nB,,,\na,,,\n", []string{"4: The identifier a is also on line 2"}},
		{"invalid UTF-8", header + "A,,,\n\xffB,,,\nC\xc3,,,\n", []string{"3: This line is not UTF-8",
			"4: This line is not UTF-8"}},
		{"broken quotes", header + "A,,,\n\"B,,,\nC,,,\n", []string{"3: This line cannot be read as CSV"}},
		{"bare quote", header + "A\"B,,,\n", []string{"2: This line cannot be read as CSV"}},
		{"control character", header + "A\x01B,,,\n", []string{"2: The identifier may not hold"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errs := ParseCSV([]byte(tc.file))
			if len(errs) != len(tc.want) {
				t.Fatalf("errors = %v, want %d", errs, len(tc.want))
			}
			for i, w := range tc.want {
				line, part, _ := strings.Cut(w, ": ")
				if got := errs[i].String(); !strings.HasPrefix(got, "Line "+line+": ") ||
					!strings.Contains(got, part) {
					t.Errorf("error %d = %q, want line %s with %q", i, got, line, part)
				}
			}
		})
	}
}

func TestParseCSVRefusesTooManyRows(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(header)
	for i := range MaxRows {
		b.WriteString("S-" + strconv.Itoa(i) + ",1,,\n")
	}
	atLimit := b.String()
	b.WriteString("S-LAST,1,,\n")
	rows, errs := ParseCSV([]byte(b.String()))
	if len(rows) != 0 || len(errs) != 1 || errs[0].Line != MaxRows+2 ||
		!strings.Contains(errs[0].Message, "more than 20,000") {
		t.Fatalf("%d rows, errors %v", len(rows), errs)
	}

	rows, errs = ParseCSV([]byte(atLimit))
	if len(rows) != MaxRows || len(errs) != 0 {
		t.Fatalf("at the limit: %d rows, errors %v", len(rows), errs)
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" for none, "!" for an error
	}{
		{"", ""}, {" 2026-09-01 ", "2026-09-01"}, {"9/1/2026", "2026-09-01"}, {"09/01/2026", "2026-09-01"},
		{"12/31/2026", "2026-12-31"}, {"2/29/2027", "!"}, {"31/12/2026", "!"}, {"2026-9-1", "!"},
		{"9/1/26", "!"}, {"1/1/1989", "!"}, {"1/1/2101", "!"}, {"tomorrow", "!"},
	}
	for _, tc := range tests {
		d, msg := ParseDate(tc.in)
		got := dayText(d)
		if msg != "" {
			got = "!"
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzParseRosterCSV checks that no file makes the parser panic, that every
// error names a line of the file, and that rows and errors never overlap.
func FuzzParseRosterCSV(f *testing.F) {
	seeds := []string{
		"", "\uFEFF", header, header + "A,1,2026-09-01,2030-06-15\n", header + "A,1,9/1/2026,\n",
		"identifier\nA\n", "identifier,year\n", header + "\"A,,,\n", header + "A\"B,,,\n",
		header + "\xff\xfe,,,\n", "\xff" + header, header + "A,,,\nA,,,\n", header + "A,1\n",
		header + "A,1,,,,,\n", "\r\n\r\n" + header + "\r\nA,1,,\r\n", header + "\"A\nB\",1,,\n",
		header + strings.Repeat("x", 60) + ",,,\n", header + "A\x00,,,\n", "a,b,c\n1,2,3\n",
		",,,\n", header + ",,,\n,,,\n", header + "A,99999999999999999999,,\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		lines := strings.Count(string(content), "\n") + 1
		rows, errs := ParseCSV(content)
		errLines := map[int]bool{}
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("error on line %d of a %d-line file: %s", e.Line, lines, e.Message)
			}
			if e.Message == "" {
				t.Fatalf("error on line %d without a message", e.Line)
			}
			errLines[e.Line] = true
		}
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatal("neither rows nor errors")
		}
		for _, r := range rows {
			if r.Line < 2 || r.Line > lines || errLines[r.Line] || r.Identifier == "" {
				t.Fatalf("row %+v overlaps an error or leaves the file", r)
			}
		}
	})
}
