package report

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// measured is one goal's numbers as the measuring query returns them.
type measured struct {
	GoalID      int64     `bun:"id_goal"`
	StudentID   int64     `bun:"id_student"`
	ParentID    int64     `bun:"id_goal_parent"`
	Title       string    `bun:"title"`
	Status      string    `bun:"status"`
	Unit        string    `bun:"unit"`
	Baseline    *float64  `bun:"baseline_value"`
	Target      *float64  `bun:"target_value"`
	TargetDate  time.Time `bun:"target_date"`
	GoalStart   time.Time `bun:"goal_start"`
	Entries     int       `bun:"entries"`
	Values      int       `bun:"values_n"`
	FirstOn     time.Time `bun:"first_on"`
	LastOn      time.Time `bun:"last_on"`
	Authors     string    `bun:"authors"`
	LatestValue *float64  `bun:"latest_value"`
	WeeklyTrend *float64  `bun:"weekly_trend"`
	ActiveWeeks int       `bun:"active_weeks"`
	SubGoals    int       `bun:"subgoals_total"`
	SubGoalsMet int       `bun:"subgoals_met"`
}

// measure reads, in one statement, the numbers of every goal and sub-goal
// of the students ids for period: the goals open at some point of the
// period, their entries in it (sensitive ones counted, their content never
// read), authors, latest value, the least-squares weekly trend of the
// values, and sub-goal progress.
func measure(ctx context.Context, tx bun.Tx, ids []int64, p *Period) ([]measured, error) {
	start, end := p.StartsOn.Format(time.DateOnly), p.EndsOn.Format(time.DateOnly)
	var rows []measured
	err := tx.NewRaw(`
		WITH g AS (
			SELECT g.id_goal, g.id_student, g.id_goal_parent, g.title, g.status, g.unit,
				g.baseline_value, g.target_value, g.target_date, g.created_at::date AS goal_start
			FROM goal AS g
			WHERE g.id_student IN (?0) AND g.created_at::date <= ?2::date
				AND (g.closed_at IS NULL OR g.closed_at::date >= ?1::date)
		), e AS (
			SELECT pe.id_goal, count(*) AS entries, count(pe.value) AS values_n,
				min(pe.occurred_on) AS first_on, max(pe.occurred_on) AS last_on,
				count(DISTINCT (pe.occurred_on - ?1::date) / 7) AS active_weeks,
				string_agg(DISTINCT u.name, '|') AS authors,
				(array_agg(pe.value ORDER BY pe.occurred_on DESC, pe.id_progress_event DESC)
					FILTER (WHERE pe.value IS NOT NULL))[1] AS latest_value,
				round((regr_slope(pe.value, (pe.occurred_on - ?1::date)::float8) * 7)::numeric, 2)
					AS weekly_trend
			FROM progress_event AS pe
			LEFT JOIN "user" AS u ON u.id_user = pe.id_user_created
			WHERE pe.id_student IN (?0) AND pe.occurred_on BETWEEN ?1::date AND ?2::date
			GROUP BY pe.id_goal
		), s AS (
			SELECT sg.id_goal_parent AS id_goal, count(*) AS subgoals_total,
				count(*) FILTER (WHERE sg.status = 'met') AS subgoals_met
			FROM goal AS sg
			WHERE sg.id_student IN (?0) AND sg.id_goal_parent IS NOT NULL
			GROUP BY sg.id_goal_parent
		)
		SELECT g.*, coalesce(e.entries, 0) AS entries, coalesce(e.values_n, 0) AS values_n,
			e.first_on, e.last_on, coalesce(e.active_weeks, 0) AS active_weeks, e.authors,
			e.latest_value, e.weekly_trend,
			coalesce(s.subgoals_total, 0) AS subgoals_total, coalesce(s.subgoals_met, 0) AS subgoals_met
		FROM g LEFT JOIN e USING (id_goal) LEFT JOIN s USING (id_goal)
		ORDER BY g.id_student, g.id_goal`,
		bun.List(ids), start, end).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("measure goals of %d students: %w", len(ids), err)
	}
	return rows, nil
}

