package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"goaltracker/app/account"
	"goaltracker/app/config"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
	"goaltracker/app/demo"
	"goaltracker/app/web"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	// testTimeout bounds the browser work of one test, from the moment it
	// has its browser; a test that walks many pages asks for more with
	// newHarnessWithin.
	testTimeout = 60 * time.Second
	// screenshotGrace is how much longer the browser lives than the test's
	// work, so that a test that ran out of time can still take its failure
	// screenshot.
	screenshotGrace = 30 * time.Second
	// screenshotTimeout bounds the screenshot of a failing test.
	screenshotTimeout = 10 * time.Second
	// waitTimeout bounds one wait for the page to change after a step, so
	// that a change that never comes fails the test with its own message.
	waitTimeout = 15 * time.Second
)

// browserSlots holds one token per browser that may run at once. Each
// Chromium takes a core while it renders, and the machines that run the
// suite may have two.
var browserSlots = make(chan struct{}, 2)

// cheapHash keeps the passwords that tests set fast to hash and check.
var cheapHash = account.HashParams{MemoryKiB: 1024, Iterations: 1, Lanes: 1,
	SaltLen: 16, KeyLen: 32}

// chromiumPath is the first Chromium or Chrome found on PATH, or "".
var chromiumPath = sync.OnceValue(func() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
})

// harness is one test's running application and browser.
type harness struct {
	t *testing.T
	// base is the app's address, http://127.0.0.1:PORT, without a slash.
	base string
	cfg  *config.Config
	srv  *web.Server
	// db is the app's database, for tests that look up what the demo
	// district holds.
	db *db.DB
	// browser is the context of the browser's first tab; tabs in other
	// browser contexts derive from it.
	browser context.Context
	// deadline ends the test's browser work.
	deadline time.Time
}

// newHarness marks the test parallel, waits for a browser slot, and starts
// the app on a fresh database holding the demo district, and a headless
// Chromium. Everything stops when the test ends. It skips the test when no
// Chromium is installed or no database server can be had.
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWithin(t, testTimeout)
}

// newHarnessWithin is newHarness for a test whose browser work may take
// up to budget.
func newHarnessWithin(t *testing.T, budget time.Duration) *harness {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("browser tests need Chromium: none of chromium, chromium-browser " +
			"or google-chrome is on PATH")
	}
	t.Parallel()

	browserSlots <- struct{}{}
	t.Cleanup(func() { <-browserSlots })

	h := &harness{t: t}
	h.startApp()
	h.startBrowser(path, budget+screenshotGrace)
	h.deadline = time.Now().Add(budget)
	return h
}

// startApp serves the app on a free local port. Its mails stay in the
// development mailbox at /dev/mail.
func (h *harness) startApp() {
	t := h.t
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	h.cfg = cfg

	// Only errors reach the test log: a 5xx in the app is what a failing
	// browser test most needs explained.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	d := dbtest.New(t)
	h.db = d
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := demo.Load(ctx, d, demo.Options{Password: cfg.DemoPassword, Logger: logger}); err != nil {
		t.Fatalf("load demo: %v", err)
	}

	// Links in mails use the base URL, so the port is known before the
	// server is built.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	h.base = "http://" + ln.Addr().String()
	cfg.BaseURL = &url.URL{Scheme: "http", Host: ln.Addr().String()}
	accounts, err := account.NewService(d, accountSettings(cfg))
	if err == nil {
		h.srv, err = web.New(web.Deps{Config: cfg, Logger: logger, DB: d, Accounts: accounts})
	}
	if err != nil {
		ln.Close()
		t.Fatalf("build server: %v", err)
	}
	h.watchSessions(accounts, logger)
	h.serve(ln)
}

// watchSessions runs the session cache as serve does, so that every
// sign-out, reset, deactivation and change of rights in the suite goes
// through it, and waits until it listens.
func (h *harness) watchSessions(accounts *account.Service, logger *slog.Logger) {
	h.t.Cleanup(accounts.StartWatchingSessions(logger))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := accounts.AwaitSessionCache(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// serve answers on ln until the test ends, then shuts the server down and
// waits for the mails it still sends.
func (h *harness) serve(ln net.Listener) {
	served := make(chan error, 1)
	go func() { served <- h.srv.App().Listener(ln) }()
	h.t.Cleanup(func() {
		if err := h.srv.App().ShutdownWithTimeout(5 * time.Second); err != nil {
			h.t.Errorf("shut down server: %v", err)
		}
		if err := <-served; err != nil {
			h.t.Errorf("serve: %v", err)
		}
		h.srv.Wait()
	})
}

func accountSettings(cfg *config.Config) account.Settings {
	return account.Settings{Hash: cheapHash, Policy: account.DefaultPasswordPolicy,
		HistoryCount: cfg.PasswordHistory, LockoutThreshold: cfg.LockoutThreshold,
		LockoutDuration: cfg.LockoutDuration, SessionIdle: cfg.SessionIdleTimeout,
		SessionLifetime: cfg.SessionLifetime, ResetTokenLifetime: cfg.ResetTokenLifetime}
}

// startBrowser starts a headless Chromium with a profile of its own and
// opens its first tab.
func (h *harness) startBrowser(path string, lifetime time.Duration) {
	t := h.t
	t.Helper()
	var output lockedBuffer
	opts := slices.Concat(chromedp.DefaultExecAllocatorOptions[:], []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(&output),
	})

	// The browser lives as long as the context of its first run, so that
	// context carries the hard limit and the test's steps a shorter one.
	life, cancelLife := context.WithTimeout(context.Background(), lifetime)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelLife()
	})
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v\n%s", path, err, output.String())
	}
	h.browser = tabCtx
}

