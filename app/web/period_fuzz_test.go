package web

import (
	"strconv"
	"strings"
	"testing"

	"goaltracker/app/access"
	"goaltracker/app/problem"
	"goaltracker/app/report"
)

// FuzzExportScope feeds any scope and period to the workbook form's
// reader: it either refuses them with a message for the form, or returns
// a known period code of a plausible year and a positive program id.
func FuzzExportScope(f *testing.F) {
	for _, seed := range [][2]string{
		{"district", "2026-Q1"}, {"12", "2026-S2"}, {"district", "2026-Z9"}, {"-1", "2026-Q1"},
		{"district", "2026-"}, {"district", "-Q1"}, {"district", "99999999999999999999-Q1"},
		{"1e3", "2026-Q1"}, {"district", "2026-q1"}, {"district", "2026-Q1-extra"}, {"\xff", "\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	who := access.NewPrincipal(access.Principal{UserID: 1, DistrictID: 7}, nil)
	f.Fuzz(func(t *testing.T, scope, period string) {
		s, err := parseExportScope(who, scope, period)
		if err != nil {
			if inv, ok := problem.AsInvalid(err); !ok || inv.Form == "" {
				t.Fatalf("%q %q: refused without a message: %v", scope, period, err)
			}
			return
		}
		if !report.IsPeriodCode(s.Period) || s.Year < 2000 || s.Year > 2100 || s.DistrictID != 7 {
			t.Fatalf("%q %q: accepted as %+v", scope, period, s)
		}
		if scope != "district" && (s.ProgramID <= 0 || strconv.FormatInt(s.ProgramID, 10) != strings.TrimLeft(scope, "+0")) {
			t.Fatalf("%q: program read as %d", scope, s.ProgramID)
		}
	})
}
