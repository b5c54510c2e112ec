package odoo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The paths of the REST module and of the web client's session routes.
const (
	PathRESTLogin      = "/session/auth/login"
	PathRESTLogout     = "/session/auth/logout"
	PathAuthenticate   = "/web/session/authenticate"
	PathCheck          = "/web/session/check"
	PathSessionInfo    = "/web/session/get_session_info"
	PathDestroy        = "/web/session/destroy"
	PathWebLogin       = "/web/login"
	PathTOTP           = "/web/login/totp"
	pathXMLRPCCommon   = "/xmlrpc/2/common"
	pathXMLRPCDB       = "/xmlrpc/2/db"
	pathXMLRPCObject   = "/xmlrpc/2/object"
	pathDBSelector     = "/web/database/selector"
	moduleRESTAuthUser = "base_rest_auth_user_service"
)

// Login logs a user in with POST /session/auth/login of
// base_rest_auth_user_service and returns the new session id with its
// advisory expires_at.
//
// When the server hosts several databases it cannot route the call without a
// session bound to one (Odoo 15 answers 404 in JSON): Login then binds a
// fresh session to req.DB with GET /web/login?db=NAME and logs in again with
// that sid in the X-Openerp-Session-Id header, and says so in BoundDB and
// Notes. A 404 that persists means the module is missing on that database:
// the error wraps ErrRouteMissing.
//
// When the route does not exist at all (a plain 404 page: stock Odoo 16 and
// later), Login falls back to LoginWeb and says so in Notes.
//
// Two-factor users: when the password is right but a code is needed, Login
// completes the login with CompleteTOTP if req.TOTPCode is set. Otherwise it
// returns a result with TOTPRequired set and a nil error: SID is then the
// half-logged-in session, which no route accepts and which only
// CompleteTOTP can turn into a real one. Callers must test TOTPRequired
// before treating SID as a session. Login never returns both a result and
// an error.
func (c *Client) Login(ctx context.Context, req LoginRequest) (*LoginResult, error) {
	if err := c.checkLogin("login", req); err != nil {
		return nil, err
	}
	res, r, err := c.loginREST(ctx, req, "")
	switch {
	case is404JSON(r):
		res, err = c.loginBound(ctx, req)
	case is404HTML(r):
		res, err = c.loginWeb(ctx, "login", req)
		if err == nil {
			res.Notes = append([]string{fmt.Sprintf("%s answered 404 (no %s on this server): "+
				"logged in through %s instead, which gives no expires_at",
				PathRESTLogin, moduleRESTAuthUser, PathAuthenticate)}, res.Notes...)
		}
	}
	if err != nil {
		return nil, err
	}
	return c.finishTOTP(ctx, "login", req, res)
}

// LoginWeb logs a user in with the web client's JSON-RPC
// POST /web/session/authenticate, which works on every Odoo version and
// database mode. The sid comes only from the Set-Cookie header; there is no
// expires_at. When req.DB is empty and the server lists exactly one
// database, that one is used and a note says so. Two-factor users are
// handled as in Login.
func (c *Client) LoginWeb(ctx context.Context, req LoginRequest) (*LoginResult, error) {
	const op = "web login"
	if err := c.checkLogin(op, req); err != nil {
		return nil, err
	}
	res, err := c.loginWeb(ctx, op, req)
	if err != nil {
		return nil, err
	}
	return c.finishTOTP(ctx, op, req, res)
}

func (c *Client) checkLogin(op string, req LoginRequest) error {
	switch {
	case strings.TrimSpace(req.Login) == "":
		return c.fail(op, ErrInvalidInput, "no login given", nil)
	case req.Password == "":
		return c.fail(op, ErrInvalidInput, "no password given", nil)
	}
	return nil
}

