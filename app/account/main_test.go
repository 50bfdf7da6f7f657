package account_test

import (
	"testing"

	"goaltracker/app/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
