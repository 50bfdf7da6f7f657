package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxRows is the most student rows one import file may hold.
const MaxRows = 20_000

// Columns are the header of an import file, in the order the sample shows
// them. The header may list them in any order and any case.
var Columns = []string{"identifier", "program_year", "enrollment_date", "expected_grad"}

// Row is one student line of an import file, checked on its own.
type Row struct {
	Line int
	values
}

// LineError is a problem with one line of an import file. Line counts from
// 1, the header; an error about the whole file names line 1.
type LineError struct {
	Line    int
	Message string
}

// String writes e as the preview lists it.
func (e LineError) String() string { return "Line " + strconv.Itoa(e.Line) + ": " + e.Message }

// ParseCSV reads an import file: a header line naming Columns, then one
// student a line. It returns the rows that are valid on their own and the
// problems found, each naming its line, in line order. Rows whose every
// value is empty are skipped. Identifiers repeated inside the file
// (ignoring case) are errors naming both lines. A file that cannot be read
// at all (not UTF-8 text, a bad header, broken quoting, too many rows)
// gives no rows.
func ParseCSV(content []byte) ([]Row, []LineError) {
	content = bytes.TrimPrefix(content, []byte("\uFEFF"))
	if errs := checkUTF8(content); len(errs) > 0 {
		return nil, errs
	}
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, []LineError{{1, "The file is empty. Its first line must be the header: " +
			strings.Join(Columns, ",") + "."}}
	}
	if err != nil {
		return nil, []LineError{csvError(err, 1)}
	}
	pos, errs := readHeader(header)
	if len(errs) > 0 {
		return nil, errs
	}
	return readRows(r, pos)
}

// checkUTF8 names each line that is not UTF-8 text.
func checkUTF8(content []byte) []LineError {
	if utf8.Valid(content) {
		return nil
	}
	var errs []LineError
	for i, line := range bytes.Split(content, []byte("\n")) {
		if !utf8.Valid(line) {
			errs = append(errs, LineError{i + 1, "This line is not UTF-8 text. Save the file as " +
				"\"CSV UTF-8\" and upload it again."})
		}
	}
	return errs
}

// readHeader maps each column name to its position in a record.
func readHeader(header []string) (map[string]int, []LineError) {
	pos := map[string]int{}
	var unknown, repeated []string
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case !slices.Contains(Columns, name):
			unknown = append(unknown, strconv.Quote(name))
		case pos[name] != 0:
			repeated = append(repeated, name)
		default:
			pos[name] = i + 1
		}
	}
	var missing []string
	for _, c := range Columns {
		if pos[c] == 0 {
			missing = append(missing, c)
		}
	}
	var msgs []string
	if len(unknown) > 0 {
		msgs = append(msgs, "unknown column "+strings.Join(unknown, ", "))
	}
	if len(repeated) > 0 {
		msgs = append(msgs, "column "+strings.Join(repeated, ", ")+" given twice")
	}
	if len(missing) > 0 {
		msgs = append(msgs, "missing column "+strings.Join(missing, ", "))
	}
	if len(msgs) == 0 {
		return pos, nil
	}
	return nil, []LineError{{1, "The header is wrong: " + strings.Join(msgs, "; ") +
		". It must name the columns " + strings.Join(Columns, ", ") + ", in any order."}}
}

// readRows reads the student lines after the header.
func readRows(r *csv.Reader, pos map[string]int) ([]Row, []LineError) {
	var rows []Row
	var errs []LineError
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, append(errs, csvError(err, 1))
		}
		line, _ := r.FieldPos(0)
		if isBlank(rec) {
			continue
		}
		if len(rows)+len(errs) >= MaxRows {
			return nil, []LineError{{line, fmt.Sprintf("The file has more than %s student rows. "+
				"Split it into files of at most %[1]s rows.", "20,000")}}
		}
		row, msgs := readRow(rec, pos, line)
		if prev, ok := seen[strings.ToLower(row.Identifier)]; ok && row.Identifier != "" {
			msgs = append(msgs, fmt.Sprintf("The identifier %s is also on line %d; each student "+
				"may be listed once.", row.Identifier, prev))
		} else if row.Identifier != "" {
			seen[strings.ToLower(row.Identifier)] = line
		}
		for _, m := range msgs {
			errs = append(errs, LineError{line, m})
		}
		if len(msgs) == 0 {
			rows = append(rows, row)
		}
	}
	if len(rows)+len(errs) == 0 {
		return nil, []LineError{{1, "The file has no student rows after the header."}}
	}
	return rows, errs
}

// readRow checks one student line on its own.
func readRow(rec []string, pos map[string]int, line int) (Row, []string) {
	if len(rec) != len(pos) {
		return Row{Line: line}, []string{fmt.Sprintf("This line has %d values; the header has %d columns.",
			len(rec), len(pos))}
	}
	in := Input{Identifier: rec[pos["identifier"]-1], ProgramYear: rec[pos["program_year"]-1],
		EnrollmentDate: rec[pos["enrollment_date"]-1], ExpectedGrad: rec[pos["expected_grad"]-1]}
	v, inv := in.check()
	var msgs []string
	for _, f := range Columns {
		if m, ok := inv.Fields[f]; ok {
			msgs = append(msgs, m)
		}
	}
	return Row{Line: line, values: v}, msgs
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError turns a CSV syntax error into a message on its line.
func csvError(err error, line int) LineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine > 0 {
			line = pe.StartLine
		}
		msg := "This line cannot be read as CSV"
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg += ": a quotation mark is missing or out of place"
		}
		return LineError{max(line, 1), msg + ". Nothing after it was checked."}
	}
	return LineError{max(line, 1), "This line cannot be read: " + err.Error()}
}
