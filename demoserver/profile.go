package demoserver

import (
	"fmt"
	"time"
)

// Session lifetimes.
const (
	// RESTExpiry is how far ahead base_rest_auth_user_service sets
	// session.expires_at, and the Max-Age of Odoo 15's session cookie.
	RESTExpiry = 90 * 24 * time.Hour
	// IdleLimit is how long a session survives without being saved.
	IdleLimit = 7 * 24 * time.Hour
)

// profile holds what differs between the Odoo versions the server imitates.
type profile struct {
	major         int
	serverVersion string
	rest          bool // base_rest_auth_user_service installed
	readParam     bool // ?session_id= accepted
	readHeader    bool // X-Openerp-Session-Id accepted
	longSID       bool // 84-character base64url sids (Odoo 18)
	cookieMaxAge  time.Duration
	cookieExpires time.Duration // Expires attribute, relative to now
	clearCIDs     bool          // logout also clears the cids cookie
	homePath      string        // where logout and two-factor login redirect
	jsonType      string
	nosniff       bool
	werkzeug1     bool // Werkzeug 1.0 error pages and cookie dates
}

// profileFor returns the profile of a major version.
func profileFor(version int) (profile, error) {
	p := profile{
		major:         version,
		readParam:     true,
		readHeader:    true,
		cookieMaxAge:  IdleLimit,
		cookieExpires: 365 * 24 * time.Hour,
		clearCIDs:     true,
		homePath:      "/web",
		jsonType:      "application/json; charset=utf-8",
		nosniff:       true,
	}
	switch version {
	case 15:
		p.serverVersion = "15.0-20220805"
		p.rest, p.werkzeug1 = true, true
		p.cookieMaxAge, p.cookieExpires = RESTExpiry, RESTExpiry
		p.clearCIDs, p.nosniff = false, false
		p.jsonType = "application/json"
	case 16:
		p.serverVersion = "16.0-20230301"
		p.readParam, p.readHeader = false, false
		p.cookieExpires = IdleLimit
		p.clearCIDs, p.nosniff = false, false
	case 17:
		p.serverVersion = "17.0+e-20231108"
	case 18:
		p.serverVersion = "18.0-20250702"
		p.readParam, p.readHeader = false, false
		p.longSID = true
		p.homePath = "/odoo"
	default:
		return profile{}, fmt.Errorf("unsupported Odoo version %d (want 15 to 18)", version)
	}
	return p, nil
}

// versionInfo is the answer of version() and /web/webclient/version_info.
func (p profile) versionInfo() record {
	return record{
		{"server_version", p.serverVersion},
		{"server_version_info", []any{p.major, 0, 0, "final", 0, ""}},
		{"server_serie", fmt.Sprintf("%d.0", p.major)},
		{"protocol_version", 1},
	}
}

// module is one ir.module.module record.
type module struct {
	id      int
	name    string
	state   string
	version string // latest and installed version; empty when uninstalled
}

// modules lists the addons a profile knows, in name order.
func (p profile) modules() []module {
	if p.rest {
		return []module{
			{384, "base", "installed", "15.0.1.3"},
			{385, "base_rest", "installed", "15.0.1.2.2"},
			{180, "base_rest_auth_user_service", "installed", "15.0.1.0.1"},
			{176, "component", "installed", "15.0.1.1.0"},
			{90, "web", "installed", "15.0.1.0"},
		}
	}
	v := fmt.Sprintf("%d.0.1.0", p.major)
	return []module{
		{403, "auth_signup", "uninstalled", ""},
		{177, "auth_totp", "installed", v},
		{1, "base", "installed", fmt.Sprintf("%d.0.1.3", p.major)},
		{90, "web", "installed", v},
	}
}
