package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrNoServerBinaries reports that initdb, pg_ctl and postgres were found
// neither in PATH nor in the usual install locations. FindServerBinaries and
// StartCluster return errors wrapping it, so callers can test for it with
// errors.Is and fall back to asking for DATABASE_URL.
var ErrNoServerBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; install them (Debian: apt-get install postgresql; macOS: brew install postgresql) or set DATABASE_URL to an existing server")

const (
	clusterPort   = 5432
	clusterUser   = "postgres"
	socketName    = ".s.PGSQL.5432"
	startLockName = ".start.lock"
	useLockName   = ".use.lock"
	dataDirName   = "data"
	logFileName   = "server.log"

	// maxSocketPath leaves room for the NUL within macOS's 104-byte
	// sun_path; Linux allows 107, so this is the portable bound.
	maxSocketPath = 103

	// pg_ctl waits this long for start and stop; crash recovery or a
	// checkpoint on a slow disk can take tens of seconds.
	pgCtlTimeout = 120 * time.Second

	// Stop has no context, so it bounds its wait for another process that
	// is busy starting the cluster.
	stopLockTimeout = 3 * time.Minute
)

var serverBinaries = []string{"initdb", "pg_ctl", "postgres"}

// Cluster is one process's handle on a private PostgreSQL cluster. Several
// handles, in one or many processes, may share the same server; it keeps
// running until the last of them calls Stop.
type Cluster struct {
	dir    string
	binDir string
	owner  *osUser // nil when the server runs as the current user
	logger *slog.Logger

	mu      sync.Mutex
	useLock *os.File // holds a shared flock on .use.lock; nil after Stop
}

