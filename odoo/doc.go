// Package odoo is the only part of odoo-sessions that speaks HTTP. It logs
// users in and out of an Odoo server, tests session ids, and asks the
// server about itself.
//
// # Usage
//
//	c, err := odoo.New("http://127.0.0.1:8069", odoo.WithLogger(logger))
//	res, err := c.Login(ctx, odoo.LoginRequest{DB: "qa", Login: "qa_user", Password: pw})
//	chk := c.Check(ctx, res.SID, odoo.TransportHeader)
//	_, err = c.Logout(ctx, res.SID, odoo.TransportHeader)
//
// # Authentication
//
// Login uses POST /session/auth/login of the OCA module
// base_rest_auth_user_service (Odoo 13 to 15), which returns the session id
// and an advisory expires_at (UTC, login time plus 90 days, enforced by
// nobody). Odoo chooses a database before routing: on a server with several
// databases a request whose session names none gets 404, so Login binds a
// fresh session to the requested database (GET /web/login?db=NAME) and logs
// in through it. Where the route does not exist (stock Odoo 16 and later)
// Login falls back to the web client's POST /web/session/authenticate;
// LoginWeb uses that route directly. Every step taken on the user's behalf
// is told in LoginResult.Notes.
//
// Users with two-factor authentication pass the password check with a
// half-logged-in session that no route accepts. Unless LoginRequest.TOTPCode
// is set, Login returns it as a result with TOTPRequired set and no error;
// CompleteTOTP posts the code through Odoo's HTML form at /web/login/totp
// and returns the real session.
//
// # Transports
//
// Odoo reads a session id from the session_id query parameter, the
// X-Openerp-Session-Id header or the session_id cookie, in that order, but
// builds differ: Odoo 16 and 18 read only the cookie, and a proxy may drop
// the header. Check, SessionInfo and Logout therefore send the sid by
// exactly one Transport, and the client keeps no cookie jar and follows no
// redirects, so nothing carries it another way. A transport the server
// ignores looks like an unknown session. Check (/web/session/check) does not
// touch the session; SessionInfo (/web/session/get_session_info) saves it
// and so resets the server's idle timer.
//
// The server's own facts come over XML-RPC: Version (/xmlrpc/2/common),
// ListDatabases (/xmlrpc/2/db) and ModuleState (/xmlrpc/2/object). The
// package encodes and decodes with github.com/kolo/xmlrpc but sends the
// requests itself, to get timeouts, typed faults and the raw answer.
//
// # Errors
//
// Every error reads "<operation> at <server>: <what happened>", names the
// operation and the server once (callers need not repeat them), says what
// was expected and what came back, and wraps one of the sentinels in
// errors.go, so callers branch with errors.Is: ErrUnreachable, ErrTLS and
// ErrTimeout when no answer came; ErrNotOdoo when the answer is not Odoo's
// (JSON without "jsonrpc": "2.0" on a JSON-RPC route, a login answer
// without uid and session.sid, HTML where JSON was due, a status Odoo does
// not send on that route: errors.As finds a *DecodeError with the raw
// bytes of a JSON answer); ErrRouteMissing (a 404), ErrServer (Odoo's own
// error page, or a gateway's 502, 503 or 504), ErrAuthFailed,
// ErrUnknownDatabase, ErrNeedDatabase, ErrSessionExpired, ErrAccessDenied
// and ErrListingDisabled for what the server said; ErrTransportIgnored when
// Logout finds that the server does not read the session id by the chosen
// transport but shows the session alive by cookie. JSON-RPC failures
// arrive with HTTP 200: errors.As finds a *RPCError with the code, message
// and Python exception name; XML-RPC faults give a *FaultError.
//
// Server text in errors is cut to about 200 characters and passed through
// Sanitize, which strips control characters and terminal escape sequences.
// Passwords and session ids never appear in an error or a log line: a
// session id the client sent is shown as "redacted-" and its Fingerprint,
// also where Go's own error would print the request URL or the server
// echoes the id back, and logs show a session as its Fingerprint.
package odoo
