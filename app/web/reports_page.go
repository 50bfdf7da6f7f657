package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/problem"
	"goaltracker/app/report"
	"goaltracker/jobs"
	"goaltracker/views/components"
	"goaltracker/views/reports"
)

// showReports shows the Reports page: each visible program's reports of
// the chosen period, the compile buttons for those who may compile, and
// the recent compile runs. htmx requests get the same page: nothing swaps
// a part of it.
func (s *Server) showReports(c *fiber.Ctx) error {
	ctx, who := c.UserContext(), principal(c)
	periods, chosen, hasPeriod, err := s.choosePeriod(ctx, who.DistrictID, queryPeriod(c))
	if err != nil {
		return err
	}

	v := reports.PageView{Picker: periodPicker("/reports", periods, chosen), HasPeriod: hasPeriod,
		CSRFToken: s.csrfToken(c)}
	if hasPeriod {
		rows, err := s.reports.Overview(ctx, who, chosen)
		if err != nil {
			return err
		}
		fillOverview(&v, who, chosen, rows)
	}

	runs, err := s.reports.History(ctx, who)
	if err != nil {
		return err
	}
	v.History = historyRows(runs)
	return s.render(c, reports.ReportsPage(s.page(c, "Reports", "reports"), v))
}

func fillOverview(v *reports.PageView, who *access.Principal, p report.Period, rows []report.ProgramProgress) {
	v.PeriodLabel = periodLabel(p)
	v.Period, v.Year = p.Code, strconv.Itoa(p.Year)
	district := report.Scope{DistrictID: who.DistrictID, Year: p.Year, Period: p.Code}
	v.CanCompileDistrict = report.CanCompile(who, district)
	v.CanCompileAny = v.CanCompileDistrict
	for _, r := range rows {
		program := district
		program.ProgramID = r.ProgramID
		row := reports.ProgramRow{ID: r.ProgramID, Name: r.ProgramName, Goals: r.Goals, Drafts: r.Drafts,
			Finals: r.Finals, FinalPercent: r.FinalPercent(), LastCompiled: formatMoment(r.LastCompiledAt),
			CanCompile: report.CanCompile(who, program)}
		v.CanCompileAny = v.CanCompileAny || row.CanCompile
		v.Programs = append(v.Programs, row)
		v.Total.Goals += r.Goals
		v.Total.Drafts += r.Drafts
		v.Total.Finals += r.Finals
	}
	v.Total.FinalPercent = report.ProgramProgress{Goals: v.Total.Goals, Finals: v.Total.Finals}.FinalPercent()
}

func historyRows(runs []report.Run) []reports.HistoryRow {
	rows := make([]reports.HistoryRow, 0, len(runs))
	for _, r := range runs {
		row := reports.HistoryRow{Scope: r.ProgramName, Period: r.Period + " " + schoolYear(r.Year),
			State: runState(r), Attempts: "—", Started: formatMoment(r.StartedAt),
			Students: strconv.Itoa(r.StudentsDone) + " of " + strconv.Itoa(r.StudentsTotal),
			Error:    r.Error}
		if row.Scope == "" {
			row.Scope = "Whole district"
		}
		if r.JobState != "" {
			row.Attempts = strconv.Itoa(r.Attempt)
		}
		if !r.FinishedAt.IsZero() {
			row.Duration = formatDuration(r.FinishedAt.Sub(r.StartedAt))
		}
		if row.Error == "" {
			row.Error = r.JobError
		}
		rows = append(rows, row)
	}
	return rows
}

// runState names where a run stands, counting River's view: a failed run
// River will retry is retrying, a running one River gave up on stopped.
func runState(r report.Run) string {
	switch {
	case r.State == report.CompileFailed && isQueued(r.JobState):
		return "retrying"
	case r.State == report.CompileRunning && !isQueued(r.JobState):
		return "stopped"
	}
	return r.State
}

// isQueued reports whether River will still run, or is running, a job in
// state.
func isQueued(state string) bool {
	switch state {
	case "available", "pending", "running", "retryable", "scheduled":
		return true
	}
	return false
}

