package graph

import (
	"strings"
	"sync"
)

//go:generate go run ./internal/genroles -in ../../../shared/data/builtin-roles.json -out builtinroles_gen.go

// Well-known built-in role definition GUIDs.
const (
	RoleOwner                   = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	RoleContributor             = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	RoleReader                  = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	RoleUserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
)

// builtinRole is one entry of the generated table builtinRoles
// (builtinroles_gen.go): static data, nothing to decode at start-up.
type builtinRole struct {
	ID                      string
	Name                    string
	Actions                 []string
	NotActions              []string
	DataActions             []string
	NotDataActions          []string
	Privileged              bool
	CanWriteRoleAssignments bool
}

var (
	rolesOnce sync.Once
	rolesByID map[string]*builtinRole
	rolesByNm map[string]*builtinRole
)

func loadRoles() {
	rolesByID = make(map[string]*builtinRole, len(builtinRoles))
	rolesByNm = make(map[string]*builtinRole, len(builtinRoles))
	for i := range builtinRoles {
		r := &builtinRoles[i]
		rolesByID[r.ID] = r
		rolesByNm[strings.ToLower(r.Name)] = r
	}
}

// BuiltinRole returns the built-in role with the given definition GUID
// (case-insensitive).
func BuiltinRole(guid string) (Role, bool) {
	rolesOnce.Do(loadRoles)
	r, ok := rolesByID[strings.ToLower(guid)]
	if !ok {
		return Role{}, false
	}
	return r.role(), true
}

// BuiltinRoleByName returns the built-in role with the given name
// (case-insensitive).
func BuiltinRoleByName(name string) (Role, bool) {
	rolesOnce.Do(loadRoles)
	r, ok := rolesByNm[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Role{}, false
	}
	return r.role(), true
}

// BuiltinRoleCount returns the number of built-in roles in the table.
func BuiltinRoleCount() int {
	rolesOnce.Do(loadRoles)
	return len(rolesByID)
}

func (r *builtinRole) role() Role {
	return Role{
		ID:                      r.ID,
		Name:                    r.Name,
		Builtin:                 true,
		Privileged:              r.Privileged,
		CanWriteRoleAssignments: r.CanWriteRoleAssignments,
		ReadOnly:                readOnly(r.Actions, r.DataActions),
		Actions:                 r.Actions,
		DataActions:             r.DataActions,
	}
}

// readOnly reports whether a role grants only read actions: every action
// ends in "/read" and there are no data actions.
func readOnly(actions, dataActions []string) bool {
	if len(dataActions) > 0 {
		return false
	}
	for _, a := range actions {
		if !strings.HasSuffix(strings.ToLower(a), "/read") {
			return false
		}
	}
	return true
}
