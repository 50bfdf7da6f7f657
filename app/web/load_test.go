package web

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadResult is what one or more load runs measured: the operations
// completed, the time they took, each one's latency, and the processor
// time spent meanwhile by the machine, by PostgreSQL's processes and by
// this process (the server and its clients). The processor times are zero
// where /proc cannot be read.
type loadResult struct {
	ops       int
	elapsed   time.Duration
	latencies []time.Duration
	machine   time.Duration
	database  time.Duration
	self      time.Duration
}

// add counts another run of the same operation into r.
func (r *loadResult) add(o loadResult) {
	r.ops += o.ops
	r.elapsed += o.elapsed
	r.latencies = append(r.latencies, o.latencies...)
	r.machine += o.machine
	r.database += o.database
	r.self += o.self
}

func (r loadResult) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ops) / r.elapsed.Seconds()
}

// percentile returns the latency below which the fraction q of the
// operations finished.
func (r loadResult) percentile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	sorted := slices.Clone(r.latencies)
	slices.Sort(sorted)
	return sorted[int(float64(len(sorted)-1)*q)]
}

// perOp is d shared out over the operations, in microseconds.
func (r loadResult) perOp(d time.Duration) float64 {
	if r.ops == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(r.ops)
}

func (r loadResult) report(b *testing.B, name string) {
	b.ReportMetric(r.perSecond(), name+"/s")
	b.ReportMetric(float64(r.percentile(0.5).Microseconds())/1000, name+"-p50-ms")
	b.ReportMetric(float64(r.percentile(0.99).Microseconds())/1000, name+"-p99-ms")
	if r.machine > 0 {
		b.ReportMetric(r.perOp(r.machine), name+"-cpu-us")
		b.ReportMetric(r.perOp(r.database), name+"-db-cpu-us")
		b.ReportMetric(r.perOp(r.self), name+"-go-cpu-us")
	}
}

// runLoad calls op from workers goroutines until d has passed and returns
// what it measured. The first error stops the run.
func runLoad(workers int, d time.Duration, op func(worker int, i int64, state *string) error) loadResult {
	var wg sync.WaitGroup
	var failed atomic.Value
	latencies := make([][]time.Duration, workers)
	before := readCPU()
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var state string
			for i := int64(0); time.Now().Before(deadline); i++ {
				began := time.Now()
				if err := op(w, i, &state); err != nil {
					failed.Store(err)
					return
				}
				latencies[w] = append(latencies[w], time.Since(began))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	after := readCPU()
	if err, ok := failed.Load().(error); ok {
		panic(err)
	}
	all := slices.Concat(latencies...)
	r := loadResult{ops: len(all), elapsed: elapsed, latencies: all}
	if before.ok && after.ok {
		r.machine = after.machine - before.machine
		r.database = after.database - before.database
		r.self = after.self - before.self
	}
	return r
}

// cpuTimes are processor times since boot, read from /proc (in USER_HZ,
// which Linux fixes at 100 a second).
type cpuTimes struct {
	machine, database, self time.Duration
	ok                      bool
}

const userHZ = 10 * time.Millisecond

// readCPU reads the machine's busy time (user, nice, system, irq and
// softirq from /proc/stat: not idle, iowait, or time the hypervisor
// gave to other machines), the time of every process named postgres, and
// this process's own.
func readCPU() cpuTimes {
	var t cpuTimes
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return t
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return t
	}
	for _, i := range []int{1, 2, 3, 6, 7} {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return t
		}
		t.machine += time.Duration(n) * userHZ
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return t
	}
	self := strconv.Itoa(os.Getpid())
	for _, d := range dirs {
		name, used, ok := processCPU(d.Name())
		switch {
		case !ok:
		case d.Name() == self:
			t.self += used
		case name == "postgres":
			t.database += used
		}
	}
	t.ok = true
	return t
}

// processCPU returns the command name and the user and system time of
// process pid, from /proc/pid/stat.
func processCPU(pid string) (string, time.Duration, bool) {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0, false
	}
	s := string(data)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open || end+2 > len(s) {
		return "", 0, false
	}
	// After the name: state, then 10 fields, then utime and stime.
	fields := strings.Fields(s[end+2:])
	if len(fields) < 13 {
		return "", 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return s[open+1 : end], time.Duration(utime+stime) * userHZ, true
}