// FindServerBinaries returns the directory holding initdb, pg_ctl and
// postgres. It tries PATH first, resolving symlinks so the directory is the
// real install, then /usr/lib/postgresql/<version>/bin from the highest
// version down, /usr/local/pgsql/bin, /opt/homebrew/opt/postgresql*/bin,
// /usr/local/opt/postgresql*/bin, /opt/homebrew/bin and /usr/local/bin. A
// directory counts only if all three programs are executable files in it.
// When none qualifies the error wraps ErrNoServerBinaries.
func FindServerBinaries() (string, error) {
	for _, name := range serverBinaries {
		if p, err := exec.LookPath(name); err == nil {
			if dir, ok := binDirOf(filepath.Dir(p)); ok {
				return dir, nil
			}
		}
	}
	for _, dir := range wellKnownBinDirs() {
		if dir, ok := binDirOf(dir); ok {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (searched PATH, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin, Homebrew and /usr/local/bin)", ErrNoServerBinaries)
}

// wellKnownBinDirs lists install locations in search order, newest
// versions first within each versioned family.
func wellKnownBinDirs() []string {
	var dirs []string
	if entries, err := os.ReadDir("/usr/lib/postgresql"); err == nil {
		var versions []string
		for _, e := range entries {
			versions = append(versions, filepath.Join("/usr/lib/postgresql", e.Name(), "bin"))
		}
		dirs = append(dirs, byVersionDesc(versions)...)
	}
	dirs = append(dirs, "/usr/local/pgsql/bin")
	for _, pattern := range []string{"/opt/homebrew/opt/postgresql*/bin", "/usr/local/opt/postgresql*/bin"} {
		matches, _ := filepath.Glob(pattern)
		dirs = append(dirs, byVersionDesc(matches)...)
	}
	return append(dirs, "/opt/homebrew/bin", "/usr/local/bin")
}

// byVersionDesc sorts .../<version>/bin and .../postgresql@<version>/bin
// paths by version, highest first, so that 15 beats 9.6; paths without a
// version sort last.
func byVersionDesc(paths []string) []string {
	key := func(p string) float64 {
		name := filepath.Base(filepath.Dir(p))
		if i := strings.LastIndex(name, "@"); i >= 0 {
			name = name[i+1:]
		}
		v, _ := strconv.ParseFloat(name, 64)
		return v
	}
	sort.SliceStable(paths, func(i, j int) bool { return key(paths[i]) > key(paths[j]) })
	return paths
}

// binDirOf reports whether dir holds all server binaries and returns the
// directory pg_ctl really lives in, since pg_ctl finds postgres next to its
// resolved path, not next to a symlink.
func binDirOf(dir string) (string, bool) {
	if !hasServerBinaries(dir) {
		return "", false
	}
	if real, err := filepath.EvalSymlinks(filepath.Join(dir, "pg_ctl")); err == nil {
		if realDir := filepath.Dir(real); hasServerBinaries(realDir) {
			return realDir, true
		}
	}
	return dir, true
}

func hasServerBinaries(dir string) bool {
	for _, name := range serverBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// StartCluster starts, or joins if it is already running, the private
// cluster in dir (made absolute). dir is created if missing and set to mode
// 0700, because the server trusts every local connection on its socket;
// the data directory is dir/data, created with initdb (user postgres, trust
// auth, UTF8, locale C.UTF-8 or C where that is missing) when it has no
// PG_VERSION. The server listens only on the Unix socket dir/.s.PGSQL.5432,
// logs to dir/server.log and uses settings that trade durability for speed,
// so it is only fit for development and tests. When run as root, the server
// runs as the postgres user, or nobody if that does not exist, and every
// parent of dir must be traversable by that user. StartCluster returns once
// the server accepts connections. It waits for other processes starting or
// stopping the same cluster, giving up when ctx is done. Each returned
// Cluster must be stopped with Stop; a process that exits without doing so
// leaves the server running for the next StartCluster to join. A nil logger
// means slog.Default().
func StartCluster(ctx context.Context, dir string, logger *slog.Logger) (*Cluster, error) {
	if logger == nil {
		logger = slog.Default()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("start cluster in %s: %w", dir, err)
	}
	c, err := startCluster(ctx, abs, logger)
	if err != nil {
		return nil, fmt.Errorf("start cluster in %s: %w", abs, err)
	}
	return c, nil
}

func startCluster(ctx context.Context, dir string, logger *slog.Logger) (*Cluster, error) {
	if n := len(filepath.Join(dir, socketName)); n > maxSocketPath {
		return nil, fmt.Errorf("socket path would be %d bytes, over the %d-byte Unix socket limit; use a shorter directory or set DATABASE_URL", n, maxSocketPath)
	}
	binDir, err := FindServerBinaries()
	if err != nil {
		return nil, err
	}
	owner, err := serverOwner()
	if err != nil {
		return nil, err
	}
	if err := makeClusterDir(dir, owner); err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, binDir: binDir, owner: owner, logger: logger}
	startLock, err := lockFile(ctx, c.path(startLockName), syscall.LOCK_EX)
	if err != nil {
		return nil, err
	}
	defer unlockFile(startLock)
	// Holding .start.lock, nobody can be stopping the server, so taking the
	// use lock first is safe and means a failed start leaves no stale user.
	if c.useLock, err = lockFile(ctx, c.path(useLockName), syscall.LOCK_SH); err != nil {
		return nil, err
	}
	if err := c.ensureRunning(ctx); err != nil {
		unlockFile(c.useLock)
		return nil, err
	}
	return c, nil
}

// makeClusterDir creates dir, with traversable parents, makes it private and
// checks that the server's user can reach it.
func makeClusterDir(dir string, owner *osUser) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("create parent directory: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create cluster directory: %w", err)
	}
	// The server trusts every connection on its socket, so only its owner
	// (and root) may reach the directory holding it.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make cluster directory private: %w", err)
	}
	if owner == nil {
		return nil
	}
	return checkTraversable(dir, owner)
}

