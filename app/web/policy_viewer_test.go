package web

import (
	"strings"
	"testing"
)

// studentlessOperations are the workspace matrix's operations that act on
// no one student's records: an assignment's access level cannot matter.
var studentlessOperations = map[string]bool{
	"GET /": true, "GET /account/password": true, "POST /account/password": true,
	"GET /admin": true, "POST /session/program": true, "GET /exports": true, "POST /exports": true,
	"GET /exports/:id": true, "GET /exports/:id program": true, "GET /exports/:id/download": true,
	"POST /exports/:id/retry": true, "GET /reports": true, "POST /reports/compile": true,
	"GET /reports/jobs/:id": true,
}

// TestViewerAssignmentReadsButNeverWrites gives each role a student of
// its own program to whom it is assigned as a viewer, and runs every
// operation of the workspace matrix on that student: what reads may
// read is what an editor's assignment may read, and no write is allowed,
// whichever scope (assignment, program, district) would otherwise let the
// person in.
func TestViewerAssignmentReadsButNeverWrites(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t)
	viewed := map[string]int64{}
	for _, role := range roles {
		viewed[role] = f.addStudent(role, "viewer")
	}
	checked := 0
	for _, row := range readMatrixFile(t, "testdata/policy_matrix.csv") {
		if studentlessOperations[row.operation] {
			continue
		}
		drive, ok := drivers[row.operation]
		if !ok {
			t.Errorf("no driver for operation %q", row.operation)
			continue
		}
		f.a.signIn(f.users[row.role])
		got, assigned := drive(f, viewed[row.role]), row.want["assigned"]
		// An edit form is the start of a write.
		isWrite := strings.HasPrefix(row.operation, "POST ") || strings.Contains(row.operation, "/edit")
		switch {
		case !isWrite && got != assigned:
			t.Errorf("%s as %s on a student viewed: %s, an assigned editor gets %s",
				row.operation, row.role, got, assigned)
		case isWrite && got == "allow":
			t.Errorf("%s as %s on a student viewed: allowed", row.operation, row.role)
		case isWrite && assigned != "allow" && got != assigned:
			t.Errorf("%s as %s on a student viewed: %s, an assigned editor gets %s",
				row.operation, row.role, got, assigned)
		}
		checked++
	}
	if checked < 100 {
		t.Errorf("only %d operations were checked", checked)
	}
}