// requestCompile enqueues a compile of the period for one program (the
// form's program) or the whole district (no program), and answers with its
// progress bar, which polls on its own. A compile of the same scope still
// queued or running is shown instead of a second one. Without htmx the
// browser goes to the job's page.
func (s *Server) requestCompile(c *fiber.Ctx) error {
	ctx, who := c.UserContext(), principal(c)
	scope, err := parseCompileScope(c, who.DistrictID)
	if err != nil {
		return err
	}
	req, err := s.reports.RequestCompile(ctx, who, scope, s.enqueueCompile(who.UserID))
	if err != nil {
		return err
	}

	if !isHTMX(c) {
		if req.IsDuplicate {
			s.setFlash(c, "info", "A compile of this scope was already under way; this is its progress.")
		}
		return c.Redirect(jobPath(req.JobID), fiber.StatusSeeOther)
	}
	st, err := s.reports.Job(ctx, who, req.JobID)
	if err != nil {
		return err
	}
	v := jobView(st)
	if req.IsDuplicate {
		v.Message = "Already under way; this is its progress."
	}
	return s.render(c, reports.JobProgress(v))
}

// parseCompileScope reads the compile form: period, year and an optional
// program. Unreadable values are a *problem.Invalid.
func parseCompileScope(c *fiber.Ctx, districtID int64) (report.Scope, error) {
	scope := report.Scope{DistrictID: districtID, Period: formText(c, "period")}
	inv := problem.NewInvalid()
	if !report.IsPeriodCode(scope.Period) {
		inv.Add("period", "Choose a period of the district's calendar.")
	}
	year, err := strconv.Atoi(c.FormValue("year"))
	if err != nil || year < 2000 || year > 2200 {
		inv.Add("year", "Choose a school year of the district's calendar.")
	}
	scope.Year = year
	if raw := c.FormValue("program"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			inv.Add("program", "Choose a program from the list.")
		}
		scope.ProgramID = id
	}
	if err := inv.Err(); err != nil {
		return report.Scope{}, fmt.Errorf("read compile form: %w", err)
	}
	return scope, nil
}

// enqueueCompile inserts the compile job in the transaction the report
// service runs, so the job commits or rolls back with the checks before it.
func (s *Server) enqueueCompile(userID int64) report.Enqueue {
	return func(ctx context.Context, tx *sql.Tx, scope report.Scope) (int64, bool, error) {
		args := jobs.CompileArgs{DistrictID: scope.DistrictID, ProgramID: scope.ProgramID,
			Year: scope.Year, Period: scope.Period, RequestedBy: userID}
		res, err := s.jobs.InsertTx(ctx, tx, args, nil)
		if err != nil {
			return 0, false, fmt.Errorf("insert compile job: %w", err)
		}
		return res.Job.ID, res.UniqueSkippedAsDuplicate, nil
	}
}