// ensureRunning starts the server unless it already runs. The caller holds
// the start lock.
func (c *Cluster) ensureRunning(ctx context.Context) error {
	running, err := c.serverRunning(ctx)
	if err != nil {
		return err
	}
	if running {
		c.logger.InfoContext(ctx, "postgres joined", "dir", c.dir)
		return nil
	}
	if err := c.chownToOwner(); err != nil {
		return err
	}
	if err := c.initIfNeeded(ctx); err != nil {
		return err
	}
	return c.startServer(ctx)
}

// serverRunning asks pg_ctl whether a postmaster owns the data directory and
// then checks that its socket answers, so that a postmaster.pid naming a
// dead or unrelated process does not count as running.
func (c *Cluster) serverRunning(ctx context.Context) (bool, error) {
	if !c.initialised() {
		return false, nil
	}
	out, err := c.command(ctx, "pg_ctl", "status", "-D", c.dataDir()).CombinedOutput()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 3:
		return false, nil
	case err != nil:
		return false, commandError("pg_ctl status", err, out)
	}
	if err := c.waitForSocket(ctx, 5*time.Second); err != nil {
		c.logger.WarnContext(ctx, "postgres not answering, restarting", "dir", c.dir, "err", err)
		return false, nil
	}
	return true, nil
}

func (c *Cluster) initialised() bool {
	_, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION"))
	return err == nil
}

// initIfNeeded runs initdb unless the data directory already holds a
// cluster. The caller holds the start lock.
func (c *Cluster) initIfNeeded(ctx context.Context) error {
	if c.initialised() {
		return nil
	}
	err := c.initdb(ctx, "C.UTF-8")
	if err != nil {
		c.logger.WarnContext(ctx, "initdb retrying with locale C", "dir", c.dir, "err", err)
		err = c.initdb(ctx, "C")
	}
	if err != nil {
		return err
	}
	c.logger.InfoContext(ctx, "postgres initialised", "dir", c.dir)
	return nil
}

func (c *Cluster) initdb(ctx context.Context, locale string) error {
	// A data directory without PG_VERSION is left from an interrupted
	// initdb, and initdb refuses to write into a non-empty directory.
	if err := os.RemoveAll(c.dataDir()); err != nil {
		return fmt.Errorf("remove partial data directory: %w", err)
	}
	out, err := c.command(ctx, "initdb", "-D", c.dataDir(), "-U", clusterUser,
		"--auth=trust", "--encoding=UTF8", "--locale="+locale).CombinedOutput()
	if err != nil {
		return commandError("initdb", err, out)
	}
	return nil
}

// startServer runs pg_ctl start and waits for the socket. pg_ctl detaches
// the postmaster, so it outlives this process.
func (c *Cluster) startServer(ctx context.Context) error {
	out, err := c.command(ctx, "pg_ctl", "start", "-w",
		"-t", strconv.Itoa(int(pgCtlTimeout/time.Second)),
		"-D", c.dataDir(), "-l", c.path(logFileName),
		"-o", c.serverOptions()).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w; log %s", commandError("pg_ctl start", err, out), c.path(logFileName))
	}
	if err := c.waitForSocket(ctx, 10*time.Second); err != nil {
		return err
	}
	c.logger.InfoContext(ctx, "postgres started", "dir", c.dir)
	return nil
}