// loginREST posts the credentials to the REST route, with boundSID in the
// header when a database had to be bound first. A 404 comes back as an
// error together with the reply, for Login to look at.
func (c *Client) loginREST(ctx context.Context, req LoginRequest, boundSID string) (
	*LoginResult, *reply, error,
) {
	body, err := json.Marshal(struct {
		DB       string `json:"db,omitempty"`
		Login    string `json:"login"`
		Password string `json:"password"`
	}{req.DB, req.Login, req.Password})
	if err != nil {
		return nil, nil, c.fail("login", ErrInvalidInput, "cannot encode the request", err)
	}
	k := call{op: "login", method: http.MethodPost, path: PathRESTLogin, body: body,
		contentType: "application/json", expect: expectRESTLogin}
	if boundSID != "" {
		k.sid, k.transport = boundSID, TransportHeader
	}
	r, err := c.do(ctx, k)
	if err != nil {
		return nil, nil, err
	}
	var rest *RPCError
	if r.isJSON() {
		rest = decodeJSONError(r)
	}
	switch {
	case r.status == http.StatusOK && r.isJSON() && rest == nil:
		res, err := c.decodeRESTLogin(k, r)
		return res, r, err
	case r.status == http.StatusInternalServerError && rest != nil && req.DB != "":
		// base_rest hides the cause of a 500; with well-formed credentials
		// the usual one is a database that does not exist.
		return nil, r, c.failCall(k, ErrUnknownDatabase, fmt.Sprintf(
			"%s answered 500: most likely there is no database %q (base_rest answers an unknown "+
				"database with a bare 500)", PathRESTLogin, Sanitize(req.DB, 60)), rest)
	}
	return nil, r, c.statusError(k, r)
}

// decodeRESTLogin reads the session_info of a REST login. An answer
// without a uid key or a session.sid is not one.
func (c *Client) decodeRESTLogin(k call, r *reply) (*LoginResult, error) {
	var probe any
	if err := json.Unmarshal(r.body, &probe); err != nil {
		return nil, c.failCall(k, ErrNotOdoo, PathRESTLogin+" answered 200 with malformed JSON",
			&DecodeError{Format: "JSON", Raw: r.body, Err: err})
	}
	info, raw, err := decodeSessionInfo(r.body)
	if err != nil || !hasKey(r.body, "uid") || raw.Session == nil || raw.Session.SID == "" {
		return nil, c.unexpectedJSON(k, r, describeJSON(r.body))
	}
	if checkSID(raw.Session.SID) != nil {
		return nil, c.failCall(k, ErrNotOdoo, PathRESTLogin+" answered 200 with a session.sid "+
			"that has a space, control, separator or non-ASCII character", nil)
	}
	res := &LoginResult{SID: raw.Session.SID, Method: MethodREST, Info: info, TOTPRequired: info.UID == 0}
	if raw.Session.ExpiresAt != "" {
		at, err := parseExpiresAt(raw.Session.ExpiresAt)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("expires_at %q is not in the expected "+
				"form %s: ignored", Sanitize(raw.Session.ExpiresAt, 40), expiresLayout))
		}
		res.ExpiresAt = at
	}
	return res, nil
}

// loginBound handles Odoo 15's no-database 404: bind a session to req.DB,
// then log in again through it.
func (c *Client) loginBound(ctx context.Context, req LoginRequest) (*LoginResult, error) {
	if req.DB == "" {
		return nil, c.needDatabase(ctx, "login")
	}
	sid, err := c.bindDatabase(ctx, "login", req.DB)
	if err != nil {
		return nil, err
	}
	res, r, err := c.loginREST(ctx, req, sid)
	if r != nil && r.status == http.StatusNotFound {
		return nil, c.fail("login", ErrRouteMissing, fmt.Sprintf(
			"server answered 404 on %s: is %s installed on database %q? (%s works without it)",
			PathRESTLogin, moduleRESTAuthUser, Sanitize(req.DB, 60), PathAuthenticate), nil)
	}
	if err != nil {
		return nil, err
	}
	res.BoundDB = req.DB
	res.Notes = append(res.Notes, fmt.Sprintf("the server hosts several databases: bound a session "+
		"to %q with GET %s?db=... before logging in", Sanitize(req.DB, 60), PathWebLogin))
	return res, nil
}

