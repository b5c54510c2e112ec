package odoo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Check tells whether the server treats sid, sent by transport t alone, as
// logged in: POST /web/session/check with an empty JSON-RPC call. A
// logged-in sid gets 200 {"jsonrpc": "2.0", "id": null}; an unknown,
// logged-out or garbage sid gets JSON-RPC error 100, reported as Accepted
// false with Err nil. A transport the server ignores looks exactly like an
// unknown sid. Err is set only when the check could not be made or the
// answer was not Odoo's (an answer without "jsonrpc": "2.0" is not). The
// check does not save the session, so it does not extend its life.
func (c *Client) Check(ctx context.Context, sid string, t Transport) CheckResult {
	res := c.check(ctx, "check", sid, t)
	res.Err = hideSID(res.Err, sid)
	return res
}

// check is Check on behalf of operation op, which its errors name.
func (c *Client) check(ctx context.Context, op, sid string, t Transport) CheckResult {
	res := CheckResult{Transport: t, At: c.now()}
	if err := c.checkSession(op, sid, t); err != nil {
		res.Err = err
		return res
	}
	_, r, err := c.jsonRPC(ctx, call{op: op, path: PathCheck, sid: sid, transport: t}, nil)
	res.Latency = c.now().Sub(res.At)
	if r != nil {
		res.Status = r.status
		res.Saved = err == nil && r.savedSession(sid)
	}
	var rpcErr *RPCError
	switch {
	case err == nil:
		res.Accepted = true
	case errors.As(err, &rpcErr) && rpcErr.Code == 100:
		// Not logged in, or not by this transport: an answer, not a failure.
	default:
		res.Err = err
	}
	return res
}

// SessionInfo returns the details of the user logged in with sid, sent by
// transport t: POST /web/session/get_session_info. Unlike Check, this call
// saves the session on the server, which resets its idle timer: it extends
// the life of the session it looks at. A sid that is not logged in (or not
// by this transport) gives an error wrapping ErrSessionExpired; a result
// that is not a session_info (no uid key) one wrapping ErrNotOdoo.
func (c *Client) SessionInfo(ctx context.Context, sid string, t Transport) (SessionInfo, error) {
	info, err := c.sessionInfo(ctx, "session info", sid, t)
	return info, hideSID(err, sid)
}

// sessionInfo is SessionInfo on behalf of operation op.
func (c *Client) sessionInfo(ctx context.Context, op, sid string, t Transport) (
	SessionInfo, error,
) {
	if err := c.checkSession(op, sid, t); err != nil {
		return SessionInfo{}, err
	}
	k := call{op: op, path: PathSessionInfo, sid: sid, transport: t}
	result, r, err := c.jsonRPC(ctx, k, nil)
	if err != nil {
		return SessionInfo{}, err
	}
	info, err := c.sessionInfoResult(k, r, result)
	if err != nil {
		return SessionInfo{}, err
	}
	if info.UID == 0 {
		return SessionInfo{}, c.failCall(k, ErrSessionExpired, PathSessionInfo+" describes no user", nil)
	}
	return info, nil
}

// Logout ends the session sid, sent by transport t alone, with
// POST /session/auth/logout of base_rest_auth_user_service. 200 with
// {"message": "Successful logout"} means done; any other 200 is not Odoo's
// answer (ErrNotOdoo). The anonymous sid a cookie logout sets in reply is
// never adopted.
//
// When the server does not take the sid by t (base_rest's 401, or the 404
// handled below) and t is not the cookie, Logout checks the sid by cookie
// with /web/session/check, which does not extend the session. If the cookie
// shows it logged in, the server does not read t (stock Odoo 16 and 18 read
// only the cookie, a proxy may drop the header): the error wraps
// ErrTransportIgnored and nothing is ended. Only a sid that no transport
// shows logged in gives ErrSessionExpired.
//
// When /session/auth/logout answers 404, Logout first checks the sid with
// /web/session/check by t. On Odoo 15 with several databases a dead sid
// gets exactly this 404 (its session names no database). If the sid is
// accepted, the module is missing: Logout ends the session with the web
// client's JSON-RPC /web/session/destroy, checks again that it is gone, and
// reports that endpoint in LogoutResult.Endpoint.
func (c *Client) Logout(ctx context.Context, sid string, t Transport) (LogoutResult, error) {
	res, err := c.logout(ctx, sid, t)
	return res, hideSID(err, sid)
}

