package account

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"goaltracker/app/problem"
)

// PasswordPolicy says which new passwords are accepted. Lengths count
// characters (runes), not bytes, so a password in any script gets the same
// allowance. A zero MinLength or MaxLength means the default's value.
type PasswordPolicy struct {
	MinLength int
	MaxLength int
}

// DefaultPasswordPolicy asks for 12 to 128 characters, long enough for a
// passphrase and short enough that hashing stays cheap.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 12, MaxLength: 128}

// Messages shown beside the password field. They say what to change, in
// words a person who never read a security guide can act on.
const (
	msgPasswordUnreadable = "This password has characters we cannot read; type it again."
	msgPasswordCommon     = "This password is too common; choose a longer phrase only you would think of."
	msgPasswordIsEmail    = "Don't use your email address; choose a phrase only you would think of."
)

// Check returns nil when password may be chosen by the person whose address
// is email, or a *problem.Invalid with one message on the field "password".
// It refuses, in this order: text that is not valid UTF-8, a password
// shorter than MinLength or longer than MaxLength, one equal (ignoring case
// and surrounding spaces) to email or to the part of email before the @,
// and one on the common-password list (ignoring case, and again after
// trimming spaces). An empty email skips the email comparison.
func (p PasswordPolicy) Check(password, email string) error {
	msg := p.problemWith(password, email)
	if msg == "" {
		return nil
	}

	invalid := problem.NewInvalid()
	invalid.Add("password", msg)
	return invalid.Err()
}

// problemWith returns the message for the first rule password breaks, or ""
// when it breaks none.
func (p PasswordPolicy) problemWith(password, email string) string {
	minLength, maxLength := p.limits()
	if !utf8.ValidString(password) {
		return msgPasswordUnreadable
	}

	length := utf8.RuneCountInString(password)
	if length < minLength {
		return fmt.Sprintf("Use at least %d characters.", minLength)
	}
	if length > maxLength {
		return fmt.Sprintf("Use at most %d characters.", maxLength)
	}

	if isEmailLike(password, email) {
		return msgPasswordIsEmail
	}
	if IsCommonPassword(password) || IsCommonPassword(strings.TrimSpace(password)) {
		return msgPasswordCommon
	}
	return ""
}

// limits returns the policy's lengths with zero fields filled from
// DefaultPasswordPolicy.
func (p PasswordPolicy) limits() (minLength, maxLength int) {
	minLength, maxLength = p.MinLength, p.MaxLength
	if minLength == 0 {
		minLength = DefaultPasswordPolicy.MinLength
	}
	if maxLength == 0 {
		maxLength = DefaultPasswordPolicy.MaxLength
	}
	return minLength, maxLength
}

// isEmailLike reports whether password is email or its local part, ignoring
// case and surrounding spaces.
func isEmailLike(password, email string) bool {
	password, email = strings.TrimSpace(password), strings.TrimSpace(email)
	if email == "" {
		return false
	}

	local, _, _ := strings.Cut(email, "@")
	return strings.EqualFold(password, email) ||
		(local != "" && strings.EqualFold(password, local))
}

// commonPasswordsText is the bundled list: a first comment line naming its
// source, then one lower-cased password per line.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords parses the list on first use, so a process that never
// checks a password does not hold it in memory.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonPasswordsText, "\n"))
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.TrimRight(line, "\r\n")
		// Only "# " starts a comment: "#name?" is itself a common password.
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		set[line] = struct{}{}
	}
	return set
})

// IsCommonPassword reports whether pw, ignoring case, is on the bundled list
// of common passwords. The empty string is not on the list.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// CommonPasswordCount returns how many passwords the bundled list holds.
func CommonPasswordCount() int {
	return len(commonPasswords())
}

// MatchesAnyHash reports whether password matches any of hashes, such as the
// hashes of a person's earlier passwords. It checks every hash even after a
// match, so the time taken does not tell which one matched. A malformed hash
// counts as no match; an empty hashes matches nothing.
func MatchesAnyHash(password string, hashes []string) bool {
	matched := false
	for _, hash := range hashes {
		ok, err := CheckPassword(password, hash)
		matched = matched || (ok && err == nil)
	}
	return matched
}
