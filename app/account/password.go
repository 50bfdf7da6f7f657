package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// HashParams are the Argon2id settings a new hash is made with. They are
// written into every hash, so raising them later leaves old hashes
// verifiable, and NeedsRehash tells which ones to upgrade at sign-in.
type HashParams struct {
	MemoryKiB  uint32
	Iterations uint32
	Lanes      uint8
	SaltLen    uint32
	KeyLen     uint32
}

// DefaultHashParams meet the OWASP minimum for Argon2id: 19 MiB of memory,
// 2 iterations, 1 lane.
var DefaultHashParams = HashParams{MemoryKiB: 19 * 1024, Iterations: 2, Lanes: 1, SaltLen: 16, KeyLen: 32}

// ErrMalformedHash means a stored hash is not in the PHC string format this
// package writes.
var ErrMalformedHash = errors.New("malformed password hash")

// HashPassword returns the Argon2id hash of password in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$salt$key.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Lanes, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.MemoryKiB, p.Iterations, p.Lanes, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, comparing in
// constant time. A malformed hash is an error, never a match.
func CheckPassword(password, hash string) (bool, error) {
	p, salt, key, err := decodeHash(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Lanes, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with weaker settings than p, so
// that a successful sign-in should store a new hash.
func NeedsRehash(hash string, p HashParams) bool {
	old, _, _, err := decodeHash(hash)
	if err != nil {
		return true
	}
	return old.MemoryKiB < p.MemoryKiB || old.Iterations < p.Iterations ||
		old.Lanes < p.Lanes || old.KeyLen < p.KeyLen
}

func decodeHash(hash string) (HashParams, []byte, []byte, error) {
	var p HashParams
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformedHash
	}
	_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Lanes)
	if err != nil || p.MemoryKiB == 0 || p.Iterations == 0 || p.Lanes == 0 {
		return p, nil, nil, ErrMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, ErrMalformedHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return p, nil, nil, ErrMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
