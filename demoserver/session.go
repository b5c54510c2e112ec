package demoserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"time"
)

// session is one server-side session.
type session struct {
	sid string
	db  string
	uid int // 0 when anonymous
	// preUID is the user of a half-logged-in session waiting for its
	// two-factor code.
	preUID  int
	savedAt time.Time
	// deviceID is the res.device.log row of the session (Odoo 18), 0 until
	// its first authenticated request.
	deviceID int
	// identityCheckAt is when the user last confirmed its password through
	// res.users.identitycheck.
	identityCheckAt time.Time
}

var (
	hexSIDPattern  = regexp.MustCompile(`^[a-f0-9]{40}$`)
	longSIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{84}$`)
)

// newSID returns a random session id of the profile's form: 40 hex
// characters, or 84 base64url characters on Odoo 18.
func (p profile) newSID() string {
	if p.longSID {
		b := make([]byte, 63)
		_, _ = rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// validSID reports whether a sid has the profile's form; Odoo ignores any
// other value and starts a new session.
func (p profile) validSID(sid string) bool {
	if p.longSID {
		return longSIDPattern.MatchString(sid)
	}
	return hexSIDPattern.MatchString(sid)
}

// fingerprint returns a short, stable, non-reversible tag for a sid, for
// logs: the first 6 hex digits of its SHA-256, as odoo.Fingerprint gives,
// so the server's and the client's logs name a session alike. A prefix of
// the sid itself would hand out part of the secret.
func fingerprint(sid string) string {
	if sid == "" {
		return "none"
	}
	sum := sha256.Sum256([]byte(sid))
	return hex.EncodeToString(sum[:3])
}

// lookupSession returns the live session of a sid, or nil. A session not
// saved for IdleLimit is removed, as Odoo's session clean-up does.
func (s *Server) lookupSession(sid string, now time.Time) *session {
	if !s.p.validSID(sid) {
		return nil
	}
	sess := s.sessions[sid]
	if sess == nil {
		return nil
	}
	if now.Sub(sess.savedAt) > IdleLimit {
		delete(s.sessions, sid)
		return nil
	}
	return sess
}

// storeSession saves a session: it is kept and its idle clock restarts.
func (s *Server) storeSession(sess *session, now time.Time) {
	sess.savedAt = now
	s.sessions[sess.sid] = sess
}

// sweepSessions drops sessions idle for longer than IdleLimit, at most once
// a minute.
func (s *Server) sweepSessions(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for sid, sess := range s.sessions {
		if now.Sub(sess.savedAt) > IdleLimit {
			delete(s.sessions, sid)
		}
	}
}

// dropUserSessions ends every session of a user, as a password change does.
func (s *Server) dropUserSessions(db string, uid int) {
	for sid, sess := range s.sessions {
		if sess.db == db && (sess.uid == uid || sess.preUID == uid) {
			delete(s.sessions, sid)
		}
	}
}
