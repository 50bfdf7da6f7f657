package demo

import (
	"context"
	"testing"
	"time"

	"goaltracker/app/account"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
)

func TestMain(m *testing.M) {
	dbtest.Main(m)
}

// testToday is a Wednesday afternoon in the second quarter of 2026-27.
var testToday = time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)

func testOptions() Options {
	return Options{Password: "demo-password-for-tests", Today: testToday}
}

// newLoaded returns a fresh database with the demo loaded for testToday.
func newLoaded(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.New(t)
	if err := Load(context.Background(), d, testOptions()); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

// queryInt runs a query that returns one integer.
func queryInt(t *testing.T, d *db.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("query %q: %v", sql, err)
	}
	return n
}

var demoTables = []string{
	"school_district", "reporting_period", "program", "\"user\"", "user_program",
	"student", "user_student", "goal", "health_note", "progress_event",
}

// rowCounts counts the rows of every table the demo writes.
func rowCounts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	counts := make(map[string]int, len(demoTables))
	for _, table := range demoTables {
		// The table names are the constants above, never input.
		counts[table] = queryInt(t, d, "SELECT count(*) FROM "+table)
	}
	return counts
}

func TestLoadIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)

	if loaded, err := IsLoaded(ctx, d); err != nil || loaded {
		t.Fatalf("IsLoaded before Load = %v, %v; want false, nil", loaded, err)
	}
	if err := Load(ctx, d, testOptions()); err != nil {
		t.Fatalf("first Load: %v", err)
	}
	once := rowCounts(t, d)
	if loaded, err := IsLoaded(ctx, d); err != nil || !loaded {
		t.Fatalf("IsLoaded after Load = %v, %v; want true, nil", loaded, err)
	}

	// A later day and no password: an existing demo needs neither.
	if err := Load(ctx, d, Options{Today: testToday.AddDate(0, 1, 0)}); err != nil {
		t.Fatalf("second Load: %v", err)
	}
	twice := rowCounts(t, d)
	for _, table := range demoTables {
		if once[table] != twice[table] {
			t.Errorf("%s: %d rows after one Load, %d after two", table, once[table], twice[table])
		}
		if once[table] == 0 {
			t.Errorf("%s: no rows after Load", table)
		}
	}
}

