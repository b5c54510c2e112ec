package demoserver

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// rpcError is the error object of a JSON-RPC answer.
type rpcError struct {
	code       int    // 100 session expired, 200 server error, 404 no route
	message    string // "Odoo Session Expired", "Odoo Server Error", ...
	name       string // the Python exception, data.name
	text       string // data.message
	httpStatus int    // HTTP status, 200 unless set
}

// errSessionExpired is Odoo's answer to an auth="user" route without a
// logged-in session.
func errSessionExpired() *rpcError {
	return &rpcError{code: 100, message: "Odoo Session Expired",
		name: "odoo.http.SessionExpiredException", text: "Session expired"}
}

// errNotFound is Odoo 15's JSON answer for a route that does not exist.
func errNotFound() *rpcError {
	return &rpcError{code: 404, message: "404: Not Found", name: "werkzeug.exceptions.NotFound",
		text: "404 Not Found: " + notFoundText, httpStatus: http.StatusNotFound}
}

// errServer is a code 200 "Odoo Server Error" for an Odoo exception.
func errServer(e *odooError) *rpcError {
	return &rpcError{code: 200, message: "Odoo Server Error", name: e.exception(), text: e.msg}
}

// body returns the JSON form of the error.
func (e *rpcError) body() record {
	args := []any{e.text}
	if e.code == 404 {
		args = []any{}
	}
	data := record{
		{"name", e.name},
		{"debug", traceback(e.name, e.text)},
		{"message", e.text},
		{"arguments", args},
		{"context", record{}},
	}
	r := record{{"code", e.code}, {"message", e.message}, {"data", data}}
	if e.httpStatus != 0 {
		r = append(r, field{"http_status", e.httpStatus})
	}
	return r
}

// traceback is the stand-in for the Python traceback Odoo puts in errors.
func traceback(exc, text string) string {
	return fmt.Sprintf("Traceback (most recent call last):\n  File \"odoo/http.py\", "+
		"in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n%s: %s\n",
		exc, text)
}

// writeRPC sends a JSON-RPC answer: the result, or the error. A nil result
// is left out, as Odoo does. saves tells whether the route saves the
// session, which decides the cookie on Odoo 16 and later.
func (s *Server) writeRPC(c *call, id, result any, e *rpcError, saves bool) {
	status := http.StatusOK
	if e != nil && e.httpStatus != 0 {
		status = e.httpStatus
	}
	if s.commit(c, e == nil, saves) {
		c.setSessionCookie()
	}
	if e == nil {
		c.setNosniff()
	}
	body := record{{"jsonrpc", "2.0"}, {"id", id}}
	switch {
	case e != nil:
		body = append(body, field{"error", e.body()})
	case result != nil:
		body = append(body, field{"result", result})
	}
	c.writeJSONBody(status, body)
}

// jsonHandler is one JSON-RPC route.
type jsonHandler struct {
	user  bool // auth="user": needs a logged-in session
	saves bool // the route saves the session (not /jsonrpc)
	fn    func(s *Server, c *call, params map[string]any) (any, *rpcError)
}

// jsonRoutes lists the JSON-RPC routes by path.
func (s *Server) jsonRoutes() map[string]jsonHandler {
	return map[string]jsonHandler{
		"/web/session/authenticate":     {saves: true, fn: (*Server).authenticate},
		"/web/session/get_session_info": {user: true, saves: true, fn: (*Server).getSessionInfo},
		"/web/session/check":            {user: true, saves: true, fn: (*Server).check},
		"/web/session/destroy":          {user: true, saves: true, fn: (*Server).destroy},
		"/web/database/list":            {saves: true, fn: (*Server).databaseList},
		"/web/webclient/version_info":   {saves: true, fn: (*Server).versionInfo},
		"/web/dataset/call_kw":          {user: true, saves: true, fn: (*Server).callKW},
		"/jsonrpc":                      {fn: (*Server).jsonRPC},
	}
}

// jsonRoute decodes a JSON-RPC request and answers it with h.
func (s *Server) jsonRoute(c *call, h jsonHandler) {
	if c.r.Method != http.MethodPost {
		c.htmlError(http.StatusMethodNotAllowed, methodText)
		return
	}
	var req struct {
		ID     any            `json:"id"`
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		c.htmlError(http.StatusBadRequest, "Invalid JSON data: "+err.Error())
		return
	}
	if req.Params == nil {
		req.Params = map[string]any{}
	}
	if h.user && c.sess.uid == 0 {
		s.writeRPC(c, req.ID, nil, errSessionExpired(), h.saves)
		return
	}
	result, e := h.fn(s, c, req.Params)
	s.writeRPC(c, req.ID, result, e, h.saves)
}

// str returns a string parameter, "" when missing or of another type.
func str(params map[string]any, key string) string {
	v, _ := params[key].(string)
	return v
}
