// Package access decides what each person may see and do. Roles and their
// permissions are rows; this package reads them and turns a request into
// SQL conditions, so every check and every list filter follows the same
// rules.
package access

import (
	"time"

	"github.com/uptrace/bun"
)

// Scopes of a permission, narrowest first.
const (
	ScopeOwn      = "own"
	ScopePrimary  = "primary"
	ScopeAssigned = "assigned"
	ScopeProgram  = "program"
	ScopeDistrict = "district"
	ScopeAll      = "all"
)

// Permission is one grant: an action on a resource within a scope, such as
// reading the goals of assigned students.
type Permission struct {
	bun.BaseModel `bun:"table:permission,alias:perm"`

	ID          int64  `bun:"id_permission,pk,autoincrement"`
	Name        string `bun:"name,nullzero"`
	Description string `bun:"description,nullzero"`
	Resource    string `bun:"resource,nullzero"`
	Action      string `bun:"action,nullzero"`
	Scope       string `bun:"scope,nullzero"`
}

// Role bundles permissions; every user has one.
type Role struct {
	bun.BaseModel `bun:"table:role,alias:role"`

	ID          int64         `bun:"id_role,pk,autoincrement"`
	Name        string        `bun:"name,nullzero"`
	Description string        `bun:"description,nullzero"`
	CreatedAt   time.Time     `bun:"created_at,nullzero,default:now()"`
	Permissions []*Permission `bun:"m2m:role_permission,join:Role=Permission"`
}

// RolePermission links a role to one of its permissions.
type RolePermission struct {
	bun.BaseModel `bun:"table:role_permission,alias:rp"`

	ID           int64       `bun:"id_role_permission,pk,autoincrement"`
	RoleID       int64       `bun:"id_role,nullzero"`
	Role         *Role       `bun:"rel:belongs-to,join:id_role=id_role"`
	PermissionID int64       `bun:"id_permission,nullzero"`
	Permission   *Permission `bun:"rel:belongs-to,join:id_permission=id_permission"`
}