// write turns measured goals into reports, with the suggested code and the
// summary written from the numbers.
func (c *Compiler) write(rows []measured, p *Period, requestedBy int64) []*Report {
	now := c.now()
	reports := make([]*Report, 0, len(rows))
	for _, m := range rows {
		n := m.numbers(p)
		code := SuggestCode(n)
		r := &Report{StudentID: m.StudentID, GoalID: m.GoalID, CreatedBy: requestedBy,
			Period: p.Code, Year: p.Year, Summary: Summarize(n), GeneratedAt: now, ProgressCode: code,
			Status: StatusDraft, EntryCount: m.Entries, FirstEntryOn: m.FirstOn, LastEntryOn: m.LastOn,
			Authors: strings.Join(n.Authors, ", "), LatestValue: m.LatestValue, WeeklyTrend: m.WeeklyTrend,
			SubGoalsTotal: m.SubGoals, SubGoalsMet: m.SubGoalsMet, SuggestedCode: code, CompiledAt: now}
		if onTrack, known := n.OnTrack(); known {
			r.OnTrack = &onTrack
		}
		reports = append(reports, r)
	}
	return reports
}

func (m measured) numbers(p *Period) Numbers {
	n := Numbers{PeriodCode: p.Code, PeriodStart: p.StartsOn, PeriodEnd: p.EndsOn, GoalTitle: m.Title,
		IsSubGoal: m.ParentID != 0, GoalStatus: m.Status, Unit: m.Unit, Baseline: m.Baseline,
		Target: m.Target, GoalStart: m.GoalStart, TargetDate: m.TargetDate, Entries: m.Entries,
		FirstOn: m.FirstOn, LastOn: m.LastOn, Values: m.Values, LatestValue: m.LatestValue,
		WeeklyTrend: m.WeeklyTrend, SubGoals: m.SubGoals, SubGoalsMet: m.SubGoalsMet,
		ActiveWeeks: m.ActiveWeeks}
	if m.Authors != "" {
		n.Authors = strings.Split(m.Authors, "|")
	}
	return n
}

// reportRow is a report as the upsert's JSON document carries it.
type reportRow struct {
	StudentID     int64    `json:"id_student"`
	GoalID        int64    `json:"id_goal"`
	CreatedBy     *int64   `json:"id_user_created"`
	Period        string   `json:"period"`
	Year          int      `json:"year"`
	Summary       string   `json:"summary"`
	Code          string   `json:"progress_code"`
	EntryCount    int      `json:"entry_count"`
	FirstEntryOn  *string  `json:"first_entry_on"`
	LastEntryOn   *string  `json:"last_entry_on"`
	Authors       string   `json:"authors"`
	LatestValue   *float64 `json:"latest_value"`
	WeeklyTrend   *float64 `json:"weekly_trend"`
	OnTrack       *bool    `json:"on_track"`
	SubGoalsTotal int      `json:"subgoals_total"`
	SubGoalsMet   int      `json:"subgoals_met"`
}

func toRow(r *Report) reportRow {
	row := reportRow{StudentID: r.StudentID, GoalID: r.GoalID, Period: r.Period, Year: r.Year,
		Summary: r.Summary, Code: r.ProgressCode, EntryCount: r.EntryCount, Authors: r.Authors,
		LatestValue: r.LatestValue, WeeklyTrend: r.WeeklyTrend, OnTrack: r.OnTrack,
		SubGoalsTotal: r.SubGoalsTotal, SubGoalsMet: r.SubGoalsMet}
	if r.CreatedBy != 0 {
		row.CreatedBy = &r.CreatedBy
	}
	if !r.FirstEntryOn.IsZero() {
		first, last := r.FirstEntryOn.Format(time.DateOnly), r.LastEntryOn.Format(time.DateOnly)
		row.FirstEntryOn, row.LastEntryOn = &first, &last
	}
	return row
}

