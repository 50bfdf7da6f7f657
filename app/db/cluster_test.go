package db

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func TestClusterErrNoServerBinariesMessage(t *testing.T) {
	t.Parallel()
	msg := ErrNoServerBinaries.Error()
	for _, want := range []string{"apt-get install postgresql", "brew install postgresql", "DATABASE_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("ErrNoServerBinaries = %q, want it to mention %q", msg, want)
		}
	}
}

// Not parallel: it empties PATH for the whole process.
func TestClusterFindServerBinariesWithoutPATH(t *testing.T) {
	if _, err := os.Stat("/usr/lib/postgresql"); err != nil {
		t.Skip("no /usr/lib/postgresql on this machine")
	}
	t.Setenv("PATH", "")
	dir, err := FindServerBinaries()
	if err != nil {
		t.Fatalf("FindServerBinaries() with empty PATH: %v", err)
	}
	if !strings.HasPrefix(dir, "/usr/lib/postgresql/") || !hasServerBinaries(dir) {
		t.Errorf("FindServerBinaries() = %q, want a /usr/lib/postgresql/*/bin holding the binaries", dir)
	}
}

func TestClusterByVersionDesc(t *testing.T) {
	t.Parallel()
	got := byVersionDesc([]string{
		"/opt/homebrew/opt/postgresql/bin",
		"/usr/lib/postgresql/9.6/bin",
		"/opt/homebrew/opt/postgresql@14/bin",
		"/usr/lib/postgresql/15/bin",
	})
	want := []string{
		"/usr/lib/postgresql/15/bin",
		"/opt/homebrew/opt/postgresql@14/bin",
		"/usr/lib/postgresql/9.6/bin",
		"/opt/homebrew/opt/postgresql/bin",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("byVersionDesc = %q, want %q", got, want)
	}
}

func TestClusterDSNParses(t *testing.T) {
	t.Parallel()
	c := &Cluster{dir: `/tmp/it's a dir\x`}
	cfg, err := pgx.ParseConfig(c.DSN("my db"))
	if err != nil {
		t.Fatalf("ParseConfig(%q): %v", c.DSN("my db"), err)
	}
	if cfg.Host != c.dir || cfg.Port != 5432 || cfg.User != "postgres" || cfg.Database != "my db" {
		t.Errorf("ParseConfig(%q) = host %q port %d user %q db %q", c.DSN("my db"), cfg.Host, cfg.Port, cfg.User, cfg.Database)
	}
	if got := c.DSN(""); !strings.Contains(got, "dbname=postgres ") {
		t.Errorf("DSN(\"\") = %q, want dbname=postgres", got)
	}
}

func TestClusterCheckTraversable(t *testing.T) {
	t.Parallel()
	base := clusterDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(base, "locked")
	if err := os.Mkdir(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	// A uid and gid that own nothing here, so only the "other" bits apply.
	stranger := &osUser{name: "stranger", uid: 54321, gid: 54321}
	err := checkTraversable(filepath.Join(locked, "cluster"), stranger)
	if err == nil || !strings.Contains(err.Error(), locked+" ") || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("checkTraversable under a 0700 directory = %v, want an error naming %s and DATABASE_URL", err, locked)
	}
	if err := os.Chmod(locked, 0o711); err != nil {
		t.Fatal(err)
	}
	// Directories above base are the machine's; only ours must now pass.
	err = checkTraversable(filepath.Join(locked, "cluster"), stranger)
	if err != nil && strings.Contains(err.Error(), base) {
		t.Errorf("checkTraversable after chmod o+x: %v", err)
	}
}

func TestClusterStartRefusesHiddenParent(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	hidden := clusterDir(t) // 0700 and owned by root
	_, err := StartCluster(t.Context(), filepath.Join(hidden, "pg"), testLogger(t))
	if err == nil || !strings.Contains(err.Error(), hidden+" ") || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("StartCluster under a 0700 root directory = %v, want an error naming %s and DATABASE_URL", err, hidden)
	}
	t.Log(err)
}

func TestClusterStartCanceledWhileLocked(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	dir := clusterDir(t)
	held, err := lockFile(context.Background(), filepath.Join(dir, startLockName), syscall.LOCK_EX)
	if err != nil {
		t.Fatal(err)
	}
	defer unlockFile(held)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	c, err := StartCluster(ctx, dir, testLogger(t))
	if !errors.Is(err, context.DeadlineExceeded) {
		if c != nil {
			c.Stop()
		}
		t.Fatalf("StartCluster with the start lock held = %v, want context.DeadlineExceeded", err)
	}
}

func TestClusterStartJoinStop(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	dir := clusterDir(t)
	first := startTestCluster(t, dir)
	querySelectOne(t, first)
	second := startTestCluster(t, dir)
	if second.Dir() != first.Dir() {
		t.Errorf("second Dir() = %q, want %q", second.Dir(), first.Dir())
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("first Stop: %v", err)
	}
	if err := first.Stop(); err != nil {
		t.Errorf("first Stop again: %v", err)
	}
	querySelectOne(t, second)
	if err := second.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	assertServerGone(t, second)
}

