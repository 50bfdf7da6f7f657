package web

import (
	"errors"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"goaltracker/app/goal"
	"goaltracker/app/problem"
	"goaltracker/app/report"
	"goaltracker/views/chart"
	"goaltracker/views/components"
	"goaltracker/views/reports"
)

// Messages of refused report changes.
const (
	msgReportFinal    = "This report is final; it can no longer be changed."
	msgReportConflict = "Someone changed this report while you were editing it. Check it and try again."
)

// codeOptions are the progress codes a report may take, in words.
var codeOptions = []components.Option{
	{Value: report.CodeMastered, Label: reports.CodeText(report.CodeMastered)},
	{Value: report.CodeSufficient, Label: reports.CodeText(report.CodeSufficient)},
	{Value: report.CodeInsufficient, Label: reports.CodeText(report.CodeInsufficient)},
	{Value: report.CodeNotAddressed, Label: reports.CodeText(report.CodeNotAddressed)},
}

// showStudentReports shows a student's Reports tab for the chosen period.
// Periods come from the person's district: a student of another district
// is out of reach anyway. A student whose reports the person may not read
// answers 404.
func (s *Server) showStudentReports(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderStudentReports(c, id, queryPeriod(c), fiber.StatusOK, "")
}

// renderStudentReports renders the Reports tab of period at with status,
// and message above the reports when it is set (why a change was refused,
// for a browser without JavaScript).
func (s *Server) renderStudentReports(c *fiber.Ctx, studentID int64, at periodQuery, status int,
	message string) error {
	ctx, who := c.UserContext(), principal(c)
	periods, chosen, hasPeriod, err := s.choosePeriod(ctx, who.DistrictID, at)
	if err != nil {
		return err
	}
	review, err := s.reports.StudentReports(ctx, who, studentID, chosen.Year, chosen.Code)
	if err != nil {
		return err
	}

	base := "/students/" + itoa(studentID) + "/reports"
	v := reports.ReviewView{StudentID: studentID, Identifier: review.Identifier,
		ProgramName: review.ProgramName, Picker: periodPicker(base, periods, chosen), HasPeriod: hasPeriod,
		PeriodLabel: periodLabel(chosen), PrintURL: periodPath(base+"/print", chosen), Message: message}
	csrf := s.csrfToken(c)
	for _, it := range review.Items {
		v.Items = append(v.Items, reportItem(it, csrf, false))
	}
	page := s.page(c, "Reports: "+review.Identifier, "students")
	return s.renderStatus(c, status, reports.StudentReportsPage(page, v))
}

func reportItem(it *report.Item, csrf string, isSub bool) reports.ReportItem {
	ri := reports.ReportItem{Card: reportCard(it, csrf)}
	ri.Card.IsSubGoal = isSub
	for _, child := range it.Children {
		ri.SubItems = append(ri.SubItems, reportItem(child, csrf, true))
	}
	return ri
}

// reportCard builds one report's card: editable parts only for who may
// edit, and only while the report is a draft.
func reportCard(it *report.Item, csrf string) reports.ReportCard {
	r := &it.Report
	return reports.ReportCard{ID: r.ID, GoalTitle: it.GoalTitle, State: reportState(r, false),
		Summary: summaryField(r, it.CanUpdate), Code: codeForm(r, it.CanUpdate, csrf),
		Facts: reportFacts(r, it.GoalUnit), CanFinalize: it.CanFinalize, CSRFToken: csrf}
}

func reportState(r *report.Report, outOfBand bool) reports.ReportState {
	st := reports.ReportState{ReportID: r.ID, IsFinal: r.Status == report.StatusFinal, IsEdited: r.IsEdited,
		OutOfBand: outOfBand}
	if st.IsFinal {
		st.FinalizedOn = formatDay(r.FinalizedAt)
	}
	return st
}

