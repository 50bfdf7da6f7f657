package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"goaltracker/app/db"
	"goaltracker/app/export"
	"goaltracker/app/report"
	"goaltracker/jobs"
)

const exportUsage = "report export --district ID | --program ID --year YEAR --period Q1-Q4|S1|S2 --out FILE"

// exportCommand builds the workbook of a district's or a program's period
// and saves it to a file.
func exportCommand(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("report export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	district := fs.Int64("district", 0, "district id")
	program := fs.Int64("program", 0, "program id")
	year := fs.Int("year", 0, "school year, by the calendar year it starts in")
	period := fs.String("period", "", "Q1-Q4, S1 or S2")
	out := fs.String("out", "", "file to write the workbook to")
	err := fs.Parse(args)
	if err != nil || fs.NArg() > 0 || (*district <= 0 && *program <= 0) || *district < 0 || *program < 0 ||
		*year <= 0 || !report.IsPeriodCode(*period) || *out == "" {
		return fmt.Errorf("%w: %s", ErrUsage, exportUsage)
	}
	scope := export.Scope{DistrictID: *district, ProgramID: *program, Year: *year, Period: *period}
	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		return exportNow(ctx, env, d, scope, *out)
	})
}

// exportNow records the export and enqueues its job, works it in this
// process, printing its progress, and saves the stored workbook to path.
// Going through the job makes the command's workbook the same as any
// other: listed with the district's exports and in the audit log.
func exportNow(ctx context.Context, env Env, d *db.DB, scope export.Scope, path string) error {
	client, err := startJobs(ctx, env, d)
	if err != nil {
		return err
	}
	defer func() { _ = stopJobs(env, client) }()
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled)
	defer cancel()

	inserter, err := jobs.NewInserter(d.SQL())
	if err != nil {
		return err
	}
	e, err := jobs.RequestExport(ctx, d, inserter, scope, 0, jobs.OriginCommandLine)
	if err != nil {
		return err
	}
	if err := followExport(ctx, env, d, e.ID, events); err != nil {
		return err
	}
	return saveExport(ctx, env, d, e.ID, path)
}

// followExport prints the export's progress every second until its job
// ends, and fails unless the job completed.
func followExport(ctx context.Context, env Env, d *db.DB, id int64, events <-chan *river.Event) error {
	svc := export.NewService(d)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last := -1
	show := func() {
		if e, err := svc.Get(ctx, id); err == nil && e.ProgressPercent != last {
			last = e.ProgressPercent
			fmt.Fprintf(env.Out, "%3d%%  building %s\n", e.ProgressPercent, e.Filename)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			show()
		case ev := <-events:
			if !isExportJob(ev.Job, id) {
				continue
			}
			show()
			if ev.Job.State != rivertype.JobStateCompleted {
				return fmt.Errorf("export job %d ended %s: %w", ev.Job.ID, ev.Job.State, lastError(ev.Job))
			}
			return nil
		}
	}
}

func isExportJob(job *rivertype.JobRow, id int64) bool {
	var a jobs.ExportArgs
	if job.Kind != a.Kind() || json.Unmarshal(job.EncodedArgs, &a) != nil {
		return false
	}
	return a.ExportID == id
}

// saveExport writes the stored workbook of export id to path: to a
// temporary file beside it first, so path never holds half a workbook.
// The file is readable by its owner only, as it names students.
func saveExport(ctx context.Context, env Env, d *db.DB, id int64, path string) error {
	e, err := export.NewService(d).Content(ctx, id)
	if err != nil {
		return err
	}
	if e.State != export.StateDone {
		return fmt.Errorf("export %d is %s, not done", id, e.State)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.xlsx")
	if err != nil {
		return fmt.Errorf("save workbook: %w", err)
	}
	_, err = tmp.Write(e.Content)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("save workbook to %s: %w", path, err)
	}
	fmt.Fprintf(env.Out, "saved %s (%d bytes, sha256 %s)\n", path, e.SizeBytes, e.SHA256)
	return nil
}
