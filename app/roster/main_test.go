package roster

import (
	"context"
	"testing"

	"goaltracker/app/access"
	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a district with two programs, a second district with one,
// and a user in the first program, on a fresh database.
type fixture struct {
	t             testing.TB
	db            *db.DB
	svc           *Service
	district      int64
	first, second int64
	farDistrict   int64
	far           int64
	user          int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	d := dbtest.New(t)
	f := &fixture{t: t, db: d, svc: NewService(d)}
	f.district = f.insert(`INSERT INTO school_district (name) VALUES ('Near') RETURNING id_school_district`)
	f.first = f.insert(`INSERT INTO program (id_school_district, name) VALUES (?, 'First')
		RETURNING id_program`, f.district)
	f.second = f.insert(`INSERT INTO program (id_school_district, name) VALUES (?, 'Second')
		RETURNING id_program`, f.district)
	f.farDistrict = f.insert(`INSERT INTO school_district (name) VALUES ('Far') RETURNING id_school_district`)
	f.far = f.insert(`INSERT INTO program (id_school_district, name) VALUES (?, 'Far')
		RETURNING id_program`, f.farDistrict)
	f.user = f.insert(`INSERT INTO "user" (id_role, id_school_district, email, name)
		SELECT id_role, ?, 'manager@roster.example', 'Manager' FROM role WHERE name = 'district_admin'
		RETURNING id_user`, f.district)
	return f
}

func (f *fixture) insert(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.QueryRowContext(context.Background(), query, args...).Scan(&id); err != nil {
		f.t.Fatalf("fixture %q: %v", query, err)
	}
	return id
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	return int(f.insert(query, args...))
}

// who is the fixture's user holding roster.manage in scope.
func (f *fixture) who(scope string) *access.Principal {
	return access.NewPrincipal(access.Principal{UserID: f.user, Email: "manager@roster.example",
		DistrictID: f.district, ProgramIDs: []int64{f.first}}, []string{"roster.manage." + scope})
}

func (f *fixture) student(program int64, identifier string) int64 {
	f.t.Helper()
	return f.insert(`INSERT INTO student (id_program, identifier, program_year) VALUES (?, ?, 1)
		RETURNING id_student`, program, identifier)
}