// summaryField is a report's summary as an inline field. Its version is
// generated_at, which every new text, compiled or written, renews.
func summaryField(r *report.Report, canUpdate bool) components.InlineField {
	return components.InlineField{ID: "report-" + itoa(r.ID) + "-summary", Label: "Summary",
		Display: r.Summary, Value: r.Summary, Empty: "No summary yet", Kind: components.KindTextarea,
		URL: "/reports/" + itoa(r.ID) + "/summary", Version: versionString(r.GeneratedAt),
		CanEdit: canUpdate && r.Status == report.StatusDraft, MaxLength: report.MaxSummaryLength}
}

// codeForm shows the chosen code, or the suggested one until a code is
// chosen: the code Finalize would take.
func codeForm(r *report.Report, canUpdate bool, csrf string) reports.CodeForm {
	f := reports.CodeForm{ReportID: r.ID, Options: codeOptions, Value: r.ProgressCode,
		CanEdit: canUpdate && r.Status == report.StatusDraft, CSRFToken: csrf}
	if f.Value == "" {
		f.Value = r.SuggestedCode
	}
	if f.Value == "" {
		f.Options = append([]components.Option{{Value: "", Label: "Choose a code"}}, codeOptions...)
	}
	f.Label = reports.CodeText(f.Value)
	if r.SuggestedCode != "" {
		f.Suggested = reports.CodeText(r.SuggestedCode)
	}
	return f
}

