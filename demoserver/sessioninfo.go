package demoserver

import (
	"crypto/sha1"
	"encoding/hex"
	"time"
)

// sessionInfo builds ir.http.session_info() of u as the profile's version
// shapes it. withREST adds the module's "session" object (sid, expires_at).
func (s *Server) sessionInfo(c *call, u *User, withREST bool) record {
	var r record
	switch c.p.major {
	case 15:
		r = s.sessionInfo15(c, u)
	case 16:
		r = s.sessionInfo16(c, u)
	default:
		r = s.sessionInfo17(c, u)
	}
	if withREST {
		r = append(r, field{"session", record{
			{"sid", c.sess.sid},
			{"expires_at", c.now.Add(RESTExpiry).Format(time.DateTime)},
		}})
	}
	return r
}

// infoHead is the opening of every version's session_info.
func infoHead(c *call, u *User) record {
	return record{{"uid", u.ID}, {"is_system", u.System}, {"is_admin", u.Admin}}
}

// userContext is session_info's user_context.
func userContext(u *User) record {
	return record{{"lang", "en_US"}, {"tz", false}, {"uid", u.ID}}
}

// infoServer is the server and user block shared by every version.
func infoServer(c *call, u *User) record {
	return record{
		{"server_version", c.p.serverVersion},
		{"server_version_info", []any{c.p.major, 0, 0, "final", 0, ""}},
		{"support_url", "https://www.odoo.com/buy"},
		{"name", u.displayName()}, {"username", u.Login},
	}
}

// infoClient is the web client block shared by every version.
func infoClient(c *call) record {
	return record{
		{"web.base.url", c.baseURL()}, {"active_ids_limit", 20000},
		{"profile_session", nil}, {"profile_collectors", nil}, {"profile_params", nil},
		{"max_file_upload_size", 134217728}, {"home_action_id", false},
	}
}

// hash is a stable stand-in for Odoo's asset and menu hashes.
func hash(parts ...string) string {
	h := sha1.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// companies is user_companies; detailed adds the Odoo 17 keys.
func companies(detailed bool) record {
	company := record{{"id", 1}, {"name", companyName}, {"sequence", 0}}
	if !detailed {
		return record{{"current_company", 1}, {"allowed_companies", record{{"1", company}}}}
	}
	company = append(company, field{"child_ids", []any{}}, field{"parent_id", false})
	return record{{"current_company", 1}, {"allowed_companies", record{{"1", company}}},
		{"disallowed_ancestor_companies", record{}}}
}

// sessionInfo15 is Odoo 15's session_info; portal users get the short form.
func (s *Server) sessionInfo15(c *call, u *User) record {
	r := append(infoHead(c, u), field{"user_context", userContext(u)}, field{"db", c.sess.db})
	r = append(r, infoServer(c, u)...)
	r = append(r, field{"partner_display_name", u.displayName()}, field{"company_id", 1},
		field{"partner_id", u.PartnerID})
	r = append(r, infoClient(c)...)
	hashes := record{{"translations", hash("translations", c.sess.db)}}
	if !u.Portal {
		hashes = append(hashes, field{"load_menus", hash("menus", u.Login)},
			field{"qweb", hash("qweb", c.sess.db)})
	}
	r = append(r, field{"cache_hashes", hashes}, field{"currencies", record{}})
	if !u.Portal {
		r = append(r, field{"user_companies", companies(false)}, field{"show_effect", true},
			field{"display_switch_company_menu", false})
	}
	r = append(r, field{"user_id", []any{u.ID}})
	if u.Admin {
		r = append(r, field{"web_tours", []any{}}, field{"tour_disable", false})
	}
	return r
}

// currencies is the currency table of Odoo 16 and later.
func currencies(symbol, position string) record {
	return record{{"1", record{{"symbol", symbol}, {"position", position},
		{"digits", []any{69, 2}}}}}
}

// sessionInfo16 is Odoo 16's session_info.
func (s *Server) sessionInfo16(c *call, u *User) record {
	r := append(infoHead(c, u), field{"user_context", userContext(u)}, field{"db", c.sess.db})
	r = append(r, infoServer(c, u)...)
	r = append(r, field{"partner_display_name", u.displayName()}, field{"company_id", 1},
		field{"partner_id", u.PartnerID})
	r = append(r, infoClient(c)...)
	return append(r,
		field{"cache_hashes", record{{"translations", hash("translations", c.sess.db)},
			{"load_menus", hash("menus", u.Login)}}},
		field{"currencies", currencies("€", "after")},
		field{"bundle_params", record{{"lang", "en_US"}}},
		field{"user_companies", companies(false)}, field{"show_effect", true},
		field{"display_switch_company_menu", false}, field{"user_id", []any{u.ID}})
}

// sessionInfo17 is the session_info of Odoo 17 and, with its additions, 18.
func (s *Server) sessionInfo17(c *call, u *User) record {
	v18 := c.p.major >= 18
	r := infoHead(c, u)
	if v18 {
		r = append(r, field{"is_public", false})
	}
	r = append(r, field{"is_internal_user", !u.Portal}, field{"user_context", userContext(u)},
		field{"db", c.sess.db}, field{"user_settings", record{{"id", u.ID}, {"user_id", record{{"id", u.ID}}}}})
	r = append(r, infoServer(c, u)...)
	if v18 {
		r = append(r, field{"partner_write_date", c.now.Format(time.DateTime)})
	}
	r = append(r, field{"partner_display_name", u.displayName()}, field{"partner_id", u.PartnerID})
	r = append(r, infoClient(c)...)
	r = append(r,
		field{"cache_hashes", record{{"translations", hash("translations", c.sess.db)},
			{"load_menus", hash("menus", u.Login)}}},
		field{"currencies", currencies("$", "before")},
		field{"bundle_params", record{{"lang", "en_US"}}})
	if v18 {
		r = append(r, field{"test_mode", false}, field{"view_info", viewInfo()})
	}
	r = append(r, field{"user_companies", companies(true)}, field{"show_effect", true},
		field{"display_switch_company_menu", false})
	if !v18 {
		return append(r, field{"user_id", []any{u.ID}})
	}
	return append(r, field{"websocket_worker_version", "18.0-5"}, field{"tour_enabled", false},
		field{"current_tour", nil})
}

// viewInfo is Odoo 18's view_info.
func viewInfo() record {
	view := func(name, icon string, multi bool) record {
		return record{{"display_name", name}, {"icon", icon}, {"multi_record", multi}}
	}
	return record{
		{"list", view("List", "oi oi-view-list", true)},
		{"form", view("Form", "fa fa-address-card", false)},
		{"graph", view("Graph", "fa fa-area-chart", true)},
		{"pivot", view("Pivot", "oi oi-view-pivot", true)},
		{"calendar", view("Calendar", "fa fa-calendar", true)},
		{"kanban", view("Kanban", "oi oi-view-kanban", true)},
		{"search", view("Search", "oi oi-search", true)},
	}
}