func TestLoadWithoutPassword(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)

	if err := Load(context.Background(), d, Options{Today: testToday}); err == nil {
		t.Fatal("Load without a password succeeded")
	}
	if n := queryInt(t, d, "SELECT count(*) FROM school_district"); n != 0 {
		t.Errorf("%d districts after a failed Load, want 0", n)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	t.Parallel()

	// Everything generated, ids and hashes aside, in a stable order.
	const fingerprint = `SELECT md5(string_agg(concat_ws('|', s.identifier, s.program_year,
			g.title, g.status, g.baseline_value, e.occurred_on, e.content, e.value,
			e.is_sensitive, e.created_at), ',' ORDER BY s.identifier, g.id_goal, e.id_progress_event))
		FROM progress_event e
		JOIN student s USING (id_student)
		LEFT JOIN goal g USING (id_goal)`
	var sums [2]string
	for i := range sums {
		d := newLoaded(t)
		if err := d.Pool.QueryRow(context.Background(), fingerprint).Scan(&sums[i]); err != nil {
			t.Fatalf("fingerprint: %v", err)
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two loads for the same day differ: %s and %s", sums[0], sums[1])
	}
}

func TestLoadAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := newLoaded(t)

	rows, err := d.Pool.Query(ctx, `SELECT u.email, r.name, u.password_hash,
			u.id_school_district IS NOT NULL AND u.password_updated_at IS NOT NULL AND u.is_active
		FROM "user" u JOIN role r USING (id_role)`)
	if err != nil {
		t.Fatalf("list users: %v", err)
	}
	roles := map[string]string{}
	hashes := map[string]bool{}
	for rows.Next() {
		var email, role, hash string
		var complete bool
		if err := rows.Scan(&email, &role, &hash, &complete); err != nil {
			t.Fatalf("scan user: %v", err)
		}
		roles[email], hashes[hash] = role, true
		if !complete {
			t.Errorf("%s lacks a district or a password date, or is inactive", email)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("list users: %v", err)
	}

	if len(roles) != len(Accounts) {
		t.Errorf("%d users, want %d", len(roles), len(Accounts))
	}
	for _, a := range Accounts {
		if roles[a.Email] != a.Role {
			t.Errorf("%s has role %q, want %q", a.Email, roles[a.Email], a.Role)
		}
	}
	if len(hashes) != 1 {
		t.Fatalf("%d different password hashes, want 1 shared", len(hashes))
	}
	for hash := range hashes {
		if ok, err := account.CheckPassword(testOptions().Password, hash); err != nil || !ok {
			t.Errorf("demo password does not match the stored hash: %v, %v", ok, err)
		}
	}
}

func TestLoadContent(t *testing.T) {
	t.Parallel()
	d := newLoaded(t)

	tests := []struct {
		name string
		sql  string
		want func(int) bool
	}{
		{"at least 40 students", `SELECT count(*) FROM student`, atLeast(40)},
		{"students in both programs", `SELECT count(DISTINCT id_program) FROM student`, equals(2)},
		{"identifiers are opaque and unique", `SELECT count(DISTINCT identifier) FROM student
			WHERE identifier ~ '^RV-[0-9]{5}$'`, equals(queryInt(t, d, `SELECT count(*) FROM student`))},
		{"enrolment matches program year", `SELECT count(*) FROM student
			WHERE program_year NOT BETWEEN 1 AND 4 OR enrollment_date >= expected_grad
			OR extract(year FROM expected_grad) - extract(year FROM enrollment_date) <> 4`, equals(0)},
		{"every student has 3 to 6 top goals", `SELECT count(*) FROM student s
			WHERE (SELECT count(*) FROM goal g WHERE g.id_student = s.id_student
				AND g.id_goal_parent IS NULL) NOT BETWEEN 3 AND 6`, equals(0)},
		{"sub-goals", `SELECT count(*) FROM goal WHERE id_goal_parent IS NOT NULL`, atLeast(40)},
		{"sub-goals belong to their parent's student", `SELECT count(*) FROM goal c
			JOIN goal p ON p.id_goal = c.id_goal_parent WHERE c.id_student <> p.id_student`, equals(0)},
		{"measurable goals", `SELECT count(*) FROM goal WHERE unit IS NOT NULL
			AND baseline_value IS NOT NULL AND target_value IS NOT NULL AND target_date IS NOT NULL`, atLeast(40)},
		{"valued entries on measurable goals", `SELECT count(*) FROM progress_event e
			JOIN goal g USING (id_goal) WHERE g.unit IS NOT NULL AND e.value IS NOT NULL`, atLeast(500)},
		{"no values on other goals", `SELECT count(*) FROM progress_event e
			LEFT JOIN goal g USING (id_goal) WHERE g.unit IS NULL AND e.value IS NOT NULL`, equals(0)},
		{"met and discontinued goals", `SELECT count(DISTINCT status) FROM goal
			WHERE status IN ('met', 'discontinued') AND closed_at IS NOT NULL AND close_note IS NOT NULL`, equals(2)},
		{"goals created by the primary teacher", `SELECT count(*) FROM goal g
			WHERE NOT EXISTS (SELECT 1 FROM user_student us WHERE us.id_student = g.id_student
				AND us.id_user = g.id_user_created AND us.is_primary)`, equals(0)},
		{"no entries on closed goals after closing", `SELECT count(*) FROM progress_event e
			JOIN goal g USING (id_goal) WHERE e.occurred_on > g.closed_at::date`, equals(0)},
		{"sensitive entries of a paraeducator's student", `SELECT count(*) FROM progress_event e
			JOIN user_student us USING (id_student) JOIN "user" u USING (id_user)
			WHERE e.is_sensitive AND u.email = 'para@demo.test'`, atLeast(1)},
		{"health notes of a paraeducator's student", `SELECT count(*) FROM health_note n
			JOIN user_student us USING (id_student) JOIN "user" u USING (id_user)
			WHERE u.email = 'para@demo.test'`, atLeast(1)},
		{"health notes on several students", `SELECT count(DISTINCT id_student) FROM health_note`, atLeast(5)},
		{"entries by the paraeducator", `SELECT count(*) FROM progress_event e
			JOIN "user" u ON u.id_user = e.id_user_created WHERE u.email = 'para@demo.test'`, atLeast(50)},
		{"entries only by assigned editors", `SELECT count(*) FROM progress_event e
			WHERE NOT EXISTS (SELECT 1 FROM user_student us WHERE us.id_student = e.id_student
				AND us.id_user = e.id_user_created AND us.access_level = 'editor')`, equals(0)},
		{"one primary teacher per student", `SELECT count(*) FROM student s
			WHERE (SELECT count(*) FROM user_student us WHERE us.id_student = s.id_student
				AND us.is_primary) <> 1`, equals(0)},
		{"paraeducator assigned to six students", `SELECT count(*) FROM user_student
			JOIN "user" USING (id_user) WHERE email = 'para@demo.test' AND NOT is_primary`, equals(6)},
		{"a viewer assignment", `SELECT count(*) FROM user_student WHERE access_level = 'viewer'`, equals(1)},
		{"second teacher in two programs", `SELECT count(*) FROM user_program
			JOIN "user" USING (id_user) WHERE email = 'teacher2@demo.test'`, equals(2)},
		{"one primary program per member", `SELECT count(*) FROM "user" u
			WHERE (SELECT count(*) FROM user_program up WHERE up.id_user = u.id_user AND up.is_primary) <> 1`, equals(0)},
		{"periods for two school years", `SELECT count(*) FROM reporting_period WHERE year IN (2026, 2027)`, equals(12)},
		{"entries on school days", `SELECT count(*) FROM progress_event
			WHERE extract(isodow FROM occurred_on) > 5`, equals(0)},
		{"entries not in the future", `SELECT count(*) FROM progress_event
			WHERE occurred_on > '2026-11-18' OR created_at > '2026-11-18 14:30Z'
				OR updated_at > '2026-11-18 14:30Z'`, equals(0)},
		{"entries since the school year started", `SELECT count(*) FROM progress_event
			WHERE occurred_on < '2026-08-17'`, equals(0)},
		{"entries in the current quarter", `SELECT count(*) FROM progress_event
			WHERE occurred_on >= '2026-10-26'`, atLeast(1000)},
		{"entries logged on the day they happened", `SELECT count(*) FROM progress_event
			WHERE (created_at AT TIME ZONE 'UTC')::date <> occurred_on`, equals(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := queryInt(t, d, tt.sql); !tt.want(got) {
				t.Errorf("got %d", got)
			}
		})
	}
}

func atLeast(n int) func(int) bool { return func(got int) bool { return got >= n } }
func equals(n int) func(int) bool  { return func(got int) bool { return got == n } }

func TestLoadAnyDay(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		today time.Time
		year  int
	}{
		{"first school day, early morning", time.Date(2026, 8, 17, 7, 0, 0, 0, time.UTC), 2026},
		{"summer break", time.Date(2027, 7, 10, 12, 0, 0, 0, time.UTC), 2026},
		{"august before the first school day", time.Date(2027, 8, 3, 12, 0, 0, 0, time.UTC), 2026},
		{"a saturday in spring, another zone", time.Date(2027, 4, 17, 9, 0, 0, 0, time.FixedZone("EST", -5*3600)), 2026},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := dbtest.New(t)

			opts := Options{Password: "demo-password-for-tests", Today: tt.today}
			if err := Load(context.Background(), d, opts); err != nil {
				t.Fatalf("Load: %v", err)
			}
			if n := queryInt(t, d, `SELECT count(*) FROM reporting_period WHERE year IN ($1, $1 + 1)`, tt.year); n != 12 {
				t.Errorf("%d periods for %d and %d, want 12", n, tt.year, tt.year+1)
			}
			if n := queryInt(t, d, `SELECT count(*) FROM progress_event
				WHERE occurred_on > $1::date OR created_at > $2`, tt.today.Format(time.DateOnly), tt.today); n != 0 {
				t.Errorf("%d entries after %s", n, tt.today)
			}
			if n := queryInt(t, d, `SELECT count(*) FROM progress_event`); n < 1000 {
				t.Errorf("only %d entries", n)
			}
		})
	}
}

