package demoserver

import (
	"net/http"
	"net/url"
)

// authenticate is /web/session/authenticate: params db, login, password.
// The sid of a successful login is only in the Set-Cookie header.
func (s *Server) authenticate(c *call, params map[string]any) (any, *rpcError) {
	db := str(params, "db")
	if db == "" {
		db = c.db
	}
	d := s.dbs[db]
	// Odoo 16 and later refuse a database the filter hides; Odoo 15's
	// authenticate does not look at the filter.
	if d == nil || (c.p.major > 15 && !s.visible(db)) {
		return nil, errServer(accessError("Database not found."))
	}
	u := d.authenticate(str(params, "login"), str(params, "password"))
	if u == nil {
		return nil, errServer(accessDenied())
	}
	if u.TOTPSecret != "" {
		s.halfLogin(c, db, u)
		return record{{"uid", nil}}, nil
	}
	s.login(c, db, u)
	return s.sessionInfo(c, u, false), nil
}

// halfLogin replaces the call's session by one waiting for the two-factor
// code of u; no route accepts it as logged in.
func (s *Server) halfLogin(c *call, db string, u *User) {
	delete(s.sessions, c.sess.sid)
	c.sess = &session{sid: s.p.newSID(), db: db, preUID: u.ID}
	c.isNew, c.dirty = false, true
	s.storeSession(c.sess, c.now)
}

// getSessionInfo is /web/session/get_session_info. It saves the session,
// which restarts its idle clock.
func (s *Server) getSessionInfo(c *call, _ map[string]any) (any, *rpcError) {
	u := s.sessionUser(c)
	if u == nil {
		return nil, errSessionExpired()
	}
	s.storeSession(c.sess, c.now)
	c.dirty = true
	return s.sessionInfo(c, u, false), nil
}

// sessionUser returns the user of the call's logged-in session.
func (s *Server) sessionUser(c *call) *User {
	if d := s.dbs[c.sess.db]; d != nil && c.sess.uid != 0 {
		return d.userByID(c.sess.uid)
	}
	return nil
}

// check is /web/session/check: no result when logged in. It does not save
// the session.
func (s *Server) check(_ *call, _ map[string]any) (any, *rpcError) {
	return nil, nil
}

// destroy is /web/session/destroy: logs the session out and rotates it.
func (s *Server) destroy(c *call, _ map[string]any) (any, *rpcError) {
	c.clearCIDs()
	s.logout(c, true)
	return nil, nil
}

// databaseList is /web/database/list: the databases passing the filter.
func (s *Server) databaseList(_ *call, _ map[string]any) (any, *rpcError) {
	if !s.listDB {
		return nil, errServer(accessDenied())
	}
	return stringsToAny(s.visibleDBs()), nil
}

// versionInfo is /web/webclient/version_info.
func (s *Server) versionInfo(c *call, _ map[string]any) (any, *rpcError) {
	return c.p.versionInfo(), nil
}

// jsonRPC is /jsonrpc: the XML-RPC services over JSON-RPC.
func (s *Server) jsonRPC(_ *call, params map[string]any) (any, *rpcError) {
	args, _ := params["args"].([]any)
	res, e := s.dispatchRPC(str(params, "service"), str(params, "method"), args)
	if e != nil {
		return nil, errServer(e)
	}
	return res, nil
}

// webLogin is GET /web/login. With ?db=NAME of a visible database it binds
// the session to that database and redirects to the same URL (302), which
// is how a client makes Odoo 15's database routes reachable on a server
// with several databases.
func (s *Server) webLogin(c *call) {
	db := c.r.URL.Query().Get("db")
	if db != "" && s.visible(db) && db != c.sess.db {
		if c.sess.uid != 0 {
			s.logout(c, false)
		}
		c.sess.db = db
		s.storeSession(c.sess, c.now)
		c.isNew, c.dirty = false, true
		if s.commit(c, true, true) {
			c.setSessionCookie()
		}
		c.redirect(http.StatusFound, c.baseURL()+c.r.URL.RequestURI())
		return
	}
	if c.sess.db == "" {
		c.redirect(http.StatusSeeOther, "/web/database/selector")
		return
	}
	if s.commit(c, true, true) {
		c.setSessionCookie()
	}
	c.write(http.StatusOK, htmlType, page("Odoo", loginForm(c.sess.db)))
}

// loginForm is the body of the password login page.
func loginForm(db string) string {
	return `        <form class="oe_login_form" method="POST" action="/web/login">` +
		`<input type="hidden" name="db" value="` + url.QueryEscape(db) + `"/>` +
		`<input name="login"/><input name="password" type="password"/></form>`
}

// webLogout is GET /web/session/logout: logs out, keeps the database and
// redirects (303) to the web client.
func (s *Server) webLogout(c *call) {
	c.clearCIDs()
	s.logout(c, true)
	if s.commit(c, true, true) {
		c.setSessionCookie()
	}
	c.setNosniff()
	c.redirect(http.StatusSeeOther, c.p.homePath)
}

// stringsToAny converts for JSON and XML-RPC encoding.
func stringsToAny(in []string) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}
