// Package sessions keeps the session ids the console obtained or was given:
// who they belong to, when they expire, what the last checks said, and their
// persistence in one file only its owner can read.
package sessions

import (
	"encoding/json"
	"time"
)

// State is what the console knows of a tracked session.
type State string

// Session states.
const (
	StateActive    State = "active"     // logged in, as far as known
	StateLoggedOut State = "logged-out" // logged out through the console
	StateRejected  State = "rejected"   // no transport accepts it any more
	StateExpired   State = "expired"    // past expires_at, not checked since
)

// Transport names, matching the odoo package's transports.
const (
	TransportHeader = "header"
	TransportCookie = "cookie"
	TransportParam  = "param"
)

// Check is the outcome of one transport check.
type Check struct {
	Transport string        `json:"transport"`
	Accepted  bool          `json:"accepted"`
	Status    int           `json:"status,omitzero"`
	Latency   time.Duration `json:"latency_ns,omitzero"`
	At        time.Time     `json:"at"`
	// Err is a short, already sanitised description when the check failed.
	Err string `json:"err,omitempty"`
	// Saved is true when the answer set the session's cookie again: the
	// server saved the session (Odoo 18 does at a sid's first request and
	// then about hourly), which restarts its idle clock.
	Saved bool `json:"saved,omitempty"`
}

// Session is one tracked session id.
type Session struct {
	// ID is a local identifier, stable for the life of the record.
	ID       string `json:"id"`
	URL      string `json:"url"`
	DB       string `json:"db,omitempty"`
	Login    string `json:"login,omitempty"`
	UserName string `json:"user_name,omitempty"`
	UID      int    `json:"uid,omitzero"`
	SID      string `json:"sid"`
	// ExpiresAt is the module's advisory expiry (UTC); zero when unknown.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// ObtainedAt is when the console got the sid.
	ObtainedAt time.Time `json:"obtained_at"`
	// SavedAt is the last time the server saved the session (login or a
	// details fetch): the start of the server's idle clock.
	SavedAt time.Time `json:"saved_at,omitzero"`
	// Method is how the sid was obtained: "rest", "web" or "tracked".
	Method        string `json:"method"`
	ServerVersion string `json:"server_version,omitempty"`
	// RESTModule is the state of base_rest_auth_user_service on the
	// session's database as seen at login ("installed", "uninstalled", ...),
	// "absent" when the module is not on the server, "" when unknown.
	RESTModule string `json:"rest_module,omitempty"`
	State      State  `json:"state"`
	// Checks maps a transport name to its last checks, newest last. The
	// sessions that Store.Load and Store.Update return hold, per transport,
	// only the latest check, preceded by the latest accepted one when the
	// latest was not accepted; Store.History returns the whole history.
	// Checks added with RecordCheck are merged into that history on save.
	Checks map[string][]Check `json:"checks,omitempty"`
	// Info is the raw session_info JSON from the last login or details fetch.
	// The store keeps it in a file of its own per session, not in the
	// sessions file: a save writes the Info of every record that carries
	// one to that file, and the lists that Load and Update return have Info
	// empty. Store.Info reads it back.
	Info json.RawMessage `json:"info,omitempty"`
	// UpdatedAt orders concurrent edits of the same record when merging.
	UpdatedAt time.Time `json:"updated_at"`
	// Forgotten marks a record the user removed, kept so that a merge with
	// another console's copy does not bring it back.
	Forgotten bool `json:"forgotten,omitzero"`
}
