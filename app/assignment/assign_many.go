package assignment

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// MaxIdentifiers is how many students one request may assign at once.
const MaxIdentifiers = 1000

// Assigned is what AddByIdentifiers did: the students newly assigned (the
// first of them, for naming it), and how many were assigned already.
type Assigned struct {
	Added, Already int
	First          *Student
}

// SplitIdentifiers reads a list of identifiers typed or pasted one per
// line, or separated by commas, semicolons or spaces, without repeats.
func SplitIdentifiers(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || r == '\t' || r == ' '
	})
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		key := strings.ToLower(f)
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

// AddByIdentifiers assigns account n.UserID of districtID to every student
// named in identifiers, in one transaction: all of them or, when any
// identifier names no student who may assign, none, with a
// *problem.Invalid on field identifier naming the ones not found. Students
// the account is assigned to already are left as they are and counted.
func (s *Service) AddByIdentifiers(ctx context.Context, who *access.Principal, districtID int64,
	identifiers []string, n New) (Assigned, error) {
	var done Assigned
	if err := checkIdentifiers(identifiers, n); err != nil {
		return done, err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		done = Assigned{}
		var missing []string
		for _, identifier := range identifiers {
			id, err := findStudent(ctx, tx, who, districtID, identifier)
			if _, ok := problem.AsInvalid(err); ok {
				missing = append(missing, identifier)
				continue
			}
			if err != nil {
				return err
			}
			if len(missing) > 0 {
				continue // the transaction is rolled back anyway
			}
			st, err := studentFor(ctx, tx, who, id, true)
			if err != nil {
				return err
			}
			err = insert(ctx, tx, who, st, n)
			if inv, ok := problem.AsInvalid(err); ok && inv.Fields["user"] == msgAlreadyAssigned {
				done.Already++
				continue
			}
			if err != nil {
				return err
			}
			if done.First == nil {
				done.First = st
			}
			done.Added++
		}
		if len(missing) > 0 {
			return notFound(missing)
		}
		return nil
	})
	return done, err
}

func checkIdentifiers(identifiers []string, n New) error {
	inv := problem.NewInvalid()
	switch {
	case len(identifiers) == 0:
		inv.Add("identifier", "Enter one or more student identifiers.")
	case len(identifiers) > MaxIdentifiers:
		inv.Add("identifier", fmt.Sprintf("Assign at most %d students at once; this list has %d.",
			MaxIdentifiers, len(identifiers)))
	}
	for _, id := range identifiers {
		if utf8.RuneCountInString(id) > 50 || !utf8.ValidString(id) {
			inv.Add("identifier", fmt.Sprintf("%.50q is not an identifier: they have at most 50 characters.", id))
			break
		}
	}
	if err := checkLevel(n.AccessLevel, n.IsPrimary); err != nil {
		pinv, _ := problem.AsInvalid(err)
		inv.Add("access_level", pinv.Fields["access_level"])
	}
	return inv.Err()
}

// notFound names the identifiers that matched no student, the first ten
// of them.
func notFound(missing []string) error {
	shown := missing
	more := ""
	if len(shown) > 10 {
		shown, more = shown[:10], fmt.Sprintf(" and %d more", len(missing)-10)
	}
	inv := problem.NewInvalid()
	inv.Add("identifier", fmt.Sprintf(
		"No student whose staff you may assign has the identifier %s%s. Nothing was assigned.",
		strings.Join(shown, ", "), more))
	return inv
}
