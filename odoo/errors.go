package odoo

import "errors"

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers can tell what to do with errors.Is.
var (
	ErrUnreachable     = errors.New("server unreachable")
	ErrTLS             = errors.New("TLS handshake failed")
	ErrTimeout         = errors.New("request timed out")
	ErrNotOdoo         = errors.New("answer is not Odoo's")
	ErrRouteMissing    = errors.New("route missing")
	ErrAuthFailed      = errors.New("wrong login or password")
	ErrUnknownDatabase = errors.New("unknown database")
	ErrSessionExpired  = errors.New("session not logged in")
	ErrAccessDenied    = errors.New("access denied")
	ErrServer          = errors.New("server error")
	ErrTOTPRequired    = errors.New("two-factor code required")
	ErrTOTPInvalid     = errors.New("two-factor code rejected")
)
