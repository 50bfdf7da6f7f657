package export

import (
	"github.com/jackc/pgx/v5/pgtype"

	"goaltracker/app/report"
)

// The helpers below turn scanned columns into cell values: nil for NULL,
// which leaves the cell empty. Labels are kept boxed, so a row does not
// allocate for them.

func text(v pgtype.Text) any {
	if !v.Valid || v.String == "" {
		return nil
	}
	return v.String
}

func integer(v pgtype.Int4) any {
	if !v.Valid {
		return nil
	}
	return v.Int32
}

func number(v pgtype.Float8) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

func date(v pgtype.Date) any {
	if !v.Valid || v.InfinityModifier != pgtype.Finite {
		return nil
	}
	return v.Time
}

var yes, no any = "Yes", "No"

func yesNo(v pgtype.Bool) any {
	switch {
	case !v.Valid:
		return nil
	case v.Bool:
		return yes
	}
	return no
}

var codeCells = map[string]any{
	report.CodeMastered:     "Mastered",
	report.CodeSufficient:   "Sufficient",
	report.CodeInsufficient: "Insufficient",
	report.CodeNotAddressed: "Not addressed",
}

// codeLabel names a progress code for people; an unknown code is shown
// as stored.
func codeLabel(v pgtype.Text) any {
	if !v.Valid {
		return nil
	}
	if label, ok := codeCells[v.String]; ok {
		return label
	}
	return v.String
}

var statusCells = map[string]any{report.StatusDraft: "Draft", report.StatusFinal: "Final"}

func statusLabel(v pgtype.Text) any {
	if label, ok := statusCells[v.String]; ok {
		return label
	}
	return text(v)
}