func TestClusterConcurrentStart(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	dir := clusterDir(t)
	clusters := make([]*Cluster, 4)
	var wg sync.WaitGroup
	for i := range clusters {
		wg.Go(func() {
			c, err := StartCluster(t.Context(), dir, testLogger(t))
			if err != nil {
				t.Errorf("StartCluster #%d: %v", i, err)
				return
			}
			t.Cleanup(func() { c.Stop() })
			clusters[i] = c
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, c := range clusters {
		querySelectOne(t, c)
		if err := c.Stop(); err != nil {
			t.Fatalf("Stop #%d: %v", i, err)
		}
	}
	assertServerGone(t, clusters[0])
}

func TestClusterRestartAfterCrash(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	dir := clusterDir(t)
	crashed := startTestCluster(t, dir)
	pid := postmasterPID(t, crashed)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill postmaster %d: %v", pid, err)
	}
	waitForExit(t, pid)
	// postmaster.pid stays behind, naming the dead process.
	if _, err := os.Stat(filepath.Join(crashed.dataDir(), "postmaster.pid")); err != nil {
		t.Fatalf("postmaster.pid after SIGKILL: %v", err)
	}
	restarted := startTestCluster(t, dir)
	querySelectOne(t, restarted)
	if got := postmasterPID(t, restarted); got == pid {
		t.Errorf("postmaster pid after restart = %d, want a new process", got)
	}
	for _, c := range []*Cluster{crashed, restarted} {
		if err := c.Stop(); err != nil {
			t.Fatalf("Stop: %v", err)
		}
	}
	assertServerGone(t, restarted)
}

// TestClusterHelperProcess is not a test: the sharing test runs the test
// binary with GOALTRACKER_CLUSTER_HELPER set so that a second process joins
// the cluster, answers a query and leaves it when told to.
func TestClusterHelperProcess(t *testing.T) {
	dir := os.Getenv("GOALTRACKER_CLUSTER_HELPER")
	if dir == "" {
		t.Skip("helper process for TestClusterSharedBetweenProcesses")
	}
	c, err := StartCluster(t.Context(), dir, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	querySelectOne(t, c)
	os.Stdout.WriteString("joined\n")
	io.Copy(io.Discard, os.Stdin) // wait until the parent closes stdin
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestClusterSharedBetweenProcesses(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	dir := clusterDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestClusterHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GOALTRACKER_CLUSTER_HELPER="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	mine := startTestCluster(t, dir)
	var buf [64]byte
	if n, err := io.ReadAtLeast(stdout, buf[:], len("joined")); err != nil || !strings.Contains(string(buf[:n]), "joined") {
		t.Fatalf("helper did not join: %q, %v", buf[:n], err)
	}
	if err := mine.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	// The helper still holds its share, so the server must keep running.
	other := &Cluster{dir: mine.dir}
	querySelectOne(t, other)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	assertServerGone(t, mine)
}

func skipWithoutServer(t *testing.T) {
	t.Helper()
	if _, err := FindServerBinaries(); err != nil {
		t.Skipf("skipping: no PostgreSQL server binaries: %v", err)
	}
}

// clusterDir returns a fresh directory short enough for a Unix socket path.
// StartCluster hands it to the unprivileged server user when run as root;
// its parent, normally /tmp, is open to all.
func clusterDir(t *testing.T) string {
	t.Helper()
	parent := os.TempDir()
	if len(parent)+len("/gtpg0123456789/"+socketName) > maxSocketPath {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "gtpg")
	if err != nil {
		t.Fatal(err)
	}
	// Registered first so it runs after the Stop cleanups.
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func startTestCluster(t *testing.T, dir string) *Cluster {
	t.Helper()
	c, err := StartCluster(t.Context(), dir, testLogger(t))
	if err != nil {
		t.Fatalf("StartCluster(%s): %v", dir, err)
	}
	t.Cleanup(func() { c.Stop() })
	return c
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func querySelectOne(t *testing.T, c *Cluster) {
	t.Helper()
	db, err := sql.Open("pgx", c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("SELECT 1 via %s = %d, %v", c.DSN("postgres"), n, err)
	}
}

func postmasterPID(t *testing.T, c *Cluster) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		t.Fatalf("parse postmaster.pid: %v", err)
	}
	return pid
}

// waitForExit waits until pid is dead and reaped; the postmaster is not our
// child, so init reaps it in its own time.
func waitForExit(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("postmaster %d still exists 30s after SIGKILL", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func assertServerGone(t *testing.T, c *Cluster) {
	t.Helper()
	if _, err := os.Stat(c.path(socketName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket after last Stop: %v, want it removed", err)
	}
	if _, err := os.Stat(filepath.Join(c.dataDir(), "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after last Stop: %v, want it removed", err)
	}
}