// serverOptions returns the postgres options for pg_ctl -o, which pg_ctl
// hands to /bin/sh, hence the shell quoting.
func (c *Cluster) serverOptions() string {
	// unix_socket_directories is a comma-separated list in which double
	// quotes protect a path that contains commas or quotes.
	socketDir := `"` + strings.ReplaceAll(c.dir, `"`, `""`) + `"`
	settings := []string{
		"listen_addresses=",
		"unix_socket_directories=" + socketDir,
		"unix_socket_permissions=0700",
		"port=" + strconv.Itoa(clusterPort),
		"fsync=off",
		"synchronous_commit=off",
		"full_page_writes=off",
		"max_connections=200",
		"shared_buffers=128MB",
	}
	var b strings.Builder
	for _, s := range settings {
		b.WriteString(" -c " + shellQuote(s))
	}
	return strings.TrimSpace(b.String())
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// waitForSocket polls until the server's socket accepts a connection. An
// empty connection that closes at once is ignored by postgres, unlogged.
func (c *Cluster) waitForSocket(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "unix", c.path(socketName))
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for socket %s: %w", c.path(socketName), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// DSN returns a libpq key/value connection string for database dbname
// ("postgres" when empty) as user postgres over the cluster's Unix socket,
// e.g. "host=/abs/dir port=5432 user=postgres dbname=app sslmode=disable".
// Values with spaces, quotes or backslashes are quoted as libpq expects; pgx
// accepts the result. The database must exist; only "postgres" does at
// first.
func (c *Cluster) DSN(dbname string) string {
	if dbname == "" {
		dbname = clusterUser
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		dsnQuote(c.dir), clusterPort, clusterUser, dsnQuote(dbname))
}

func dsnQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, ` '\`+"\t\n\r") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

// Dir returns the absolute cluster directory, which also holds the socket.
func (c *Cluster) Dir() string { return c.dir }

func (c *Cluster) dataDir() string { return c.path(dataDirName) }

func (c *Cluster) path(name string) string { return filepath.Join(c.dir, name) }

// Stop releases this handle's use of the cluster and, if no other handle in
// any process still uses it, shuts the server down with pg_ctl stop -m fast,
// which disconnects remaining clients. It waits up to a few minutes for a
// concurrent StartCluster on the same directory. The handle is released even
// when Stop returns an error, and calls after the first return nil.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.useLock == nil {
		return nil
	}
	if err := c.stop(); err != nil {
		return fmt.Errorf("stop cluster in %s: %w", c.dir, err)
	}
	return nil
}

func (c *Cluster) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), stopLockTimeout)
	defer cancel()
	startLock, err := lockFile(ctx, c.path(startLockName), syscall.LOCK_EX)
	unlockFile(c.useLock)
	c.useLock = nil
	if err != nil {
		return err
	}
	defer unlockFile(startLock)
	// An exclusive lock is only free once every other handle, in this or
	// any other process, has released or died with its shared one.
	last, err := tryLockFile(c.path(useLockName), syscall.LOCK_EX)
	if err != nil {
		return err
	}
	if last == nil {
		c.logger.InfoContext(ctx, "postgres left running for other users", "dir", c.dir)
		return nil
	}
	defer unlockFile(last)
	return c.stopServer(ctx)
}

func (c *Cluster) stopServer(ctx context.Context) error {
	running, err := c.serverRunning(ctx)
	if err != nil || !running {
		return err
	}
	out, err := c.command(ctx, "pg_ctl", "stop", "-w", "-m", "fast",
		"-t", strconv.Itoa(int(pgCtlTimeout/time.Second)),
		"-D", c.dataDir()).CombinedOutput()
	if err != nil {
		return commandError("pg_ctl stop", err, out)
	}
	c.logger.InfoContext(ctx, "postgres stopped", "dir", c.dir)
	return nil
}

// command prepares a server binary to run in the cluster directory, as the
// unprivileged owner when we are root, with PG* variables removed so that the
// caller's client settings cannot redirect the server.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dir
	cmd.WaitDelay = 5 * time.Second
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !(c.owner != nil && strings.HasPrefix(kv, "HOME=")) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if c.owner != nil {
		cmd.Env = append(cmd.Env, "HOME="+c.dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.owner.credential()}
	}
	return cmd
}

func commandError(what string, err error, out []byte) error {
	if msg := strings.TrimSpace(string(out)); msg != "" {
		return fmt.Errorf("%s: %w: %s", what, err, msg)
	}
	return fmt.Errorf("%s: %w", what, err)
}
