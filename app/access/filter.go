package access

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Target says which rows a filter applies to: the alias of the student
// table in the query, and, for records with an author (entries, notes),
// the column holding the author's id, which the own scope compares.
// StudentID, when set, is the expression of the student's id, for tests
// that need no more of the student row than its id.
type Target struct {
	StudentAlias  string
	StudentID     string
	CreatorColumn string
}

func (t Target) studentID() string {
	if t.StudentID != "" {
		return t.StudentID
	}
	return t.StudentAlias + ".id_student"
}

// needsStudentRow reports whether a test in scopes reads more of the
// student row than its id.
func needsStudentRow(scopes []string) bool {
	for _, s := range scopes {
		if s == ScopeDistrict || s == ScopeProgram {
			return true
		}
	}
	return false
}

// Students is the Target of queries on the student table aliased st.
var Students = Target{StudentAlias: "st"}

// condition is a piece of SQL with ? placeholders and their arguments. A
// list of ids is a []int64 argument compared with = ANY.
type condition struct {
	sql  string
	args []any
}

// Filter narrows q to the rows on which p may do action on resource. q
// must join the student table under t.StudentAlias. A principal with no
// grant for it sees nothing. Write actions also exclude students the user
// is assigned to as a viewer only.
func Filter(q *bun.SelectQuery, p *Principal, resource, action string, t Target) *bun.SelectQuery {
	scopes := scopeConditions(p, resource, action, t)
	if len(scopes) == 0 {
		return q.Where("false")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, c := range scopes {
			q = q.WhereOr(c.sql, bunArgs(c.args)...)
		}
		return q
	})
}

// scopeConditions returns one condition per scope in which p may do
// action on resource. A scope can add nothing (the program scope of a user
// in no program), so none at all means no row. For a write action each
// condition also holds the viewer guard, so that the conditions are the
// whole test whichever scope lets the person in.
func scopeConditions(p *Principal, resource, action string, t Target) []condition {
	isWrite := action != "read"
	var out []condition
	for _, scope := range p.Scopes(resource, action) {
		if c, ok := scopeCondition(p, scope, t, isWrite); ok {
			out = append(out, c)
		}
	}
	return out
}

// scopeCondition is the test of one scope. With isWrite it excludes
// students the user is assigned to as a viewer only: the assignment
// scopes by asking their own user_student row for more than a viewer's
// access (one row per user and student, migration 0016), the others with
// a second look at that row.
func scopeCondition(p *Principal, scope string, t Target, isWrite bool) (condition, bool) {
	st := t.StudentAlias
	var c condition
	switch scope {
	case ScopeAll:
		c = condition{sql: "true"}
	case ScopeDistrict:
		c = condition{sql: `EXISTS (SELECT 1 FROM program AS p_scope
			WHERE p_scope.id_program = ` + st + `.id_program AND p_scope.id_school_district = ?)`,
			args: []any{p.DistrictID}}
	case ScopeProgram:
		if len(p.ProgramIDs) == 0 {
			return condition{}, false
		}
		c = condition{sql: st + ".id_program = ANY(?)", args: []any{p.ProgramIDs}}
	case ScopeAssigned, ScopePrimary:
		sql := `EXISTS (SELECT 1 FROM user_student AS us_scope
			WHERE us_scope.id_student = ` + t.studentID() + ` AND us_scope.id_user = ?`
		if scope == ScopePrimary {
			sql += " AND us_scope.is_primary"
		}
		if isWrite {
			sql += " AND us_scope.access_level IS DISTINCT FROM 'viewer'"
		}
		return condition{sql: sql + ")", args: []any{p.UserID}}, true
	case ScopeOwn:
		if t.CreatorColumn == "" {
			return condition{}, false
		}
		c = condition{sql: t.CreatorColumn + " = ?", args: []any{p.UserID}}
	default:
		return condition{}, false
	}
	if isWrite {
		c = condition{sql: c.sql + ` AND NOT EXISTS (SELECT 1 FROM user_student AS us_view
			WHERE us_view.id_student = ` + t.studentID() + ` AND us_view.id_user = ?
			AND us_view.access_level = 'viewer')`, args: append(c.args, p.UserID)}
	}
	return c, true
}

// bunArgs adapts arguments for Bun, which sends id lists as arrays only
// when told to.
func bunArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if ids, ok := a.([]int64); ok {
			a = pgdialect.Array(ids)
		}
		out[i] = a
	}
	return out
}

// AllowsSQL is Allows for a statement sent through pgx as a prepared
// statement: the same test as an expression with $n placeholders,
// numbered after the arguments already in args, which it returns with
// its own appended. For a given role and action the text is the same for
// every user, so the server plans it once per connection. The student
// table is joined only for scopes that need the student's program. The
// hot paths (an inline edit) use it; everything else uses Allows.
func AllowsSQL(p *Principal, resource, action, studentExpr, creatorExpr string, args []any) (string, []any) {
	t := Target{StudentID: studentExpr, CreatorColumn: creatorExpr}
	joined := needsStudentRow(p.Scopes(resource, action))
	if joined {
		t = Target{StudentAlias: "sx", CreatorColumn: creatorExpr}
	}
	scopes := scopeConditions(p, resource, action, t)
	if len(scopes) == 0 {
		return "false", args
	}
	var b strings.Builder
	if joined {
		fmt.Fprintf(&b, "EXISTS (SELECT 1 FROM student AS sx WHERE sx.id_student = %s AND ", studentExpr)
	}
	b.WriteByte('(')
	for i, c := range scopes {
		if i > 0 {
			b.WriteString(" OR ")
		}
		args = writeNumbered(&b, c, args)
	}
	b.WriteByte(')')
	if joined {
		b.WriteByte(')')
	}
	return b.String(), args
}

// writeNumbered writes c with each ? replaced by the next $n, appending
// its arguments to args.
func writeNumbered(b *strings.Builder, c condition, args []any) []any {
	b.WriteByte('(')
	parts := strings.Split(c.sql, "?")
	for i, part := range parts {
		b.WriteString(part)
		if i < len(parts)-1 {
			args = append(args, c.args[i])
			b.WriteString("$" + strconv.Itoa(len(args)))
		}
	}
	b.WriteByte(')')
	return args
}
