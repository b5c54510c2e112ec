package odoo

import (
	"encoding/json"
	"time"
)

// Transport is one of the three ways Odoo accepts a session id on a request.
type Transport string

// The three sid transports, in the order the console shows them.
const (
	TransportHeader Transport = "header" // X-Openerp-Session-Id header
	TransportCookie Transport = "cookie" // session_id cookie
	TransportParam  Transport = "param"  // session_id query parameter
)

// Transports lists every transport in display order.
var Transports = []Transport{TransportHeader, TransportCookie, TransportParam}

// Word names the transport in a sentence, after "the": header, cookie,
// parameter.
func (t Transport) Word() string {
	if t == TransportParam {
		return "parameter"
	}
	return string(t)
}

// LoginMethod says which endpoint produced a session id.
type LoginMethod string

// Login methods.
const (
	// MethodREST is POST /session/auth/login of base_rest_auth_user_service.
	MethodREST LoginMethod = "rest"
	// MethodWeb is the JSON-RPC /web/session/authenticate of stock Odoo.
	MethodWeb LoginMethod = "web"
)

// LoginRequest holds the credentials of one login. The password is only
// held for the duration of the call.
type LoginRequest struct {
	DB       string
	Login    string
	Password string
	// TOTPCode is the six-digit code of a two-factor user, when known.
	TOTPCode string
}

// SessionInfo is the part of Odoo's session_info the console shows.
type SessionInfo struct {
	UID           int
	Name          string
	Username      string
	DB            string
	ServerVersion string
	CompanyID     int
	CompanyName   string
	PartnerID     int
	IsAdmin       bool
	IsSystem      bool
	TZ            string
	// Raw is the whole session_info object as the server sent it.
	Raw json.RawMessage
}

// LoginResult is what a successful login hands back.
type LoginResult struct {
	SID string
	// ExpiresAt is the module's advisory expiry in UTC; zero when the server
	// gave none (web login).
	ExpiresAt time.Time
	Method    LoginMethod
	Info      SessionInfo
	// BoundDB is set when the client had to bind a database first
	// (GET /web/login?db=NAME) because the server hosts several.
	BoundDB string
	// Notes are plain sentences on what the client did on the user's behalf.
	Notes []string
	// TOTPRequired is true when the password was right but the user has
	// two-factor authentication and no code was given: SID is then a
	// half-logged-in session that only /web/login/totp can complete.
	TOTPRequired bool
	// TwoFactor is true when the login went through the two-factor step.
	TwoFactor bool
}

// CheckResult is the outcome of testing one sid through one transport.
type CheckResult struct {
	Transport Transport
	// Accepted is true when the server treated the sid as logged in.
	Accepted bool
	// Status is the HTTP status code, 0 when no answer came.
	Status  int
	Latency time.Duration
	At      time.Time
	// Err is set when the check could not be made or the answer was not
	// Odoo's; Accepted is then false and says nothing about the sid.
	Err error
	// Saved is true when the answer set the sid's cookie again as Odoo 16
	// and later do only when they saved the session, which restarts its
	// idle timer (Odoo 15 sets it on every answer, saved or not). Odoo 18
	// saves at a sid's first request and then about hourly; a check cannot
	// avoid it.
	Saved bool
}

// LogoutResult says how a logout went through.
type LogoutResult struct {
	// Endpoint is the path that ended the session: /session/auth/logout, or
	// /web/session/destroy on a server without the REST module.
	Endpoint string
	Status   int
	// Message is the server's confirmation, sanitized ("Successful logout").
	Message string
	// Notes are plain sentences on what the client did on the user's behalf.
	Notes []string
}

// ServerVersion is the answer of /xmlrpc/2/common version.
type ServerVersion struct {
	Version  string // "15.0-20220805"
	Major    int
	Protocol int
}