// tab returns the browser's first tab.
func (h *harness) tab() *tab {
	return h.newTab(h.t, h.browser, "")
}

// isolatedTab opens a tab in a new browser context, which shares no
// cookies or storage with the other tabs: a second person, or the same
// person on another device. label names its failure screenshot.
func (h *harness) isolatedTab(label string) *tab {
	h.t.Helper()
	ctx, cancel := chromedp.NewContext(h.browser, chromedp.WithNewBrowserContext())
	h.t.Cleanup(cancel)
	tb := h.newTab(h.t, ctx, label)
	if err := chromedp.Do(tb.ctx); err != nil {
		h.t.Fatalf("open tab %s: %v", label, err)
	}
	return tb
}

func (h *harness) newTab(t *testing.T, ctx context.Context, label string) *tab {
	stepCtx, cancel := context.WithDeadline(ctx, h.deadline)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: stepCtx, root: ctx, base: h.base, label: label}
	tb.screenshotOnFailure()
	return tb
}

// lockedBuffer collects the browser's output, which its goroutines write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// artifactsDir is where failure screenshots go: BROWSER_ARTIFACTS, or
// .data/browser-artifacts in the module root.
func artifactsDir() (string, error) {
	if dir := os.Getenv("BROWSER_ARTIFACTS"); dir != "" {
		return dir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".data", "browser-artifacts"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// artifactName turns a test name such as TestA/sub_case into a file name.
func artifactName(testName, label string) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' {
			return '_'
		}
		return r
	}, testName)
	if label != "" {
		name += "-" + label
	}
	return name + ".png"
}

// tab is one browser tab as a test drives it. Its steps fail the test on
// any error, and a failing test leaves a screenshot of the tab.
type tab struct {
	t *testing.T
	// ctx bounds every step by the test's deadline; root is the tab's own
	// context, for the screenshot after a test that ran out of time.
	ctx   context.Context
	root  context.Context
	base  string
	label string
}

// forTest returns the tab as subtest t drives it, with a screenshot named
// after t when t fails.
func (tb *tab) forTest(t *testing.T) *tab {
	sub := *tb
	sub.t = t
	sub.screenshotOnFailure()
	return &sub
}

func (tb *tab) screenshotOnFailure() {
	t := tb.t
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		ctx, cancel := context.WithTimeout(tb.root, screenshotTimeout)
		defer cancel()
		where, _ := chromedp.Run(ctx, chromedp.Location())
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Logf("no screenshot of %s: %v", where, err)
			return
		}
		dir, err := artifactsDir()
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		path := filepath.Join(dir, artifactName(t.Name(), tb.label))
		if err == nil {
			err = os.WriteFile(path, png, 0o644)
		}
		if err != nil {
			t.Logf("screenshot of %s not saved: %v", where, err)
			return
		}
		t.Logf("screenshot of the failing page %s: %s", where, path)
	})
}

func (tb *tab) fatalf(format string, args ...any) {
	tb.t.Helper()
	if tb.label != "" {
		format = "tab " + tb.label + ": " + format
	}
	tb.t.Fatalf(format, args...)
}

// open loads path (or an absolute URL) and returns the HTTP status of the
// page it ends on, after redirects.
func (tb *tab) open(path string) int64 {
	tb.t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = tb.base + path
	}
	res, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(target))
	if err != nil {
		tb.fatalf("open %s: %v", path, err)
	}
	if res == nil {
		tb.fatalf("open %s: no response", path)
	}
	return res.Status
}

// reload loads the current page again and returns its status.
func (tb *tab) reload() int64 {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Reload())
	if err != nil || res == nil {
		tb.fatalf("reload: %v", err)
	}
	return res.Status
}

// submit clicks the button sel, waits for the page the form leads to, and
// returns its status.
func (tb *tab) submit(sel string) int64 {
	tb.t.Helper()
	tb.mustFind(sel)
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil || res == nil {
		tb.fatalf("submit with %s: %v", sel, err)
	}
	return res.Status
}

// follow clicks the link sel, waits for the page it leads to, and returns
// its status.
func (tb *tab) follow(sel string) int64 {
	tb.t.Helper()
	tb.mustFind(sel)
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil || res == nil {
		tb.fatalf("follow %s: %v", sel, err)
	}
	return res.Status
}

// click clicks the element sel and returns without waiting for what the
// click starts: an htmx request, say. The step after it waits for the
// change it expects.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.mustFind(sel)
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		tb.fatalf("click %s: %v", sel, err)
	}
}

