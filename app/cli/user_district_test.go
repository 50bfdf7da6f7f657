package cli

import (
	"context"
	"testing"

	"goaltracker/app/db"
)

// A fresh installation has no district: user add with --district creates
// the first one, with the default reporting calendar of this school year
// and the next, and a second admin of the same name reuses it.
func TestUserAddCreatesTheFirstDistrictWithItsCalendar(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	d, err := db.Open(context.Background(), e.dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer d.Close()
	count := func(query string) int {
		var n int
		if err := d.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM school_district`); n != 0 {
		t.Fatalf("a fresh database has %d districts", n)
	}

	_, err = e.run("", "user", "add", "--email", "first@new.example", "--name", "First Admin",
		"--role", "district_admin", "--district", "New District")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	_, err = e.run("", "user", "add", "--email", "second@new.example", "--name", "Second Admin",
		"--role", "district_admin", "--district", "new district")
	if err != nil {
		t.Fatalf("second user add: %v", err)
	}

	if n := count(`SELECT count(*) FROM school_district WHERE name = 'New District'`); n != 1 {
		t.Errorf("%d districts named New District, want 1", n)
	}
	if n := count(`SELECT count(*) FROM "user" AS u JOIN school_district AS sd USING (id_school_district)
		WHERE sd.name = 'New District'`); n != 2 {
		t.Errorf("%d users in the new district, want 2", n)
	}
	if n := count(`SELECT count(DISTINCT year) FROM reporting_period`); n != 2 {
		t.Errorf("calendar covers %d school years, want 2", n)
	}
	if n := count(`SELECT count(*) FROM reporting_period`); n != 12 {
		t.Errorf("%d reporting periods, want 12", n)
	}
}
