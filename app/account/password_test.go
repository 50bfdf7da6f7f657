package account

import (
	"errors"
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	t.Parallel()

	hash, err := HashPassword("correct horse battery", DefaultHashParams)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry its parameters", hash)
	}

	for _, tc := range []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		got, err := CheckPassword(tc.password, hash)
		if err != nil || got != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.password, got, err, tc.want)
		}
	}
}

func TestCheckPasswordRejectsMalformedHashes(t *testing.T) {
	t.Parallel()

	for _, hash := range []string{
		"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=1,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$",
	} {
		ok, err := CheckPassword("x", hash)
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("CheckPassword on %q = %v, %v; want ErrMalformedHash", hash, ok, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()

	weak := HashParams{MemoryKiB: 8 * 1024, Iterations: 1, Lanes: 1, SaltLen: 16, KeyLen: 32}
	hash, err := HashPassword("a long enough password", weak)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if !NeedsRehash(hash, DefaultHashParams) {
		t.Error("a weaker hash should need rehashing")
	}
	if NeedsRehash(hash, weak) {
		t.Error("a hash with the current settings should not need rehashing")
	}
	if !NeedsRehash("garbage", DefaultHashParams) {
		t.Error("a malformed hash should need rehashing")
	}
}
