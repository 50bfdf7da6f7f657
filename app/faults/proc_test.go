//go:build faults

package faults

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// proc is one running process of the app.
type proc struct {
	name string
	cmd  *exec.Cmd
	addr string // for serve: http://127.0.0.1:PORT
	done chan error
}

// start runs the app binary with args and env added to the drill's
// environment, logging to a file named after the process.
func start(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	logFile, err := os.Create(filepath.Join(drill.logDir, name+".log"))
	if err != nil {
		t.Fatalf("log for %s: %v", name, err)
	}
	cmd := exec.Command(drill.binary, args...)
	cmd.Env = append(append(os.Environ(), drill.env...), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// serve starts a server on a free port and waits until it answers.
func serve(t *testing.T, name string, env ...string) *proc {
	t.Helper()
	port := freePort(t)
	p := start(t, name, append(env, "ADDR=127.0.0.1:"+port), "serve")
	p.addr = "http://127.0.0.1:" + port
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if !p.alive() {
			t.Fatalf("%s exited while starting; see %s.log", name, name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not answer within 30 s", name)
	return nil
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// alive reports whether the process is still running.
func (p *proc) alive() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return false
	default:
		return true
	}
}

// kill ends the process at once, as a crash or the OOM killer would.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %s: %v", p.name, err)
	}
	<-p.done
	p.done <- nil
}

// stop asks the process to finish and waits for it.
func (p *proc) stop(t *testing.T) {
	if !p.alive() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("%s did not stop within 30 s of SIGTERM", p.name)
	}
	p.done <- nil
}

// browser is a person's HTTP client with its own cookies.
type browser struct {
	client *http.Client
	csrf   string
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs email in on server base and returns the person's client.
func signIn(t *testing.T, base, email string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, body := b.get(t, base+"/login")
	m := csrfInput.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("login form of %s: %d", base, status)
	}
	res, err := b.client.PostForm(base+"/login", url.Values{"email": {email},
		"password": {drill.password}, "_csrf": {m[1]}})
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/students" {
		t.Fatalf("sign in %s: %d to %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	b.refreshCSRF(t, base)
	return b
}

// refreshCSRF reads the session's CSRF token off a page of base.
func (b *browser) refreshCSRF(t *testing.T, base string) {
	t.Helper()
	_, body := b.get(t, base+"/account/password")
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s/account/password", base)
	}
	b.csrf = m[1]
}

func (b *browser) get(t *testing.T, u string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(t, req, headers...)
}

func (b *browser) post(t *testing.T, u string, form url.Values, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	return b.do(t, req, headers...)
}

func (b *browser) do(t *testing.T, req *http.Request, headers ...string) (int, string) {
	t.Helper()
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, sb.String()
}

// waitFor polls cond every interval until it holds or timeout passes.
func waitFor(ctx context.Context, timeout, interval time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(interval):
		}
	}
	return cond()
}
