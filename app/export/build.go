package export

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"goaltracker/app/db"
)

// Sheet names of a workbook. Goals and Entries continue on "Goals 2",
// "Entries 2" and so on past Excel's million rows.
const (
	SheetOverview = "Overview"
	SheetGoals    = "Goals"
	SheetEntries  = "Entries"
	SheetAbout    = "About"
)

// Stats counts what a workbook holds.
type Stats struct {
	// Programs is the number of rows of the Overview sheet.
	Programs int
	// Goals and Entries are the rows of the Goals and Entries sheets.
	Goals   int
	Entries int
	// SensitiveLeftOut is the number of the period's sensitive entries,
	// which no workbook lists.
	SensitiveLeftOut int
	// Bytes is the size of the file written.
	Bytes int64
}

// Build writes the workbook of scope to w and returns what it holds. by
// names who asked, for the About sheet. progress, when not nil, gets the
// share of rows written, 0 to 99, each time it grows by a whole percent;
// writing the file then is the last step.
//
// Rows are read from PostgreSQL as they arrive and handed to excelize's
// StreamWriter, so no sheet's rows are ever all in memory; excelize then
// assembles the zip in a memory buffer, so memory grows with the size of
// the file. Sensitive entries and health notes are never read. Every
// query reads one snapshot, so the counts agree with the rows.
//
// A scope whose district, program or period does not exist is an error
// wrapping problem.ErrNotFound; a malformed one is a *problem.Invalid.
func Build(ctx context.Context, d *db.DB, scope Scope, by string, w io.Writer,
	progress func(percent int)) (Stats, error) {
	info, err := resolve(ctx, d.DB, scope)
	if err != nil {
		return Stats{}, err
	}
	snap, err := openSnapshot(ctx, d.Pool)
	if err != nil {
		return Stats{}, err
	}
	defer snap.close(ctx)
	// The entries are asked for first, on the side transaction, so the
	// database reads and sorts them while the other sheets are written.
	entries := prefetchEntries(ctx, snap.side, info)
	defer entries.stop()

	b, err := newBook(info, by, progress)
	if err != nil {
		return Stats{}, err
	}
	defer b.close()
	err = b.write(ctx, snap.main, entries)
	if err == nil {
		// The last rows may have been read before ctx ended; a cancelled
		// build must not look finished.
		err = ctx.Err()
	}
	if err != nil {
		return b.stats, fmt.Errorf("build workbook %s %d of %s: %w", scope.Period, scope.Year,
			info.name(), err)
	}

	n, err := b.f.WriteTo(w)
	b.stats.Bytes = n
	if err != nil {
		return b.stats, fmt.Errorf("write workbook %s %d of %s: %w", scope.Period, scope.Year,
			info.name(), err)
	}
	return b.stats, nil
}

// book is a workbook being built.
type book struct {
	f     *excelize.File
	st    styles
	info  scopeInfo
	by    string
	at    time.Time
	stats Stats
	// programs maps the scope's program ids to their names.
	programs map[int64]string
	// goalSheets and entrySheets are the sheets the tables used.
	goalSheets, entrySheets []string

	// progress gets percent, the share of total rows done.
	progress func(int)
	total    int
	done     int
	percent  int
}

func newBook(info scopeInfo, by string, progress func(int)) (*book, error) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetOverview); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("name overview sheet: %w", err)
	}
	f.SetActiveSheet(0)
	return &book{f: f, st: st, info: info, by: by, at: time.Now(), progress: progress,
		percent: -1}, nil
}

// write fills the sheets in order: the overview and goals read on tx,
// then the entries that are being read already, while tx counts them.
func (b *book) write(ctx context.Context, tx pgx.Tx, entries *prefetcher[entryRow]) error {
	if err := b.writeOverview(ctx, tx); err != nil {
		return err
	}
	if err := b.writeGoals(ctx, tx); err != nil {
		return err
	}

	// tx is free now: it counts the entries while they are written. The
	// count ends before write returns, after which tx may end.
	countCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	counted := make(chan entryCount, 1)
	go func() { counted <- countEntries(countCtx, tx, b.info) }()
	err := b.writeEntries(entries)
	if err != nil {
		cancel()
	}
	count := <-counted
	if err != nil {
		return err
	}
	if count.err != nil {
		return count.err
	}
	b.stats.SensitiveLeftOut = count.sensitive
	return b.writeAbout()
}

// step counts one row written and reports progress when the whole percent
// grows. total is an estimate (the goal reports' entry counts include
// sensitive entries), so the share stops at 99 until the file is done.
func (b *book) step() {
	b.done++
	if b.progress == nil || b.total == 0 {
		return
	}
	if p := min(b.done*100/b.total, 99); p > b.percent {
		b.percent = p
		b.progress(p)
	}
}

// close removes the stream writers' temporary files.
func (b *book) close() { _ = b.f.Close() }