// reportFacts lists the numbers a summary was written from.
func reportFacts(r *report.Report, unit string) []reports.Fact {
	facts := []reports.Fact{{Label: "Entries in the period", Value: strconv.Itoa(r.EntryCount)}}
	if !r.FirstEntryOn.IsZero() {
		facts = append(facts, reports.Fact{Label: "First and last entry",
			Value: formatDay(r.FirstEntryOn) + " to " + formatDay(r.LastEntryOn)})
	}
	if r.Authors != "" {
		facts = append(facts, reports.Fact{Label: "Written by", Value: r.Authors})
	}
	if r.LatestValue != nil {
		facts = append(facts, reports.Fact{Label: "Latest value", Value: formatNumber(r.LatestValue) + " " + unit})
	}
	if r.WeeklyTrend != nil {
		trend := formatNumber(r.WeeklyTrend)
		if *r.WeeklyTrend > 0 {
			trend = "+" + trend
		}
		facts = append(facts, reports.Fact{Label: "Weekly trend", Value: trend + " " + unit + " per week"})
	}
	if r.OnTrack != nil {
		facts = append(facts, reports.Fact{Label: "On track for the target", Value: yesNo(*r.OnTrack)})
	}
	if r.SubGoalsTotal > 0 {
		facts = append(facts, reports.Fact{Label: "Sub-goals met",
			Value: strconv.Itoa(r.SubGoalsMet) + " of " + strconv.Itoa(r.SubGoalsTotal)})
	}
	if !r.CompiledAt.IsZero() {
		facts = append(facts, reports.Fact{Label: "Compiled", Value: formatMoment(r.CompiledAt)})
	}
	return facts
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// reviewPath is the Reports tab of the report's student and period, at
// the report's card.
func reviewPath(r *report.Report) string {
	p := report.Period{Code: r.Period, Year: r.Year}
	return periodPath("/students/"+itoa(r.StudentID)+"/reports", p) + "#report-" + itoa(r.ID)
}

// showReportSummary answers a report's summary, in display mode or, under
// /edit, as its edit form. Without htmx the browser goes to the card on
// the Reports tab.
func (s *Server) showReportSummary(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.reports.Item(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(reviewPath(&it.Report), fiber.StatusSeeOther)
	}

	editing := c.Route().Path == "/reports/:id/summary/edit"
	if editing && !it.CanUpdate {
		return problem.ErrForbidden
	}
	if editing && it.Status == report.StatusFinal {
		return s.answerFinalReport(c, it)
	}
	f := summaryField(&it.Report, it.CanUpdate)
	f.Focus = !editing
	return s.render(c, components.Inline(f, editing))
}

// updateReportSummary saves a summary written by hand. An empty or too
// long text answers 422 with the form as typed; an edit that started from
// an older summary 409 with the current text and a button to apply the
// edit anyway; a final report 409 with its card, which no longer offers
// editing.
func (s *Server) updateReportSummary(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	edit := report.SummaryEdit{Text: formText(c, "value"), Version: formVersion(c)}
	r, err := s.reports.UpdateSummary(c.UserContext(), principal(c), id, edit)
	if err == nil {
		if !isHTMX(c) {
			return c.Redirect(reviewPath(r), fiber.StatusSeeOther)
		}
		f := summaryField(r, true)
		f.Focus = true
		return s.render(c, reports.SummaryAnswer(reports.SummarySaved{Field: f, State: reportState(r, true)}))
	}

	return s.refuseReportChange(c, id, err, func(it *report.Item, inv *problem.Invalid) templ.Component {
		f := summaryField(&it.Report, it.CanUpdate)
		f.Value = edit.Text
		if inv != nil {
			f.Error, f.Version = invalidMessage(inv, "value"), formText(c, "version")
		} else {
			f.Conflict = f.Display
		}
		return components.Inline(f, true)
	})
}

// setReportCode saves the progress code picked for a report. An unknown
// code answers 422 with the form; a final report 409 with its card.
func (s *Server) setReportCode(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	code := formText(c, "code")
	r, err := s.reports.SetCode(c.UserContext(), principal(c), id, code)
	if err == nil {
		if !isHTMX(c) {
			return c.Redirect(reviewPath(r), fiber.StatusSeeOther)
		}
		f := codeForm(r, true, s.csrfToken(c))
		f.Saved = true
		return s.render(c, reports.CodeAnswer(f, reportState(r, true)))
	}

	return s.refuseReportChange(c, id, err, func(it *report.Item, inv *problem.Invalid) templ.Component {
		f := codeForm(&it.Report, it.CanUpdate, s.csrfToken(c))
		if inv != nil {
			f.Error = invalidMessage(inv, "code")
		} else {
			f.Error = msgReportConflict
		}
		return reports.Code(f)
	})
}

// finalizeReport makes a report final and answers with its locked card. A
// report without a summary or a code answers 422 with the card saying
// which is missing.
func (s *Server) finalizeReport(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	r, err := s.reports.Finalize(ctx, who, id)
	if err == nil {
		if !isHTMX(c) {
			return c.Redirect(reviewPath(r), fiber.StatusSeeOther)
		}
		it, err := s.reports.Item(ctx, who, id)
		if err != nil {
			return err
		}
		return s.render(c, reports.Card(reportCard(it, s.csrfToken(c))))
	}

	return s.refuseReportChange(c, id, err, func(it *report.Item, inv *problem.Invalid) templ.Component {
		card := reportCard(it, s.csrfToken(c))
		card.Message = msgReportConflict
		if inv != nil {
			card.Message = invalidMessage(inv)
		}
		return reports.Card(card)
	})
}

// refuseReportChange answers a change of report id that err refused.
// Refusals a person can act on are answered in place: a final report with
// its locked card (409), bad input (422) and a stale edit (409) with
// fragment's answer. Without htmx, the Reports tab says why. Any other
// error goes to the error handler.
func (s *Server) refuseReportChange(c *fiber.Ctx, id int64, err error,
	fragment func(it *report.Item, inv *problem.Invalid) templ.Component) error {
	isFinal := errors.Is(err, report.ErrFinal)
	inv, isInvalid := problem.AsInvalid(err)
	if !isFinal && !isInvalid && !errors.Is(err, problem.ErrConflict) {
		return err
	}
	it, lerr := s.reports.Item(c.UserContext(), principal(c), id)
	if lerr != nil {
		return lerr
	}

	status, message := fiber.StatusConflict, msgReportConflict
	switch {
	case isFinal:
		message = msgReportFinal
	case isInvalid:
		status, message = fiber.StatusUnprocessableEntity, invalidMessage(inv, "value", "code")
	}
	if !isHTMX(c) {
		at := periodQuery{code: it.Period, year: strconv.Itoa(it.Year)}
		return s.renderStudentReports(c, it.StudentID, at, status, message)
	}
	if isFinal {
		return s.answerFinalReport(c, it)
	}
	return s.renderStatus(c, status, fragment(it, inv))
}

// invalidMessage is the first message inv has for fields, else its
// message about the form as a whole.
func invalidMessage(inv *problem.Invalid, fields ...string) string {
	for _, f := range fields {
		if msg := inv.Fields[f]; msg != "" {
			return msg
		}
	}
	if inv.Form != "" {
		return inv.Form
	}
	return "Check what you entered."
}

// answerFinalReport answers an edit of a final report with its card,
// which says so and offers no editing. The card replaces the one on the
// page, whatever smaller part asked.
func (s *Server) answerFinalReport(c *fiber.Ctx, it *report.Item) error {
	card := reportCard(it, s.csrfToken(c))
	card.Message = msgReportFinal
	c.Set("HX-Retarget", "#report-"+itoa(it.ID))
	c.Set("HX-Reswap", "outerHTML")
	return s.renderStatus(c, fiber.StatusConflict, reports.Card(card))
}

// printStudentReports shows the printable report of a student's period
// for families: each goal's summary and code in words, and the chart of
// each measured goal the person may read.
func (s *Server) printStudentReports(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	_, chosen, hasPeriod, err := s.choosePeriod(ctx, who.DistrictID, queryPeriod(c))
	if err != nil {
		return err
	}
	review, err := s.reports.StudentReports(ctx, who, id, chosen.Year, chosen.Code)
	if err != nil {
		return err
	}
	tree, err := s.goals.Tree(ctx, who, id)
	if err != nil {
		return err
	}
	boundaries, err := s.periodBoundaries(c, who.DistrictID)
	if err != nil {
		return err
	}

	v := reports.PrintView{Identifier: review.Identifier, ProgramName: review.ProgramName,
		PeriodName: "No reporting period", BackURL: periodPath("/students/"+itoa(id)+"/reports", chosen)}
	if hasPeriod {
		v.PeriodName = periodName(chosen)
		v.PeriodDates = formatDay(chosen.StartsOn) + " to " + formatDay(chosen.EndsOn)
	}
	nodes := goalsByID(tree)
	for _, it := range review.Items {
		v.Goals = append(v.Goals, printGoal(it, nodes, boundaries, &v.HasDrafts))
	}
	return s.render(c, reports.PrintPage(s.page(c, "Progress report: "+review.Identifier, "students"), v))
}

func printGoal(it *report.Item, nodes map[int64]*goal.Node, boundaries []chart.Boundary,
	hasDrafts *bool) reports.PrintGoal {
	g := reports.PrintGoal{Title: it.GoalTitle, Summary: it.Summary, IsDraft: it.Status != report.StatusFinal,
		CodeText: reports.CodeText(it.ProgressCode)}
	if it.ProgressCode == "" {
		g.CodeText = reports.CodeText(it.SuggestedCode)
	}
	*hasDrafts = *hasDrafts || g.IsDraft
	if n, ok := nodes[it.GoalID]; ok && n.IsMeasurable() && len(n.Points) > 0 {
		m := chart.Layout(chartInput(n, boundaries), chart.Large)
		g.Chart = &m
	}
	for _, child := range it.Children {
		g.SubGoals = append(g.SubGoals, printGoal(child, nodes, boundaries, hasDrafts))
	}
	return g
}

// goalsByID indexes a goal tree, sub-goals included.
func goalsByID(tree []*goal.Node) map[int64]*goal.Node {
	byID := map[int64]*goal.Node{}
	var walk func(nodes []*goal.Node)
	walk = func(nodes []*goal.Node) {
		for _, n := range nodes {
			byID[n.ID] = n
			walk(n.Children)
		}
	}
	walk(tree)
	return byID
}