func (c *Client) logout(ctx context.Context, sid string, t Transport) (LogoutResult, error) {
	const op = "logout"
	if err := c.checkSession(op, sid, t); err != nil {
		return LogoutResult{}, err
	}
	k := call{op: op, method: http.MethodPost, path: PathRESTLogout, body: []byte("{}"),
		contentType: "application/json", sid: sid, transport: t, expect: expectRESTLogout}
	r, err := c.do(ctx, k)
	if err != nil {
		return LogoutResult{}, err
	}
	var refused *RPCError
	if r.isJSON() {
		refused = decodeJSONError(r)
	}
	switch {
	case r.status == http.StatusOK && r.isJSON() && refused == nil:
		var body struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(r.body, &body) != nil || body.Message == "" {
			return LogoutResult{}, c.unexpectedJSON(k, r, describeJSON(r.body))
		}
		return LogoutResult{Endpoint: PathRESTLogout, Status: r.status,
			Message: Sanitize(body.Message, maxErrorText)}, nil
	case r.status == http.StatusUnauthorized && refused != nil:
		return LogoutResult{}, c.notLoggedIn(ctx, sid, t, refusal{
			answer: PathRESTLogout + " answered 401", cause: refused})
	case r.status == http.StatusNotFound:
		return c.logoutFallback(ctx, sid, t, is404JSON(r))
	}
	return LogoutResult{}, c.statusError(k, r)
}

// logoutFallback handles a 404 on /session/auth/logout.
func (c *Client) logoutFallback(ctx context.Context, sid string, t Transport, jsonStyle bool) (
	LogoutResult, error,
) {
	const op = "logout"
	before := c.check(ctx, op, sid, t)
	if before.Err != nil {
		return LogoutResult{}, before.Err
	}
	if !before.Accepted {
		why := refusal{answer: PathRESTLogout + " answered 404", checked: true}
		if jsonStyle {
			why.answer += " in JSON"
			why.gone = "on a server with several databases this is what a logged-out or " +
				"unknown session id gets (its session names no database)"
		}
		return LogoutResult{}, c.notLoggedIn(ctx, sid, t, why)
	}
	k := call{op: op, path: PathDestroy, sid: sid, transport: t}
	_, r, err := c.jsonRPC(ctx, k, nil)
	if err != nil {
		return LogoutResult{}, err
	}
	after := c.check(ctx, op, sid, t)
	if after.Err == nil && after.Accepted {
		return LogoutResult{}, c.failCall(k, ErrServer, PathDestroy+" answered 200 but the "+
			"session is still logged in", nil)
	}
	return LogoutResult{Endpoint: PathDestroy, Status: r.status, Notes: []string{fmt.Sprintf(
		"%s answered 404 (no %s for this session's database): ended the session with %s "+
			"instead, checked before and after", PathRESTLogout, moduleRESTAuthUser, PathDestroy)}}, nil
}

// refusal says how a logout was refused, for notLoggedIn.
type refusal struct {
	answer  string // what the logout route answered, e.g. "/session/auth/logout answered 401"
	checked bool   // whether /web/session/check by the same transport said no too
	gone    string // why the sid is not logged in; "" for the usual reasons
	cause   error  // the server's own error, if any
}

// notLoggedIn reports a sid that the server did not take by t. Unless t is
// the cookie, the cookie is checked too: a session alive by cookie means
// the server does not read t, and nothing was ended.
func (c *Client) notLoggedIn(ctx context.Context, sid string, t Transport, why refusal) error {
	const op = "logout"
	if why.gone == "" {
		why.gone = "it is logged out already, or unknown"
	}
	if t == TransportCookie {
		if why.checked {
			return c.fail(op, ErrSessionExpired, fmt.Sprintf("%s and %s does not accept the "+
				"session id by cookie: %s", why.answer, PathCheck, why.gone), why.cause)
		}
		return c.fail(op, ErrSessionExpired, fmt.Sprintf("%s: the session id sent by cookie is "+
			"not logged in: %s", why.answer, why.gone), why.cause)
	}
	byCookie := c.check(ctx, op, sid, TransportCookie)
	switch {
	case byCookie.Err != nil:
		return byCookie.Err
	case byCookie.Accepted:
		refused := fmt.Sprintf("%s to the session id sent by %s, but %s accepts it by cookie",
			why.answer, t, PathCheck)
		if why.checked {
			refused = fmt.Sprintf("%s and %s does not accept the session id by %s, but accepts "+
				"it by cookie", why.answer, PathCheck, t)
		}
		return c.fail(op, ErrTransportIgnored, fmt.Sprintf("%s: the server does not read the "+
			"session id from the %s: log out through the cookie (nothing was ended)", refused,
			transportPlace(t)), nil)
	}
	return c.fail(op, ErrSessionExpired, fmt.Sprintf("%s and %s accepts the session id neither "+
		"by %s nor by cookie: %s", why.answer, PathCheck, t, why.gone), why.cause)
}

// transportPlace names where transport t puts the session id.
func transportPlace(t Transport) string {
	switch t {
	case TransportHeader:
		return "X-Openerp-Session-Id header"
	case TransportParam:
		return "session_id query parameter"
	}
	return "session_id cookie"
}
