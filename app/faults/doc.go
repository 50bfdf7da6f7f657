// Package faults holds the fault drills of `task faults`: the app built
// and run as real processes on a private PostgreSQL cluster, with the
// database restarted under load, a worker killed in the middle of its
// jobs, several servers and a worker sharing one database, and two people
// editing one goal at once. Each drill checks its expected outcome and
// prints what it measured. The drills are tests behind the faults build
// tag, so `go test ./...` does not run them.
package faults