// showCompileJob answers a compile job's progress: the fragment that polls
// itself for htmx, a page of its own otherwise. A job whose scope the
// person may not see answers 404.
func (s *Server) showCompileJob(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	st, err := s.reports.Job(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	v := jobView(st)
	if isHTMX(c) {
		return s.render(c, reports.JobProgress(v))
	}
	pv := reports.JobPageView{Job: v, BackURL: v.ReloadURL}
	return s.render(c, reports.JobPage(s.page(c, "Compile of "+v.Scope, "reports"), pv))
}

// jobView turns a job's status into what its progress bar shows.
func jobView(st *report.JobStatus) reports.JobView {
	scope := report.Period{Code: st.Scope.Period, Year: st.Scope.Year}
	v := reports.JobView{ID: st.JobID, Scope: periodName(scope) + ", whole district",
		ReloadURL: periodPath("/reports", scope), Error: st.LastError}
	if st.ProgramName != "" {
		v.Scope = periodName(scope) + ", " + st.ProgramName
	}
	run := st.Run
	if run != nil {
		v.Percent, v.StudentsDone, v.StudentsTotal = run.Percent(), run.StudentsDone, run.StudentsTotal
		v.GoalsWritten = run.GoalsWritten
		if run.Error != "" {
			v.Error = run.Error
		}
	}
	v.Phase = jobPhase(st)
	if v.Phase == reports.PhaseDone && run != nil && !run.FinishedAt.IsZero() {
		v.Duration = formatDuration(run.FinishedAt.Sub(run.StartedAt))
	}
	return v
}

// jobPhase places a job on the progress bar's states. Before a worker
// records its run only River's state is known.
func jobPhase(st *report.JobStatus) string {
	run, queued := st.Run, isQueued(st.State)
	switch {
	case run != nil && run.State == report.CompileDone, run == nil && st.State == "completed":
		return reports.PhaseDone
	case !queued:
		return reports.PhaseFailed
	case st.State == "retryable", run != nil && run.State == report.CompileFailed:
		return reports.PhaseRetrying
	case run == nil && st.State != "running":
		return reports.PhaseWaiting
	}
	return reports.PhaseRunning
}

// periodQuery is a period as a URL asks for it: a code and a year, each
// possibly empty.
type periodQuery struct{ code, year string }

// queryPeriod reads ?period= and ?year=, copied because Fiber reuses
// their memory.
func queryPeriod(c *fiber.Ctx) periodQuery {
	return periodQuery{code: strings.Clone(c.Query("period")), year: strings.Clone(c.Query("year"))}
}

// choosePeriod finds the period at asks for in the district's calendar; by
// default the current quarter, else the latest quarter that has begun,
// else the first period. A code or year left out is the default's.
// hasPeriod is false for a district without a calendar. A period the
// calendar lacks is a *problem.Invalid.
func (s *Server) choosePeriod(ctx context.Context, districtID int64, at periodQuery) (periods []report.Period,
	chosen report.Period, hasPeriod bool, err error) {
	if periods, err = s.reports.Periods(ctx, districtID); err != nil || len(periods) == 0 {
		return periods, chosen, false, err
	}
	chosen, hasCurrent, err := s.reports.Current(ctx, districtID, s.today())
	if err != nil {
		return nil, chosen, false, err
	}
	if !hasCurrent {
		chosen = latestBegun(periods, s.today())
	}
	if at.code == "" && at.year == "" {
		return periods, chosen, true, nil
	}

	code, year := chosen.Code, chosen.Year
	if at.code != "" {
		code = at.code
	}
	if at.year != "" {
		year, _ = strconv.Atoi(at.year)
	}
	for _, p := range periods {
		if p.Code == code && p.Year == year {
			return periods, p, true, nil
		}
	}
	inv := problem.NewInvalid()
	inv.Add("period", "Choose a period from the list.")
	return nil, chosen, false, fmt.Errorf("choose period %q of %q: %w", at.code, at.year, inv)
}

// latestBegun returns the last period of periods, in calendar order, that
// began on or before day, or the first when none has.
func latestBegun(periods []report.Period, day time.Time) report.Period {
	chosen := periods[0]
	for _, p := range periods {
		if !p.StartsOn.After(day) && p.Code[0] == 'Q' {
			chosen = p
		}
	}
	return chosen
}

// periodPicker lists the calendar's period codes and school years.
func periodPicker(action string, periods []report.Period, chosen report.Period) reports.PeriodPicker {
	pk := reports.PeriodPicker{Action: action, Code: chosen.Code, Year: strconv.Itoa(chosen.Year)}
	seenCode, seenYear := map[string]bool{}, map[int]bool{}
	for _, p := range periods {
		if !seenCode[p.Code] {
			seenCode[p.Code] = true
			pk.Codes = append(pk.Codes, components.Option{Value: p.Code, Label: periodWord(p.Code)})
		}
		if !seenYear[p.Year] {
			seenYear[p.Year] = true
			pk.Years = append(pk.Years, components.Option{Value: strconv.Itoa(p.Year), Label: schoolYear(p.Year)})
		}
	}
	sortOptions(pk.Codes)
	return pk
}

// sortOptions orders period codes quarters first, then semesters; the
// calendar interleaves them by date.
func sortOptions(opts []components.Option) {
	slices.SortStableFunc(opts, func(a, b components.Option) int { return strings.Compare(a.Value, b.Value) })
}

// periodWord names a period code: Q2 is "Quarter 2", S1 "Semester 1".
func periodWord(code string) string {
	if len(code) != 2 {
		return code
	}
	switch code[0] {
	case 'Q':
		return "Quarter " + code[1:]
	case 'S':
		return "Semester " + code[1:]
	}
	return code
}

// schoolYear writes the school year starting in year: 2026 is "2026-27".
func schoolYear(year int) string {
	return fmt.Sprintf("%d-%02d", year, (year+1)%100)
}

// periodName is "Quarter 2 of 2026-27".
func periodName(p report.Period) string { return periodWord(p.Code) + " of " + schoolYear(p.Year) }

// periodLabel is periodName with the period's dates.
func periodLabel(p report.Period) string {
	return periodName(p) + " (" + formatDay(p.StartsOn) + " to " + formatDay(p.EndsOn) + ")"
}

// periodPath is path with the period in its query.
func periodPath(path string, p report.Period) string {
	q := url.Values{"period": {p.Code}, "year": {strconv.Itoa(p.Year)}}
	return path + "?" + q.Encode()
}

func jobPath(id int64) string { return "/reports/jobs/" + itoa(id) }

// formatMoment writes a time of day to the minute, in the server's zone;
// the zero time gives "".
func formatMoment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("Jan 2, 2006 15:04")
}

// formatDuration writes d in seconds below a minute and minutes above.
func formatDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}
