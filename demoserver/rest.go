package demoserver

import (
	"encoding/json"
	"net/http"
)

// invalidJSONText is what Odoo 15 says of a body it cannot parse as JSON.
const invalidJSONText = "Invalid JSON data: Expecting value: line 1 column 1 (char 0)"

// restError sends base_rest's JSON error body {"code": N, "name": "..."}.
func (c *call) restError(status int) {
	c.writeJSONBody(status, record{{"code", status}, {"name", http.StatusText(status)}})
}

// restSuccess sends a 200 answer of a REST route with base_rest's headers
// and, when the sid did not come by parameter or header, the cookie.
func (s *Server) restSuccess(c *call, body any) {
	h := c.w.Header()
	h.Set("Access-Control-Allow-Origin", "None")
	h.Set("Access-Control-Allow-Methods", "POST")
	if s.commit(c, true, true) {
		c.setSessionCookie()
	}
	c.writeJSONBody(http.StatusOK, body)
}

// restReachable answers 404 or 405 when a REST route cannot be reached:
// without a database (several visible and none bound to the session) the
// route does not exist, and it only declares POST.
func (s *Server) restReachable(c *call) bool {
	if c.db == "" {
		s.notFound(c)
		return false
	}
	if c.r.Method != http.MethodPost {
		c.htmlError(http.StatusMethodNotAllowed, methodText)
		return false
	}
	return true
}

// restParams reads the parameters of a REST request as base_rest does: the
// JSON body when the Content-Type is JSON, otherwise only the query string.
func (s *Server) restParams(c *call) (map[string]any, bool) {
	if c.mediaType() != "application/json" {
		params := map[string]any{}
		for k, v := range c.r.URL.Query() {
			params[k] = v[0]
		}
		return params, true
	}
	var v any
	if err := json.Unmarshal(c.body, &v); err != nil {
		c.htmlError(http.StatusBadRequest, invalidJSONText)
		return nil, false
	}
	params, ok := v.(map[string]any)
	if !ok {
		c.htmlError(http.StatusInternalServerError, internalText)
		return nil, false
	}
	return params, true
}

// restLogin is POST /session/auth/login of base_rest_auth_user_service:
// body {"db", "login", "password"}. It answers session_info plus
// "session": {"sid", "expires_at"}, and always replaces the sid it got.
func (s *Server) restLogin(c *call) {
	if !s.restReachable(c) {
		return
	}
	params, ok := s.restParams(c)
	if !ok {
		return
	}
	login, okLogin := params["login"].(string)
	password, okPassword := params["password"].(string)
	db, _ := params["db"].(string)
	if db == "" {
		db = c.db
	}
	d := s.dbs[db]
	if !okLogin || !okPassword || d == nil {
		c.restError(http.StatusInternalServerError)
		return
	}
	// NOTE: a two-factor user cannot complete a REST login, which has no
	// way to pass the code; it is refused like a wrong password.
	u := d.authenticate(login, password)
	if u == nil || u.TOTPSecret != "" {
		c.restError(http.StatusForbidden)
		return
	}
	s.login(c, db, u)
	s.restSuccess(c, s.sessionInfo(c, u, true))
}

// restLogout is POST /session/auth/logout: ends the session and rotates it
// to an anonymous one that keeps the database.
func (s *Server) restLogout(c *call) {
	if !s.restReachable(c) {
		return
	}
	if c.sess.uid == 0 {
		c.restError(http.StatusUnauthorized)
		return
	}
	s.logout(c, true)
	s.restSuccess(c, record{{"message", "Successful logout"}})
}
