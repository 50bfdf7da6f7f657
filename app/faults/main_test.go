//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"goaltracker/app/db"
)

// students is how many generated students the drills' district gets on
// top of the demo's: enough for a compile and a workbook to take a few
// seconds, so a worker can be killed in the middle of them.
const students = 10000

// drill is what every drill shares: the built binary, the cluster and
// the environment that points the app at it.
var drill struct {
	binary   string
	logDir   string
	dir      string
	cluster  *db.Cluster
	dsn      string
	env      []string
	password string
	db       *db.DB
}

// verdict is one line of the closing table.
type verdict struct{ drill, measured, outcome string }

var (
	verdictsMu sync.Mutex
	verdicts   []verdict
)

func record(drillName, outcome, format string, args ...any) {
	verdictsMu.Lock()
	defer verdictsMu.Unlock()
	verdicts = append(verdicts, verdict{drillName, fmt.Sprintf(format, args...), outcome})
}

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		code = 1
	}
	printVerdicts()
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gtfaults-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	// The cluster's server may run as another user, which must reach it.
	if err := os.Chmod(dir, 0o755); err != nil {
		return 1, err
	}
	drill.dir, drill.logDir = dir, filepath.Join(dir, "logs")
	if err := os.MkdirAll(drill.logDir, 0o755); err != nil {
		return 1, err
	}
	if keep := os.Getenv("FAULTS_LOGS"); keep != "" {
		drill.logDir = keep
		_ = os.MkdirAll(keep, 0o755)
	}

	drill.binary = filepath.Join(dir, "goaltracker")
	build := exec.Command("go", "build", "-o", drill.binary, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		return 1, fmt.Errorf("build: %v\n%s", err, out)
	}

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if drill.cluster, err = db.StartCluster(ctx, filepath.Join(dir, "pg"), logger); err != nil {
		return 1, err
	}
	defer func() { _ = drill.cluster.Stop() }()
	if err := createDatabase(ctx, "faults"); err != nil {
		return 1, err
	}
	drill.dsn = drill.cluster.DSN("faults")
	drill.password = "faults-password-2026"
	drill.env = []string{"DATABASE_URL=" + drill.dsn, "DEMO_PASSWORD=" + drill.password,
		"LOG_LEVEL=warn", "LOGIN_RATE_PER_MINUTE=10000", "DATA_DIR=" + filepath.Join(dir, "data")}

	start := time.Now()
	for _, args := range [][]string{{"migrate", "up"}, {"demo", "--students", fmt.Sprint(students)}} {
		cmd := exec.Command(drill.binary, args...)
		cmd.Env = append(os.Environ(), drill.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return 1, fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	fmt.Printf("faults: demo district with %d more students loaded in %.1f s\n", students,
		time.Since(start).Seconds())

	if drill.db, err = db.Open(ctx, drill.dsn); err != nil {
		return 1, err
	}
	defer drill.db.Close()
	return m.Run(), nil
}

func createDatabase(ctx context.Context, name string) error {
	admin, err := db.Open(ctx, drill.cluster.DSN(""))
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	return err
}

func printVerdicts() {
	verdictsMu.Lock()
	defer verdictsMu.Unlock()
	if len(verdicts) == 0 {
		return
	}
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DRILL\tMEASURED\tVERDICT")
	for _, v := range verdicts {
		fmt.Fprintf(w, "%s\t%s\t%s\n", v.drill, v.measured, v.outcome)
	}
	_ = w.Flush()
}
