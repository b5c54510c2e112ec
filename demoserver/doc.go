// Package demoserver is an in-memory server that answers like Odoo 15 with the
// OCA module base_rest_auth_user_service, and like stock Odoo 16, 17 and 18,
// closely enough for odoo-sessions to be used and tested without a real Odoo.
//
// Its behaviour follows the exchanges recorded from real servers in
// testdata/odoo1{5,6,7,8}-transcripts; the replay test sends every recorded
// request again and compares status, Content-Type, cookies and the shape of
// each body.
//
// What it serves:
//
//   - Odoo 15 only: POST /session/auth/login and /session/auth/logout (REST),
//     reachable only once the request's database is known (see DBFilter).
//   - Every version: JSON-RPC /web/session/authenticate, get_session_info,
//     check, destroy, GET /web/session/logout, GET /web/login?db=NAME,
//     /web/database/list, /web/webclient/version_info, /web/dataset/call_kw,
//     /jsonrpc, and XML-RPC /xmlrpc/2/common, /xmlrpc/2/db, /xmlrpc/2/object.
//   - Users with a TOTP secret (two-factor): /web/session/authenticate answers
//     {"uid": null} with a half-logged-in cookie, completed by the HTML form at
//     /web/login/totp.
//   - Odoo 18: res.device records and their revocation through
//     res.users.identitycheck.
//
// Session ids travel as Odoo's version reads them: query parameter, then
// X-Openerp-Session-Id header, then cookie on 15 and 17; the cookie only on 16
// and 18. Sessions live in memory and die after IdleLimit without a save, as
// Odoo's session clean-up does. The clock is injectable (Options.Clock).
//
// Use New with Options, or Demo for the ready-made "demo" database, and serve
// the *Server as an http.Handler or through Start.
package demoserver