// upsert writes reports, one row per student, goal, period and year. A
// final report is left as it is. A report a teacher edited keeps its
// summary and code, and gets fresh numbers. A report whose numbers did not
// change is not rewritten, which keeps nightly recompiles cheap. The rows
// travel as one JSON document: PostgreSQL reads it far faster than
// thousands of VALUES rows.
func upsert(ctx context.Context, tx bun.Tx, reports []*Report, at time.Time) error {
	if len(reports) == 0 {
		return nil
	}
	rows := make([]reportRow, len(reports))
	for i, r := range reports {
		rows[i] = toRow(r)
	}
	doc, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("encode %d reports: %w", len(reports), err)
	}

	_, err = tx.NewRaw(`INSERT INTO progress_report AS pr (id_student, id_goal, id_user_created, period,
			year, summary, progress_code, suggested_code, status, entry_count, first_entry_on,
			last_entry_on, authors, latest_value, weekly_trend, on_track, subgoals_total, subgoals_met,
			generated_at, compiled_at)
		SELECT r.id_student, r.id_goal, r.id_user_created, r.period, r.year, r.summary,
			r.progress_code, r.progress_code, 'draft', r.entry_count, r.first_entry_on,
			r.last_entry_on, NULLIF(r.authors, ''), r.latest_value, r.weekly_trend, r.on_track,
			r.subgoals_total, r.subgoals_met, ?1, ?1
		FROM jsonb_to_recordset(?0::jsonb) AS r(id_student integer, id_goal integer,
			id_user_created integer, period text, year integer, summary text, progress_code text,
			entry_count integer, first_entry_on date, last_entry_on date, authors text,
			latest_value numeric, weekly_trend numeric, on_track boolean, subgoals_total integer,
			subgoals_met integer)
		ON CONFLICT (id_student, id_goal, period, year) DO UPDATE SET
			entry_count = EXCLUDED.entry_count,
			first_entry_on = EXCLUDED.first_entry_on,
			last_entry_on = EXCLUDED.last_entry_on,
			authors = EXCLUDED.authors,
			latest_value = EXCLUDED.latest_value,
			weekly_trend = EXCLUDED.weekly_trend,
			on_track = EXCLUDED.on_track,
			subgoals_total = EXCLUDED.subgoals_total,
			subgoals_met = EXCLUDED.subgoals_met,
			suggested_code = EXCLUDED.suggested_code,
			compiled_at = EXCLUDED.compiled_at,
			summary = CASE WHEN pr.is_edited THEN pr.summary ELSE EXCLUDED.summary END,
			progress_code = CASE WHEN pr.is_edited THEN pr.progress_code ELSE EXCLUDED.progress_code END,
			generated_at = CASE WHEN pr.is_edited OR pr.summary IS NOT DISTINCT FROM EXCLUDED.summary
				THEN pr.generated_at ELSE EXCLUDED.generated_at END
		WHERE pr.status <> 'final'
			AND (pr.entry_count, pr.first_entry_on, pr.last_entry_on, pr.authors, pr.latest_value,
				pr.weekly_trend, pr.on_track, pr.subgoals_total, pr.subgoals_met, pr.suggested_code,
				pr.summary, pr.progress_code)
			IS DISTINCT FROM
				(EXCLUDED.entry_count, EXCLUDED.first_entry_on, EXCLUDED.last_entry_on,
				EXCLUDED.authors, EXCLUDED.latest_value, EXCLUDED.weekly_trend, EXCLUDED.on_track,
				EXCLUDED.subgoals_total, EXCLUDED.subgoals_met, EXCLUDED.suggested_code,
				CASE WHEN pr.is_edited THEN pr.summary ELSE EXCLUDED.summary END,
				CASE WHEN pr.is_edited THEN pr.progress_code ELSE EXCLUDED.progress_code END)`,
		string(doc), at).Exec(ctx)
	if err != nil {
		return fmt.Errorf("write %d reports: %w", len(reports), err)
	}
	return nil
}
