package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/problem"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// readOnlyGrid explains why a district-scope administrator sees the grid
// without being able to change it.
const readOnlyGrid = "Roles are shared by every district of this installation, so a change here would " +
	"reach the other districts too. Only an installation-wide administrator may change them."

// showRoles is the permission grid with the form to add a role.
func (s *Server) showRoles(c *fiber.Ctx) error {
	v, err := s.rolesView(c, settings.RoleForm{}, nil)
	if err != nil {
		return err
	}
	return s.render(c, settings.RolesPage(s.page(c, "Roles", "admin"), sectionsFor(principal(c)), v))
}

// cellNote is a refused change to show in its cell.
type cellNote struct {
	grant access.Grant
	msg   string
}

// rolesView builds the grid; note, when set, puts a refused change's cell
// back in its stored state with the message.
func (s *Server) rolesView(c *fiber.Ctx, form settings.RoleForm, note *cellNote) (settings.RolesView, error) {
	roles := access.NewRoles(s.db)
	grid, err := roles.Grid(c.UserContext())
	if err != nil {
		return settings.RolesView{}, err
	}
	acc, err := roles.Access(c.UserContext(), principal(c))
	if err != nil {
		return settings.RolesView{}, err
	}
	var v settings.RolesView
	if acc == access.GridReadOnly {
		v.ReadOnly = readOnlyGrid
	}
	token := s.csrfToken(c)
	for _, r := range grid.Roles {
		v.Roles = append(v.Roles, settings.RoleColumn{ID: r.ID, Label: access.RoleLabel(r.Name),
			Description: r.Description})
		form.Options = append(form.Options, components.Option{Value: itoa(r.ID), Label: access.RoleLabel(r.Name)})
	}
	for _, p := range grid.Permissions {
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Resource != p.Resource {
			v.Groups = append(v.Groups, settings.PermissionGroup{Resource: p.Resource})
		}
		row := settings.PermissionRow{Name: p.Name, Description: p.Description, Scope: p.Scope}
		for _, r := range grid.Roles {
			row.Cells = append(row.Cells, gridCell(grid, acc, r, p, token, note))
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Rows = append(g.Rows, row)
	}
	v.Form = roleForm(form, token)
	return v, nil
}

func gridCell(grid *access.Grid, acc access.GridAccess, r *access.Role, p *access.Permission,
	token string, note *cellNote) settings.GridCell {
	granted := grid.Granted(r.ID, p.ID)
	cell := settings.GridCell{RoleID: r.ID, PermissionID: p.ID, RoleLabel: access.RoleLabel(r.Name),
		PermissionName: p.Name, Granted: granted, CSRFToken: token,
		Disabled: !acc.MayChange(p, !granted)}
	if note != nil && note.grant.RoleID == r.ID && note.grant.PermissionID == p.ID {
		cell.Error = note.msg
	}
	return cell
}

func roleForm(f settings.RoleForm, token string) settings.RoleForm {
	f.CSRFToken = token
	f.Name.ID, f.Name.Name, f.Name.Label, f.Name.MaxLength, f.Name.Required =
		"role-name", "name", "Name", 100, true
	f.Name.Hint = "Lower-case letters, digits and underscores, such as lead_teacher."
	f.Description.ID, f.Description.Name, f.Description.Label, f.Description.MaxLength =
		"role-description", "description", "Description", 2000
	return f
}

// setRoleGrant gives or takes one permission of one role and answers the
// cell. A change that would leave a district without an administrator
// answers 422 with the cell in its old state and the reason.
func (s *Server) setRoleGrant(c *fiber.Ctx) error {
	g, err := parseGrant(c)
	if err != nil {
		return err
	}
	roles := access.NewRoles(s.db)
	err = roles.SetGrant(c.UserContext(), principal(c), actor(c), g)
	inv, isInvalid := problem.AsInvalid(err)
	if err != nil && !isInvalid {
		return err
	}

	var note *cellNote
	status := fiber.StatusOK
	if isInvalid {
		note, status = &cellNote{grant: g, msg: inv.Form}, fiber.StatusUnprocessableEntity
	}
	if !isHTMX(c) && !isInvalid {
		s.setFlash(c, "success", "Saved.")
		return c.Redirect("/admin/roles", fiber.StatusSeeOther)
	}
	v, err := s.rolesView(c, settings.RoleForm{}, note)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		v.Error = inv.Form
		return s.renderStatus(c, status, settings.RolesPage(s.page(c, "Roles", "admin"), sectionsFor(principal(c)), v))
	}
	for _, grp := range v.Groups {
		for _, row := range grp.Rows {
			for _, cell := range row.Cells {
				if cell.RoleID == g.RoleID && cell.PermissionID == g.PermissionID {
					return s.renderStatus(c, status, settings.GrantCell(cell))
				}
			}
		}
	}
	return fiber.ErrNotFound
}

// parseGrant reads the cell's form: role and permission ids, and granted
// when the box is ticked.
func parseGrant(c *fiber.Ctx) (access.Grant, error) {
	role, rerr := strconv.ParseInt(c.FormValue("role"), 10, 64)
	perm, perr := strconv.ParseInt(c.FormValue("permission"), 10, 64)
	if rerr != nil || perr != nil || role <= 0 || perm <= 0 {
		return access.Grant{}, fiber.ErrNotFound
	}
	return access.Grant{RoleID: role, PermissionID: perm, Granted: c.FormValue("granted") == "true"}, nil
}

// createRole adds a role as a copy of another's grants. htmx takes the
// whole page from the answer, since the grid gains a column.
func (s *Server) createRole(c *fiber.Ctx) error {
	copyFrom := formText(c, "copy_from")
	from, _ := strconv.ParseInt(copyFrom, 10, 64)
	in := access.NewRole{Name: formText(c, "name"), Description: formText(c, "description"), CopyFrom: from}
	role, err := access.NewRoles(s.db).CreateRole(c.UserContext(), principal(c), actor(c), in)

	var form settings.RoleForm
	status := fiber.StatusOK
	if inv, ok := problem.AsInvalid(err); ok {
		form.Name.Value, form.Name.Error = in.Name, inv.Fields["name"]
		form.Description.Value, form.Description.Error = in.Description, inv.Fields["description"]
		form.CopyFrom, form.CopyError = copyFrom, inv.Fields["copy_from"]
		status = fiber.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	if status == fiber.StatusOK && !isHTMX(c) {
		s.setFlash(c, "success", "Role "+role.Name+" added.")
		return c.Redirect("/admin/roles", fiber.StatusSeeOther)
	}
	v, err := s.rolesView(c, form, nil)
	if err != nil {
		return err
	}
	return s.renderStatus(c, status, settings.RolesPage(s.page(c, "Roles", "admin"), sectionsFor(principal(c)), v))
}