func TestAddStudents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)

	// Without a loaded demo, AddStudents loads it first.
	for round := 1; round <= 2; round++ {
		added, err := AddStudents(ctx, d, 200, testOptions())
		if err != nil || added != 200 {
			t.Fatalf("AddStudents round %d = %d, %v; want 200, nil", round, added, err)
		}
		if n := queryInt(t, d, `SELECT count(*) FROM student WHERE identifier LIKE 'GEN-%'`); n != 200*round {
			t.Errorf("after round %d: %d generated students, want %d", round, n, 200*round)
		}
	}

	tests := []struct {
		name string
		sql  string
		want func(int) bool
	}{
		{"identifiers unique", `SELECT count(*) - count(DISTINCT identifier) FROM student`, equals(0)},
		{"identifiers numbered from 1 to 400", `SELECT count(*) FROM student
			WHERE identifier = ANY (ARRAY['GEN-000001', 'GEN-000200', 'GEN-000201', 'GEN-000400'])`, equals(4)},
		{"loaded students untouched", `SELECT count(*) FROM student WHERE identifier LIKE 'RV-%'`, equals(42)},
		{"both programs", `SELECT count(DISTINCT id_program) FROM student WHERE identifier LIKE 'GEN-%'`, equals(2)},
		{"every student has 4 to 6 top goals", `SELECT count(*) FROM student s WHERE identifier LIKE 'GEN-%'
			AND (SELECT count(*) FROM goal g WHERE g.id_student = s.id_student
				AND g.id_goal_parent IS NULL) NOT BETWEEN 4 AND 6`, equals(0)},
		{"some sub-goals", `SELECT count(*) FROM goal g JOIN student s USING (id_student)
			WHERE s.identifier LIKE 'GEN-%' AND g.id_goal_parent IS NOT NULL`, atLeast(50)},
		{"every student has entries", `SELECT count(*) FROM student s WHERE identifier LIKE 'GEN-%'
			AND NOT EXISTS (SELECT 1 FROM progress_event e WHERE e.id_student = s.id_student)`, equals(0)},
		{"about ten entries per active top goal this quarter", `SELECT round(avg(n))::int FROM (
			SELECT count(e.id_progress_event) AS n FROM goal g JOIN student s USING (id_student)
			LEFT JOIN progress_event e ON e.id_goal = g.id_goal AND e.occurred_on >= '2026-10-26'
			WHERE s.identifier LIKE 'GEN-%' AND g.id_goal_parent IS NULL AND g.status = 'active'
			GROUP BY g.id_goal) per_goal`, func(n int) bool { return n >= 8 && n <= 12 }},
		{"entries before the quarter", `SELECT count(*) FROM progress_event e JOIN student s USING (id_student)
			WHERE s.identifier LIKE 'GEN-%' AND e.occurred_on < '2026-10-26'`, atLeast(2000)},
		{"one primary teacher per student", `SELECT count(*) FROM student s
			WHERE (SELECT count(*) FROM user_student us WHERE us.id_student = s.id_student
				AND us.is_primary) <> 1`, equals(0)},
		{"entries not in the future", `SELECT count(*) FROM progress_event
			WHERE occurred_on > '2026-11-18' OR created_at > '2026-11-18 14:30Z'`, equals(0)},
		{"goal ids ahead of the sequence", `SELECT count(*) FROM goal
			WHERE id_goal > (SELECT last_value FROM goal_id_goal_seq)`, equals(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := queryInt(t, d, tt.sql); !tt.want(got) {
				t.Errorf("got %d", got)
			}
		})
	}
}

func TestAddStudentsNegative(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)

	if _, err := AddStudents(context.Background(), d, -1, testOptions()); err == nil {
		t.Error("AddStudents(-1) succeeded")
	}
}
