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
// logged-in sid gets 200 without an error; an unknown, logged-out or
// garbage sid gets JSON-RPC error 100, reported as Accepted false with Err
// nil. A transport the server ignores looks exactly like an unknown sid.
// Err is set only when the check could not be made or the answer was not
// Odoo's. The check does not save the session, so it does not extend its
// life.
func (c *Client) Check(ctx context.Context, sid string, t Transport) CheckResult {
	res := CheckResult{Transport: t, At: c.now()}
	if err := c.checkSession("check", sid, t); err != nil {
		res.Err = err
		return res
	}
	_, r, err := c.jsonRPC(ctx, call{op: "check", path: PathCheck, sid: sid, transport: t}, nil)
	res.Latency = c.now().Sub(res.At)
	if r != nil {
		res.Status = r.status
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
// by this transport) gives an error wrapping ErrSessionExpired.
func (c *Client) SessionInfo(ctx context.Context, sid string, t Transport) (SessionInfo, error) {
	const op = "session info"
	if err := c.checkSession(op, sid, t); err != nil {
		return SessionInfo{}, err
	}
	result, r, err := c.jsonRPC(ctx, call{op: op, path: PathSessionInfo, sid: sid, transport: t}, nil)
	if err != nil {
		return SessionInfo{}, err
	}
	info, _, err := decodeSessionInfo(result)
	if err != nil || len(result) == 0 || isFalsy(result) {
		return SessionInfo{}, c.fail(op, ErrNotOdoo, PathSessionInfo+" answered without a session_info",
			&DecodeError{Format: "JSON", Raw: r.body, Err: fmt.Errorf("result: %v", err)})
	}
	if info.UID == 0 {
		return SessionInfo{}, c.fail(op, ErrSessionExpired, PathSessionInfo+" describes no user", nil)
	}
	return info, nil
}

// Logout ends the session sid, sent by transport t alone, with
// POST /session/auth/logout of base_rest_auth_user_service. 200 means done;
// 401 (not logged in) gives an error wrapping ErrSessionExpired. The
// anonymous sid a cookie logout sets in reply is never adopted.
//
// When /session/auth/logout answers 404, Logout first checks the sid with
// /web/session/check by the same transport. If the server does not accept
// it, nothing is sent and the error wraps ErrSessionExpired: on Odoo 15
// with several databases a dead sid gets exactly this 404 (its session
// names no database), and on Odoo 16 and 18 the header and parameter
// transports are ignored. If the sid is accepted, the module is missing:
// Logout ends the session with the web client's JSON-RPC
// /web/session/destroy, checks again that it is gone, and reports that
// endpoint in LogoutResult.Endpoint.
func (c *Client) Logout(ctx context.Context, sid string, t Transport) (LogoutResult, error) {
	const op = "logout"
	if err := c.checkSession(op, sid, t); err != nil {
		return LogoutResult{}, err
	}
	k := call{op: op, method: http.MethodPost, path: PathRESTLogout, body: []byte("{}"),
		contentType: "application/json", sid: sid, transport: t}
	r, err := c.do(ctx, k)
	if err != nil {
		return LogoutResult{}, err
	}
	switch {
	case r.status == http.StatusOK && r.isJSON() && decodeJSONError(r) == nil:
		var body struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(r.body, &body) // the message is informative only
		return LogoutResult{Endpoint: PathRESTLogout, Status: r.status,
			Message: Sanitize(body.Message, maxErrorText)}, nil
	case r.status == http.StatusUnauthorized:
		return LogoutResult{}, c.fail(op, ErrSessionExpired, fmt.Sprintf("%s answered 401: the "+
			"session id sent by %s is not logged in (already logged out, unknown, or this "+
			"transport is not read)", PathRESTLogout, t), decodeJSONError(r))
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
	before := c.Check(ctx, sid, t)
	if before.Err != nil {
		return LogoutResult{}, before.Err
	}
	if !before.Accepted {
		detail := fmt.Sprintf("%s answered 404 and %s does not accept the session id by %s: it "+
			"is logged out already, unknown, or this server ignores the %s transport "+
			"(Odoo 16 and 18 read only the cookie)", PathRESTLogout, PathCheck, t, t)
		if jsonStyle {
			detail = fmt.Sprintf("%s answered 404 in JSON and %s does not accept the session id by "+
				"%s: on a server with several databases this is what a logged-out or unknown "+
				"session id gets (its session names no database)", PathRESTLogout, PathCheck, t)
		}
		return LogoutResult{}, c.fail(op, ErrSessionExpired, detail, nil)
	}
	_, r, err := c.jsonRPC(ctx, call{op: op, path: PathDestroy, sid: sid, transport: t}, nil)
	if err != nil {
		return LogoutResult{}, err
	}
	after := c.Check(ctx, sid, t)
	if after.Err == nil && after.Accepted {
		return LogoutResult{}, c.fail(op, ErrServer, PathDestroy+" answered 200 but the session "+
			"is still logged in", nil)
	}
	return LogoutResult{Endpoint: PathDestroy, Status: r.status, Notes: []string{fmt.Sprintf(
		"%s answered 404 (no %s for this session's database): ended the session with %s "+
			"instead, checked before and after", PathRESTLogout, moduleRESTAuthUser, PathDestroy)}}, nil
}
