package export

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"goaltracker/app/audit"
)

// recordType names exports in the audit log.
const recordType = "report_export"

// RequestTx records in tx a queued export of scope, asked for by userID
// (zero when no person asked: the schedule or the command line), writes
// the export_requested audit event, and returns the export. The caller
// enqueues the export's job in the same transaction, so that the row and
// its job commit or roll back together.
//
// A program scope without a district gets the program's. A malformed
// scope is a *problem.Invalid; a district, program or period that does
// not exist, or a program of another district, is an error wrapping
// problem.ErrNotFound.
func (s *Service) RequestTx(ctx context.Context, tx bun.Tx, scope Scope, userID int64) (*Export, error) {
	info, err := resolve(ctx, tx, scope)
	if err != nil {
		return nil, err
	}
	e := &Export{DistrictID: info.DistrictID, ProgramID: info.ProgramID, Year: info.Year,
		Period: info.Period, State: StateQueued, RequestedBy: userID,
		Filename: Filename(info.name(), info.Year, info.Period)}
	if _, err := tx.NewInsert().Model(e).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("record export of %s %d: %w", info.Period, info.Year, err)
	}

	details := map[string]any{"year": e.Year, "period": e.Period, "filename": e.Filename}
	if e.ProgramID != 0 {
		details["program_id"] = e.ProgramID
	}
	err = audit.NewLog(tx).Record(ctx, &audit.Event{Action: audit.ActionExportRequested,
		UserID: userID, DistrictID: e.DistrictID, RecordType: recordType, RecordID: e.ID,
		Details: details})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// RecordDownload writes the export_download audit event of userID, from
// address ip, fetching e.
func (s *Service) RecordDownload(ctx context.Context, e *Export, userID int64, ip string) error {
	return audit.NewLog(s.db).Record(ctx, &audit.Event{Action: audit.ActionExportDownload,
		UserID: userID, DistrictID: e.DistrictID, RecordType: recordType, RecordID: e.ID, IP: ip,
		Details: map[string]any{"filename": e.Filename, "sha256": e.SHA256, "size_bytes": e.SizeBytes}})
}

// Filename names the workbook of name's period year: the name in
// lower-case ASCII words joined by hyphens, then the year and period, such
// as riverside-unified-school-district-2026-Q2.xlsx. Accents are dropped,
// other characters separate words, and a name with nothing left becomes
// "workbook".
func Filename(name string, year int, period string) string {
	base := slug(name)
	if base == "" {
		base = "workbook"
	}
	return fmt.Sprintf("%s-%d-%s.xlsx", base, year, strings.ToUpper(slug(period)))
}

// maxSlugBytes keeps file names well under the 255 bytes file systems allow.
const maxSlugBytes = 80

// slug returns the letters and digits of s, lower-cased and without
// accents, as words joined by hyphens, at most maxSlugBytes long.
func slug(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(unicode.ToLower(r))
		default:
			gap = true
		}
		if b.Len() >= maxSlugBytes {
			break
		}
	}
	return strings.TrimRight(b.String()[:min(b.Len(), maxSlugBytes)], "-")
}