// bindDatabase asks the web client to bind a new anonymous session to db
// (GET /web/login?db=NAME, redirect not followed) and returns its sid. Its
// errors name operation op.
func (c *Client) bindDatabase(ctx context.Context, op, db string) (string, error) {
	k := call{op: op, method: http.MethodGet, path: PathWebLogin, query: url.Values{"db": {db}}}
	r, err := c.do(ctx, k)
	if err != nil {
		return "", err
	}
	if strings.Contains(r.header.Get("Location"), pathDBSelector) {
		return "", c.fail(op, ErrUnknownDatabase, fmt.Sprintf("the server does not serve a database %q "+
			"(it redirected to %s)", Sanitize(db, 60), pathDBSelector), nil)
	}
	sid := r.sessionCookie()
	if r.status >= 400 {
		return "", c.statusError(k, r)
	}
	if checkSID(sid) != nil {
		return "", c.fail(op, ErrNotOdoo, fmt.Sprintf("GET %s?db=... answered %d without a "+
			"session cookie, which Odoo sets to bind a session to a database", PathWebLogin,
			r.status), nil)
	}
	return sid, nil
}

// loginWeb posts the credentials to /web/session/authenticate; its errors
// name operation op.
func (c *Client) loginWeb(ctx context.Context, op string, req LoginRequest) (*LoginResult, error) {
	var notes []string
	if req.DB == "" {
		db, err := c.onlyDatabase(ctx, op)
		if err != nil {
			return nil, err
		}
		req.DB = db
		notes = append(notes, fmt.Sprintf("no database given: used %q, the only one the server lists",
			Sanitize(db, 60)))
	}
	params := map[string]string{"db": req.DB, "login": req.Login, "password": req.Password}
	k := call{op: op, path: PathAuthenticate}
	result, r, err := c.jsonRPC(ctx, k, params)
	if err != nil {
		return nil, err
	}
	info, err := c.sessionInfoResult(k, r, result)
	if err != nil {
		return nil, err
	}
	sid := r.sessionCookie()
	if checkSID(sid) != nil {
		return nil, c.fail(op, ErrNotOdoo, PathAuthenticate+" answered 200 but set no session_id "+
			"cookie (does a proxy strip Set-Cookie?)", nil)
	}
	return &LoginResult{SID: sid, Method: MethodWeb, Info: info, Notes: notes,
		TOTPRequired: info.UID == 0}, nil
}

// noteAdminBaseURL warns of a side effect of every administrator login.
const noteAdminBaseURL = "logged in as an administrator: Odoo rewrites the web.base.url " +
	"parameter to the address used here, unless web.base.url.freeze is set"

// finishTOTP completes a two-factor login when a code was given, and notes
// the side effect of an administrator login. Its errors name operation op.
func (c *Client) finishTOTP(ctx context.Context, op string, req LoginRequest, res *LoginResult) (
	*LoginResult, error,
) {
	if !res.TOTPRequired {
		if res.Info.IsAdmin {
			res.Notes = append(res.Notes, noteAdminBaseURL)
		}
		return res, nil
	}
	if req.TOTPCode == "" {
		return res, nil
	}
	done, err := c.completeTOTP(ctx, op, res.SID, req.TOTPCode)
	if err != nil {
		return nil, hideSID(err, res.SID)
	}
	done.BoundDB = res.BoundDB
	done.Notes = append(res.Notes, done.Notes...)
	if done.Info.IsAdmin {
		done.Notes = append(done.Notes, noteAdminBaseURL)
	}
	return done, nil
}

// onlyDatabase returns the server's database when it lists exactly one.
func (c *Client) onlyDatabase(ctx context.Context, op string) (string, error) {
	dbs, err := c.ListDatabases(ctx)
	if err == nil && len(dbs) == 1 {
		return dbs[0], nil
	}
	return "", c.needDatabaseError(op, dbs)
}

// needDatabase says that a database must be named, listing the server's
// databases when it agrees to list them.
func (c *Client) needDatabase(ctx context.Context, op string) error {
	dbs, _ := c.ListDatabases(ctx)
	return c.needDatabaseError(op, dbs)
}

func (c *Client) needDatabaseError(op string, dbs []string) error {
	detail := "the server cannot pick a database on its own: name one"
	if len(dbs) > 0 {
		detail += " (it lists " + Sanitize(strings.Join(dbs, ", "), maxErrorText) + ")"
	}
	return c.fail(op, ErrNeedDatabase, detail, nil)
}
