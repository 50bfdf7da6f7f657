package browser

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"goaltracker/jobs"
)

// startWorkers runs the app's background workers on the harness's
// database until the test ends, as `serve` does with RUN_WORKERS.
func (h *harness) startWorkers() {
	h.t.Helper()
	client, err := jobs.NewClient(jobs.Deps{Config: h.cfg, DB: h.db,
		Logger: slog.New(slog.NewTextHandler(h.t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		h.t.Fatalf("job client: %v", err)
	}
	if err := client.Start(context.Background()); err != nil {
		h.t.Fatalf("start workers: %v", err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := jobs.Stop(ctx, client); err != nil {
			h.t.Errorf("stop workers: %v", err)
		}
	})
}

// TestCompileNowShowsProgress compiles the district's reports from the
// Reports page and follows the progress bar htmx keeps fresh until the
// compile says it is done.
func TestCompileNowShowsProgress(t *testing.T) {
	h := newHarness(t)
	h.startWorkers()
	tb := h.tab()
	tb.signIn("admin@demo.test", h.cfg.DemoPassword)
	tb.open("/reports")

	tb.click(`.district-compile button[type="submit"]`)
	tb.waitUntil(`document.querySelector(".compile-status progress") !== null`,
		"a progress bar beside the button")
	tb.waitUntil(`document.querySelector(".compile-status .job-done") !== null`, "the compile to finish")
	tb.wantText(".compile-status .job-done label", "Done")
	if text := tb.text(".compile-status .job-done"); !strings.Contains(text, "students") {
		t.Errorf("finished compile says %q, want a count of students", text)
	}

	// The overview, reloaded, shows the compile in the history.
	tb.follow(".compile-status .job-done a")
	tb.wantText("#history-title", "Recent compiles")
	if text := tb.text(".job-history tbody"); !strings.Contains(text, "Done") && !strings.Contains(text, "done") {
		t.Errorf("history after the compile: %q", text)
	}
}

// TestWorkbookRequestedAndDownloaded asks for the district's workbook,
// waits for the row to turn into a download link, and downloads it with
// the browser's session.
func TestWorkbookRequestedAndDownloaded(t *testing.T) {
	h := newHarness(t)
	h.startWorkers()
	tb := h.tab()
	tb.signIn("leader@demo.test", h.cfg.DemoPassword)
	tb.open("/exports")

	tb.choose("#export-scope", "district")
	tb.click(`#export-request button[type="submit"]`)
	tb.waitUntil(`document.querySelector("#export-rows tr") !== null`, "the requested workbook's row")
	tb.waitUntil(`document.querySelector("#export-rows tr a[download]") !== null`, "the workbook to be built")

	type download struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Magic  string `json:"magic"`
		Size   int    `json:"size"`
	}
	got := evaluateAsync[download](tb, `fetch(document.querySelector("#export-rows tr a[download]").href)
		.then(async r => { const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, type: r.headers.get("content-type"),
				magic: String.fromCharCode(b[0], b[1]), size: b.length}; })`)
	if got.Status != 200 || got.Magic != "PK" || got.Size < 1000 ||
		!strings.Contains(got.Type, "spreadsheetml") {
		t.Errorf("download = %+v, want a 200 xlsx workbook", got)
	}
}
