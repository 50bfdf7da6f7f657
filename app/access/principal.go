package access

import (
	"slices"
	"strings"
)

// Principal is the person a request acts for: who they are, where they
// work, and what their role grants. It is built once per request from the
// session and is read-only afterwards.
type Principal struct {
	UserID     int64
	Email      string
	Name       string
	DistrictID int64
	RoleName   string
	// ProgramIDs are the user's active programs, primary first.
	ProgramIDs []int64
	// CurrentProgramID is the program picked in the navigation; lists
	// narrow to it. Zero means every program.
	CurrentProgramID int64

	grants map[string][]string // "resource.action" -> scopes
}

// NewPrincipal returns a Principal granted each of grants, written as
// "resource.action.scope". Malformed grants are ignored.
func NewPrincipal(p Principal, grants []string) *Principal {
	p.grants = map[string][]string{}
	for _, g := range grants {
		i := strings.LastIndexByte(g, '.')
		if i <= 0 || i == len(g)-1 {
			continue
		}
		key, scope := g[:i], g[i+1:]
		if !slices.Contains(p.grants[key], scope) {
			p.grants[key] = append(p.grants[key], scope)
		}
	}
	return &p
}

// Scopes returns the scopes in which the principal may do action on
// resource; none means not at all.
func (p *Principal) Scopes(resource, action string) []string {
	if p == nil {
		return nil
	}
	return p.grants[resource+"."+action]
}

// Can reports whether the principal may do action on resource in at least
// one scope. It says nothing about any one record: that is Authorize's job.
func (p *Principal) Can(resource, action string) bool {
	return len(p.Scopes(resource, action)) > 0
}

// CanIn reports whether the principal holds the grant at scope exactly.
func (p *Principal) CanIn(resource, action, scope string) bool {
	return slices.Contains(p.Scopes(resource, action), scope)
}

// RoleLabel turns a role's name (district_admin) into the words shown to
// people (District admin).
func RoleLabel(name string) string {
	if name == "" {
		return ""
	}
	label := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(label[:1]) + label[1:]
}

// CanScope reports whether the principal may do action on resource for a
// record that belongs to a district, or to one program of it (programID
// zero means the whole district), such as a workbook. The all scope covers
// any district; the district scope the person's own; the program scope
// only records of one of the person's programs.
func (p *Principal) CanScope(resource, action string, districtID, programID int64) bool {
	for _, scope := range p.Scopes(resource, action) {
		switch scope {
		case ScopeAll:
			return true
		case ScopeDistrict:
			if districtID == p.DistrictID {
				return true
			}
		case ScopeProgram:
			if programID != 0 && districtID == p.DistrictID && slices.Contains(p.ProgramIDs, programID) {
				return true
			}
		}
	}
	return false
}
