package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"goaltracker/app/access"
	"goaltracker/app/audit"
	"goaltracker/app/district"
	"goaltracker/views/admin/settings"
	"goaltracker/views/components"
)

// actor is the signed-in person as the audit log names them.
func actor(c *fiber.Ctx) audit.Actor {
	p := principal(c)
	return audit.Actor{UserID: p.UserID, Email: p.Email, IP: c.IP()}
}

// pickDistrict chooses the district a page of resource's administration
// shows: for someone holding the grant in the all scope, the one named by
// the district query or form value (their own by default) together with
// a picker of every district; for everyone else their own district and no
// picker. An unknown district answers 404.
func (s *Server) pickDistrict(c *fiber.Ctx, resource, action, page string) (*district.District,
	settings.Picker, error) {
	who := principal(c)
	picker := settings.Picker{Action: page, Selected: askedDistrict(c, resource, action)}
	names, err := district.NewService(s.db).Names(c.UserContext())
	if err != nil {
		return nil, picker, err
	}
	if who.CanIn(resource, action, access.ScopeAll) {
		for _, d := range names {
			picker.Options = append(picker.Options, components.Option{Value: itoa(d.ID), Label: d.Name})
		}
	}
	for _, d := range names {
		if d.ID == picker.Selected {
			return d, picker, nil
		}
	}
	return nil, picker, fiber.ErrNotFound
}

// askedDistrict is the district an administration page is about: for
// someone holding resource.action in the all scope, the one named by the
// district query or form value when there is one; otherwise, and for
// everyone else, the person's own.
func askedDistrict(c *fiber.Ctx, resource, action string) int64 {
	who := principal(c)
	if who.CanIn(resource, action, access.ScopeAll) {
		if id, err := strconv.ParseInt(c.Query("district", c.FormValue("district")), 10, 64); err == nil && id > 0 {
			return id
		}
	}
	return who.DistrictID
}
