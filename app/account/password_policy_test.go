package account

import (
	"strings"
	"testing"

	"goaltracker/app/problem"
)

func TestPasswordPolicyCheck(t *testing.T) {
	t.Parallel()

	const email = "Ms.Rivera.Teacher@School.example"
	for _, tc := range []struct {
		name     string
		policy   PasswordPolicy
		password string
		email    string
		want     string // the message on "password"; "" means accepted
	}{
		{"good passphrase", DefaultPasswordPolicy, "kettle orbit violin sunrise", email, ""},
		{"empty", DefaultPasswordPolicy, "", email, "Use at least 12 characters."},
		{"eleven characters", DefaultPasswordPolicy, "abcdefghijk", email, "Use at least 12 characters."},
		{"twelve characters", DefaultPasswordPolicy, "walrus-piano", email, ""},
		{"128 characters", DefaultPasswordPolicy, strings.Repeat("ab", 64), email, ""},
		{"129 characters", DefaultPasswordPolicy, strings.Repeat("ab", 64) + "c", email, "Use at most 128 characters."},
		{"runes not bytes, short", DefaultPasswordPolicy, strings.Repeat("é", 11), email, "Use at least 12 characters."},
		{"runes not bytes, long enough", DefaultPasswordPolicy, strings.Repeat("é", 12), email, ""},
		{"runes not bytes, 128 of 2 bytes", DefaultPasswordPolicy, strings.Repeat("ж", 128), email, ""},
		{"not UTF-8", DefaultPasswordPolicy, "twelve chars\xff", email, msgPasswordUnreadable},
		{"common", DefaultPasswordPolicy, "qwerty123456", email, msgPasswordCommon},
		{"common in other case", DefaultPasswordPolicy, "QwErTy123456", email, msgPasswordCommon},
		{"common with spaces around", DefaultPasswordPolicy, "  1q2w3e4r5t6y ", email, msgPasswordCommon},
		{"email", DefaultPasswordPolicy, "ms.rivera.teacher@school.example", email, msgPasswordIsEmail},
		{"local part", DefaultPasswordPolicy, "MS.RIVERA.TEACHER", email, msgPasswordIsEmail},
		{"no email given", DefaultPasswordPolicy, "ms.rivera.teacher", "", ""},
		{"zero policy uses defaults", PasswordPolicy{}, "abcdefghijk", email, "Use at least 12 characters."},
		{"custom minimum", PasswordPolicy{MinLength: 20}, "walrus-piano", email, "Use at least 20 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			err := tc.policy.Check(tc.password, tc.email)
			if got := passwordMessage(t, err); got != tc.want {
				t.Errorf("Check(%q) message = %q; want %q", tc.password, got, tc.want)
			}
		})
	}
}

// passwordMessage returns the message err holds for the field "password",
// or "" for a nil err. Any other error fails the test.
func passwordMessage(t *testing.T, err error) string {
	t.Helper()

	if err == nil {
		return ""
	}
	invalid, ok := problem.AsInvalid(err)
	if !ok {
		t.Fatalf("error %v is not a *problem.Invalid", err)
	}
	if len(invalid.Fields) != 1 || !invalid.Has("password") {
		t.Fatalf("fields = %v; want only password", invalid.Fields)
	}
	return invalid.Fields["password"]
}

func TestCommonPasswordList(t *testing.T) {
	t.Parallel()

	if n := CommonPasswordCount(); n < 10_000 {
		t.Errorf("CommonPasswordCount() = %d; want at least 10,000", n)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"password1", true},
		{"123456", true},
		{"PassWord1", true},
		{"#name?", true},
		{"", false},
		{"kettle orbit violin sunrise", false},
	} {
		if got := IsCommonPassword(tc.pw); got != tc.want {
			t.Errorf("IsCommonPassword(%q) = %v; want %v", tc.pw, got, tc.want)
		}
	}
}

func TestMatchesAnyHash(t *testing.T) {
	t.Parallel()

	cheap := HashParams{MemoryKiB: 1024, Iterations: 1, Lanes: 1, SaltLen: 16, KeyLen: 32}
	var hashes []string
	for _, pw := range []string{"first old passphrase", "second old passphrase"} {
		hash, err := HashPassword(pw, cheap)
		if err != nil {
			t.Fatalf("HashPassword: %v", err)
		}
		hashes = append(hashes, hash)
	}
	withMalformed := append([]string{"not a hash"}, hashes...)

	for _, tc := range []struct {
		name     string
		password string
		hashes   []string
		want     bool
	}{
		{"first", "first old passphrase", hashes, true},
		{"second", "second old passphrase", hashes, true},
		{"new", "a brand new passphrase", hashes, false},
		{"malformed hash skipped", "second old passphrase", withMalformed, true},
		{"only malformed", "first old passphrase", []string{"", "$argon2id$"}, false},
		{"no hashes", "first old passphrase", nil, false},
	} {
		if got := MatchesAnyHash(tc.password, tc.hashes); got != tc.want {
			t.Errorf("%s: MatchesAnyHash = %v; want %v", tc.name, got, tc.want)
		}
	}
}
