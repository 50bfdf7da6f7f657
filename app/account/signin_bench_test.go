package account_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"goaltracker/app/account"
	"goaltracker/app/db/dbtest"
)

// BenchmarkSignIn measures, in one run, one Argon2id verification, a
// successful sign-in, a sign-in with an unknown email and one with a wrong
// password, and reports two ratios of medians:
//
//	signin/hash      a whole sign-in against the hash alone (target <= 1.5)
//	unknown/wrong    unknown email against wrong password (target 0.8-1.25):
//	                 near 1 means timing does not tell whether an account exists
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	d := dbtest.New(b)
	svc, err := account.NewService(d, account.Settings{Hash: account.DefaultHashParams,
		Policy: account.DefaultPasswordPolicy, HistoryCount: 5, LockoutThreshold: 5,
		LockoutDuration: 15 * time.Minute, SessionIdle: time.Hour, SessionLifetime: 12 * time.Hour,
		ResetTokenLifetime: 30 * time.Minute})
	if err != nil {
		b.Fatalf("service: %v", err)
	}
	var district int64
	if err := d.QueryRowContext(ctx, `INSERT INTO school_district (name) VALUES ('Bench')
		RETURNING id_school_district`).Scan(&district); err != nil {
		b.Fatalf("district: %v", err)
	}
	u, err := svc.CreateUser(ctx, account.NewUser{Email: "bench@test.example", Name: "Bench",
		RoleName: "teacher", DistrictID: district, Password: "the benchmark password"})
	if err != nil {
		b.Fatalf("user: %v", err)
	}

	var hash, good, unknown, wrong []time.Duration
	timed := func(into *[]time.Duration, fn func()) {
		start := time.Now()
		fn()
		*into = append(*into, time.Since(start))
	}
	// Each round is 30 sign-ins of each kind, so even -benchtime 1x
	// compares medians, not single samples.
	for b.Loop() {
		for range 30 {
			timed(&hash, func() { _, _ = account.CheckPassword("the benchmark password", u.PasswordHash) })
			timed(&good, func() {
				if _, err := svc.SignIn(ctx, "bench@test.example", "the benchmark password", "::1"); err != nil {
					b.Fatalf("sign in: %v", err)
				}
			})
			timed(&unknown, func() { _, _ = svc.SignIn(ctx, "nobody@test.example", "a wrong password", "::1") })
			timed(&wrong, func() { _, _ = svc.SignIn(ctx, "bench@test.example", "a wrong password", "::1") })
			// Keep the account below the lockout threshold.
			if _, err := d.ExecContext(ctx, `UPDATE "user" SET failed_login_attempts = 0`); err != nil {
				b.Fatalf("reset failures: %v", err)
			}
		}
	}

	b.ReportMetric(float64(median(hash).Microseconds())/1000, "hash-ms")
	b.ReportMetric(float64(median(good).Microseconds())/1000, "signin-ms")
	b.ReportMetric(ratio(median(good), median(hash)), "signin/hash")
	b.ReportMetric(ratio(median(unknown), median(wrong)), "unknown/wrong")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