// press types keys into the element sel, which takes focus first: text,
// or keys such as kb.Enter.
func (tb *tab) press(sel, keys string) {
	tb.t.Helper()
	tb.mustFind(sel)
	if err := chromedp.Do(tb.ctx, chromedp.SendKeys(chromedp.CSS(sel), keys)); err != nil {
		tb.fatalf("press %q in %s: %v", keys, sel, err)
	}
}

// waitUntil waits up to waitTimeout for the JavaScript expression js to be
// true in the page; what says what the test was waiting for when it was
// not. It polls on a timer rather than on animation frames, which
// Chromium throttles in a window that is not in front.
func (tb *tab) waitUntil(js, what string) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](js,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitTimeout)))
	if err != nil {
		tb.fatalf("waiting for %s: %v", what, err)
	}
}

// fill replaces the value of the input sel by typing value into it.
func (tb *tab) fill(sel, value string) {
	tb.t.Helper()
	tb.mustFind(sel)
	err := chromedp.Do(tb.ctx, chromedp.Clear(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.CSS(sel), value))
	if err != nil {
		tb.fatalf("type into %s: %v", sel, err)
	}
}

// choose selects the option with value in the select sel.
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	tb.mustFind(sel)
	if err := chromedp.Do(tb.ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		tb.fatalf("choose %q in %s: %v", value, sel, err)
	}
}

// element is what a test reads of an element at one moment.
type element struct {
	Found bool   `json:"found"`
	Text  string `json:"text"`
	Value string `json:"value"`
}

// find reads the first element matching sel as the page is now, without
// waiting: the steps that change the page wait for it themselves.
func (tb *tab) find(sel string) element {
	tb.t.Helper()
	js := `(() => {
		const el = document.querySelector(` + jsString(sel) + `);
		if (!el) return {found: false, text: "", value: ""};
		return {found: true, text: el.innerText.trim(), value: String(el.value ?? "")};
	})()`
	el, err := chromedp.Run(tb.ctx, chromedp.Evaluate[element](js))
	if err != nil {
		tb.fatalf("read %s: %v", sel, err)
	}
	return el
}

func (tb *tab) mustFind(sel string) element {
	tb.t.Helper()
	el := tb.find(sel)
	if !el.Found {
		tb.fatalf("no element matches %s on %s", sel, tb.location())
	}
	return el
}

// text returns the visible text of the element sel, trimmed.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return tb.mustFind(sel).Text
}

// value returns the value of the form control sel.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return tb.mustFind(sel).Value
}

// location returns the address of the page.
func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.fatalf("read location: %v", err)
	}
	return loc
}

// path returns the path of the page's address.
func (tb *tab) path() string {
	tb.t.Helper()
	u, err := url.Parse(tb.location())
	if err != nil {
		tb.fatalf("parse location: %v", err)
	}
	return u.Path
}

// wantPath stops the test unless the page is at path: the steps after it
// would only act on the wrong page.
func (tb *tab) wantPath(want string) {
	tb.t.Helper()
	if got := tb.path(); got != want {
		tb.fatalf("page is %s, want %s", tb.location(), want)
	}
}

// wantText checks that the element sel shows want within its text.
func (tb *tab) wantText(sel, want string) {
	tb.t.Helper()
	el := tb.find(sel)
	switch {
	case !el.Found:
		tb.t.Errorf("no element matches %s on %s; want one showing %q", sel, tb.location(), want)
	case !strings.Contains(el.Text, want):
		tb.t.Errorf("%s shows %q, want %q", sel, el.Text, want)
	}
}

// signIn fills and sends the sign-in form and returns the path it lands
// on: the destination, or /login again when refused.
func (tb *tab) signIn(email, password string) string {
	tb.t.Helper()
	tb.open("/login")
	tb.fill("#email", email)
	tb.fill("#password", password)
	tb.submit(`form[action="/login"] button[type="submit"]`)
	return tb.path()
}

// eval runs the JavaScript expression js in the page.
func (tb *tab) eval(js string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		tb.fatalf("run %q: %v", js, err)
	}
}

// isTrue reports whether the JavaScript expression js is true in the page.
func (tb *tab) isTrue(js string) bool {
	tb.t.Helper()
	ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		tb.fatalf("evaluate %q: %v", js, err)
	}
	return ok
}

// evaluate returns the value of the JavaScript expression js in tb's page.
func evaluate[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// evaluateAsync returns the value the promise of js resolves to.
func evaluateAsync[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// viewport sizes the tab's page in CSS pixels; an option such as
// chromedp.EmulateMobile makes it a phone's.
func (tb *tab) viewport(width, height int64, opts ...chromedp.EmulateViewportOption) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		tb.fatalf("set viewport to %dx%d: %v", width, height, err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// demoName returns the name of the demo account with email.
func demoName(t *testing.T, email string) string {
	t.Helper()
	for _, a := range demo.Accounts {
		if a.Email == email {
			return a.Name
		}
	}
	t.Fatalf("no demo account %s", email)
	return ""
}
