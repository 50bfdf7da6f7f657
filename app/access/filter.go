package access

import (
	"github.com/uptrace/bun"
)

// Target says which rows a filter applies to: the alias of the student
// table in the query, and, for records with an author (entries, notes),
// the column holding the author's id, which the own scope compares.
type Target struct {
	StudentAlias  string
	CreatorColumn string
}

// Students is the Target of queries on the student table aliased st.
var Students = Target{StudentAlias: "st"}

// Filter narrows q to the rows on which p may do action on resource. q
// must join the student table under t.StudentAlias. A principal with no
// grant for it sees nothing. Write actions also exclude students the user
// is assigned to as a viewer only.
func Filter(q *bun.SelectQuery, p *Principal, resource, action string, t Target) *bun.SelectQuery {
	scopes := p.Scopes(resource, action)
	if len(scopes) == 0 {
		return q.Where("false")
	}

	// A scope can add nothing (the program scope of a user in no program),
	// and an empty group would match every row, so count what was added.
	added := 0
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, scope := range scopes {
			var ok bool
			if q, ok = orScope(q, p, scope, t); ok {
				added++
			}
		}
		return q
	})
	if added == 0 {
		return q.Where("false")
	}
	if action != "read" {
		q = q.Where(`NOT EXISTS (SELECT 1 FROM user_student AS us_view
			WHERE us_view.id_student = ?.id_student AND us_view.id_user = ?
			AND us_view.access_level = 'viewer')`, bun.Ident(t.StudentAlias), p.UserID)
	}
	return q
}

// orScope adds the condition of one scope as an alternative, and reports
// whether it added one.
func orScope(q *bun.SelectQuery, p *Principal, scope string, t Target) (*bun.SelectQuery, bool) {
	st := bun.Ident(t.StudentAlias)
	switch scope {
	case ScopeAll:
		return q.WhereOr("true"), true
	case ScopeDistrict:
		return q.WhereOr(`EXISTS (SELECT 1 FROM program AS p_scope
			WHERE p_scope.id_program = ?.id_program AND p_scope.id_school_district = ?)`,
			st, p.DistrictID), true
	case ScopeProgram:
		if len(p.ProgramIDs) == 0 {
			return q, false
		}
		return q.WhereOr("?.id_program IN (?)", st, bun.List(p.ProgramIDs)), true
	case ScopeAssigned:
		return q.WhereOr(`EXISTS (SELECT 1 FROM user_student AS us_scope
			WHERE us_scope.id_student = ?.id_student AND us_scope.id_user = ?)`, st, p.UserID), true
	case ScopePrimary:
		return q.WhereOr(`EXISTS (SELECT 1 FROM user_student AS us_scope
			WHERE us_scope.id_student = ?.id_student AND us_scope.id_user = ?
			AND us_scope.is_primary)`, st, p.UserID), true
	case ScopeOwn:
		if t.CreatorColumn == "" {
			return q, false
		}
		return q.WhereOr("? = ?", bun.Safe(t.CreatorColumn), p.UserID), true
	}
	return q, false
}
